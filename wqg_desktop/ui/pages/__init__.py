"""One module per navigation page; each page is a QWidget built with an AppContext."""
