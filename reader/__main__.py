"""`python -m reader` runs the `reader` command."""

import sys

from .cli import main

sys.exit(main())
