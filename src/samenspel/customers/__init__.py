"""Customers: who writes to the organisation, with their segment and language."""
