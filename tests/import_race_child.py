"""A Reader process that prepares an import of a file, prints READY, and commits it once the test's start file
appears: many of these commit at the same moment (run by test_import_orphans.py)."""

import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from reader.library.db.store import Store  # noqa: E402
from reader.library.importing import commit, prepare_file  # noqa: E402


def main() -> None:
    media, go = Path(sys.argv[1]), Path(sys.argv[2])
    store = Store()
    prepared = prepare_file(media)
    print("READY", flush=True)
    while not go.exists():
        time.sleep(0.002)
    print("IMPORTED", commit(store, prepared), flush=True)
    store.close()


if __name__ == "__main__":
    main()
