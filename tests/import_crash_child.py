"""A Reader process to kill while it re-imports one video again and again (run by test_import_safety.py).

Prints 'READY' once the entry exists, and 'IMPORTED <id>' after each re-import has committed.
"""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from reader.library.db.store import Store  # noqa: E402
from reader.library.importing import commit, prepare_file  # noqa: E402


def main() -> None:
    media = Path(sys.argv[1])
    store = Store()
    commit(store, prepare_file(media))
    print("READY", flush=True)
    while True:
        video_id = commit(store, prepare_file(media))
        print(f"IMPORTED {video_id}", flush=True)


if __name__ == "__main__":
    main()
