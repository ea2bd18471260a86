"""The export formats, one table of them: `reader export` and the window's Export go through export() here."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Callable, TYPE_CHECKING

from reader.base.safe_io import FileProblem, os_error_sentence
from reader.exchange.anki import export_anki
from reader.exchange.backup_stream import export_backup
from reader.exchange.errors import ExportError, Written
from reader.exchange.markdown import export_markdown
from reader.library.db.store import Store

if TYPE_CHECKING:
    from reader.exchange.errors import Progress


def left_out(titles: list[str]) -> str:
    """What an export of the whole library says of the videos it left out, as a sentence."""
    from reader.library.opened import display_title

    n = len(titles)
    names = ", ".join(f"“{display_title(t, 60)}”" for t in titles[:3]) + (f" and {n - 3} more" if n > 3 else "")
    return (f"{n} video{'s' * (n != 1)} with nothing in {'them' if n != 1 else 'it'} yet (no highlights, notes, answers "
            f"or cards) {'were' if n != 1 else 'was'} left out: {names}.")


@dataclass(frozen=True)
class Format:
    """An export format: the suffix of the file it writes, what its progress counts, and the function of its own
    module that writes it: write(store, video_id, ids, out, progress, timestamps, with_transcript) -> Written."""

    suffix: str
    unit: str
    write: Callable[..., Written]


# The export formats, by the name `reader export --to` and the window give. A new one is a module of its own
# beside these and a row here; no format imports another.
FORMATS = {
    "md": Format(".md", "files", export_markdown),
    "anki": Format(".apkg", "cards", export_anki),
    "json": Format(".json", "videos", export_backup),
}


def export(store: Store, video_id: int | None, to: str, out: Path, timestamps: bool = True, with_transcript: bool = False,
           progress: Progress | None = None) -> Written:
    """The one path for the window and `reader export`: returns the files written (and, for Markdown of the
    whole library, the videos left out because nothing is in them yet). `progress(done, total)`
    is called as cards or files are made (the window runs this off its thread and shows it)."""
    out = Path(out)
    kind = FORMATS.get(to)
    if kind is None:
        raise ExportError(f"there is no export format called {to!r}; there are {', '.join(FORMATS)}")
    ids = [video_id] if video_id is not None else [v["id"] for v in store.videos()]
    if video_id is not None and store.video(video_id) is None:
        raise ExportError(f"no video with id {video_id} in the library (see `reader library`)")
    if not ids:
        raise ExportError("the library is empty: there is nothing to export")
    try:
        return kind.write(store, video_id, ids, out, progress, timestamps, with_transcript)
    except FileProblem as exc:
        raise ExportError(str(exc)) from None
    except OSError as exc:
        raise ExportError(os_error_sentence(exc, out, "written")) from None
