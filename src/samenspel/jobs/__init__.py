"""Background work a running server does on its own, one module per job."""
