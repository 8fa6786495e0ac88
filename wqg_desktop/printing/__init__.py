"""Printed documents (reportlab): the font chain, layout helpers, one module per document kind.

Nothing here imports Qt: the command line prints the same PDFs as the window does.
"""
