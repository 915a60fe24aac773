"""Understanding: what a customer's message says about them — language, requests, later emotion and cues."""
