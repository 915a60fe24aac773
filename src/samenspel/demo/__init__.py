"""The demo organisation: Gemeente Samenstad, with staff, customers and a few conversations."""
