"""`reader transcript FILE`: a transcript file read and written out in another format."""

from __future__ import annotations

import os
import re
import sys
from pathlib import Path

from reader.cli.common import _C1, _fail, _printable, _say


def cmd_transcript(file: Path, to: str) -> int:
    from reader.transcript import TranscriptError, read_transcript
    from reader.transcript.writers import WRITERS

    if re.fullmatch(r"[0-9]{1,19}", str(file)) and not os.path.lexists(file):  # `reader transcript 3`: a video id, not a file
        return _fail(f"`reader transcript` reads a transcript or subtitle file, and there is no file called {file} here; "
                     f"for library video {file}'s transcript, run `reader export {file} --to md video-{file}.md --transcript`.")
    try:
        transcript = read_transcript(file)
    except TranscriptError as exc:
        return _fail(str(exc))
    if not transcript.cues:
        return _fail(f"{file.name} has no text at all, so there is nothing to convert.")
    out = WRITERS[to](transcript)
    if to == "json":  # JSON leaves C1 controls raw; as \u escapes they read back the same
        out = _C1.sub(lambda m: f"\\u{ord(m.group(0)):04x}", out)
    elif sys.stdout.isatty():  # to a terminal, a line's escape sequences are shown, not obeyed
        out = _printable(out, newlines=True)  # (to a pipe or a file the bytes are kept: that is a conversion)
    sys.stdout.write(out if out.endswith("\n") else out + "\n")
    for warning in transcript.warnings:
        _say(f"warning: {warning}")
    return 0
