"""Frozen entry point: no arguments opens the window, otherwise the CLI (``jianbao import …``)."""

import sys

from index.cli import main

sys.exit(main())
