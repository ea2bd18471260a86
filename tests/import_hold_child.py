"""A Reader process that imports a file and stops just before the entry is written (its copy renamed into the
media folder, the folder's lock held), printing READY there; the test sweeps while it waits, or kill -9s it."""

import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from reader.library.db.store import Store  # noqa: E402
from reader.library.importing import commit, prepare_file  # noqa: E402


def main() -> None:
    store = Store()
    real = store.writing

    def writing():  # commit's transaction, the first write of this import: its copy is in the media folder now
        print("READY", flush=True)
        time.sleep(120)
        return real()

    store.writing = writing
    commit(store, prepare_file(Path(sys.argv[1])))


if __name__ == "__main__":
    main()
