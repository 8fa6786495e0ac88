"""The ``wqg`` command line: one module per command group, all on the same services."""
