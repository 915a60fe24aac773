"""Real-time: typed events and the bus that carries them to every connected widget and workspace."""
