"""`python -m reader` runs the `reader` command."""

import sys

from reader.cli.main import main

sys.exit(main())
