"""Conversations: the thread between a customer, the assistant and agents, its lifecycle and its audit."""
