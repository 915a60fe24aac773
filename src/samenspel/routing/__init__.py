"""Routing: queues, agent states, and the choice of the right person for each waiting conversation."""
