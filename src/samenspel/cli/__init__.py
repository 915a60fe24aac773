"""The ``samenspel`` command line (CONTRACT.md §2); one module per command group."""
