"""PyInstaller entry of the command line (wqg)."""

import sys

from wqg_desktop.cli.main import main

sys.exit(main())
