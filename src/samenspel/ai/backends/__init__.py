"""Optional backends; each imports its heavy library only when chosen."""
