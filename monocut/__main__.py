"""`python -m monocut` runs the CLI."""

import sys

from monocut.cli import main

sys.exit(main())
