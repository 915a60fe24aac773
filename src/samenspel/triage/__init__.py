"""Triage: signals and search results become a decision (answer, clarify, hand over) with reasons."""
