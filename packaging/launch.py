"""Frozen entry point: no arguments opens the window, otherwise the CLI (``jianbao import …``)."""

import sys

from jianbao.launcher import main

sys.exit(main())
