"""YouTube's rolling auto-captions: each cue repeats the line before it; keep each spoken line once."""

from __future__ import annotations

from functools import partial

from reader.transcript.cuetext import Payload
from reader.transcript.model import Cue


def looks_rolling(payloads: list[Payload]) -> bool:
    """True when most cues open with the line the previous cue ended on, as YouTube's ASR files do."""
    if len(payloads) < 2:
        return False
    carried = sum(
        1 for a, b in zip(payloads, payloads[1:]) if a.lines and b.lines and len(b.lines) > 1 and b.lines[0] == a.lines[-1]
    )
    return carried * 3 >= len(payloads) - 1


def _overlap(lines: list[str], emitted: list[str]) -> int:
    """How many leading lines of this cue repeat the last lines already shown."""
    for k in range(min(len(lines), len(emitted)), 0, -1):
        if lines[:k] == emitted[-k:]:
            return k
    return 0


def dedupe_rolling(timed_payloads) -> list[Cue]:
    """Take (start_ms, end_ms, payload) triples; return one cue per newly spoken line, words kept.

    Only lines that repeat the immediately preceding shown lines are dropped, so a speaker who
    really says the same thing twice ("no, no") keeps both: the repeat arrives as a new line
    below its carried-over copy.
    """
    emitted: list[str] = []
    cues: list[Cue] = []
    for start_ms, end_ms, payload in timed_payloads:
        lines = payload.lines
        if not lines:
            continue
        k = _overlap(lines, emitted)
        if k == len(lines):
            continue  # a snapshot cue: nothing new
        new_lines = lines[k:]
        words = partial(payload.words, k)
        emitted.extend(new_lines)
        if len(emitted) > 8:
            del emitted[:-8]
        cues.append(Cue(start_ms, end_ms, "\n".join(new_lines), payload.speaker, words))
    return cues
