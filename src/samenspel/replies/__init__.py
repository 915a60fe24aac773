"""Replies: the customer-facing text, composed from what was found, in the house tone."""
