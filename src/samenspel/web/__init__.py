"""The web layer: HTTP API, WebSocket, the agent workspace pages and the chat widget."""
