"""Entry point of the packaged app: the same `reader` command."""

import sys

from reader.cli.main import main

sys.exit(main())
