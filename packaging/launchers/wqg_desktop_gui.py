"""PyInstaller entry of the graphical program (wqg-desktop)."""

import sys

from wqg_desktop.__main__ import main

sys.exit(main())
