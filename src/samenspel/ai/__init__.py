"""Pluggable AI: one protocol per capability, backends registered by name, embedded defaults always there."""
