"""Dialogs, opened with ``open()`` and signals rather than nested ``exec()`` loops."""
