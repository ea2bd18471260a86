"""Plain and Markdown transcripts with timestamps per paragraph: podcast exports, YouTube's panel, notes.

Where a time is given only per paragraph, the paragraph is split into sentences and its span is
shared among them by length, so the highlight still moves sentence by sentence.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from reader.transcript.model import Chapter, Cue, Transcript, TranscriptError, finish
from reader.transcript.times import text_clock_ms

TS = r"(?:[0-9]{1,2}:)?[0-9]{1,2}:[0-9]{2}(?:[.,][0-9]{1,3})?"
_HEADING = re.compile(r"^#{1,6}\s*(?:[\[(](" + TS + r")[\])]|(" + TS + r"))\s*[-–—:]?\s*(.+)$")
_TOC = re.compile(r"^[*+-]\s+[\[(]?(" + TS + r")[\])]?\s*[-–—:]?\s*(.+)$")
_NAME_TS = re.compile(r"^(?:\*\*)?([^\[\]()*:]{1,60}?)(?:\*\*)?\s*[\[(](" + TS + r")[\])]\s*:?\s*(?:\*\*)?\s*(.*)$")
_TS_NAME = re.compile(r"^[\[(](" + TS + r")[\])]\s*[-–—]?\s*(?:\*\*)?([^:\[\]*]{1,40}?):(?:\*\*)?\s+(.*)$")
_NAME_SPACES_TS = re.compile(r"^(\S.{0,58}?)\s{2,}(" + TS + r")\s*$")
_BARE_TS = re.compile(r"^[\[(]?(" + TS + r")[\])]?$")
_LEAD_TS = re.compile(r"^[\[(]?(" + TS + r")[\])]?\s+(.+)$")
_TRAIL_TS = re.compile(r"^(.*?)\s*[\[(](" + TS + r")[\])]$")
_BOLD_NAME = re.compile(r"^\*\*([^*]{1,60}?):?\*\*:?\s*(.*)$")
_DURATION_LABEL = re.compile(r"^[0-9]+ (?:hours?|minutes?|seconds?)(?:,? [0-9]+ (?:minutes?|seconds?))*$")
_SENTENCE_END = re.compile(r"(?<=[.!?…])[\"”’)\]]*\s+")
_CHARS_PER_SECOND = 15
_COLON_AFTER_TS = re.compile(r"[\])]\s*(?:\*\*)?\s*:")


def _looks_like_name(text: str) -> bool:
    """'Jane Doe' or 'Speaker 2', not 'All right, let's start.'"""
    words = text.split()
    return 0 < len(words) <= 5 and not any(c in text for c in ".!?,;\"") and text[:1].isupper()


def ts_ms(text: str) -> int:
    """A timestamp matched by TS to ms (the pattern bounds every field, so it is always a time)."""
    return text_clock_ms(text)


@dataclass
class _Para:
    start_ms: int | None
    end_ms: int | None
    speaker: str | None
    lines: list[str] = field(default_factory=list)


def looks_plain(text: str) -> bool:
    """At least two lines that carry a timestamp in one of the shapes read here."""
    hits = 0
    for line in text.splitlines()[:4000]:
        s = line.strip()
        if not s or len(s) > 5000:
            continue
        if _BARE_TS.match(s) or _NAME_TS.match(s) or _TS_NAME.match(s) or _TRAIL_TS.match(s) or _LEAD_TS.match(s) or _NAME_SPACES_TS.match(s):
            hits += 1
            if hits >= 2:
                return True
    return False


def parse_plain(text: str) -> Transcript:
    paras: list[_Para] = []
    chapters: list[Chapter] = []
    cur: _Para | None = None
    pending: list[str] = []
    speaker: str | None = None
    after_bare_ts = False
    skipped = 0
    for line in text.splitlines():
        s = line.strip()
        if not s:
            skipped += len(pending)
            pending = []
            continue
        if after_bare_ts and _DURATION_LABEL.match(s):
            continue  # YouTube's panel puts a spoken-duration label under each time
        after_bare_ts = False
        if m := _HEADING.match(s):
            chapters.append(Chapter(ts_ms(m.group(1) or m.group(2)), m.group(3).strip()))
            cur = None
            continue
        if s.startswith("#"):
            cur = None
            continue
        if m := _TOC.match(s):
            chapters.append(Chapter(ts_ms(m.group(1)), m.group(2).strip()))
            continue
        if (m := _TS_NAME.match(s)) and not m.group(2).strip().isdigit():
            speaker = m.group(2).strip()
            cur = _Para(ts_ms(m.group(1)), None, speaker, [m.group(3)] if m.group(3) else [])
            paras.append(cur)
            continue
        if m := _BARE_TS.match(s):
            cur = _Para(ts_ms(m.group(1)), None, speaker)
            paras.append(cur)
            after_bare_ts = True
            continue
        if (m := _NAME_TS.match(s)) and (m.group(3) or _COLON_AFTER_TS.search(s) or _looks_like_name(m.group(1))):
            speaker = m.group(1).strip()
            cur = _Para(ts_ms(m.group(2)), None, speaker, [m.group(3)] if m.group(3) else [])
            paras.append(cur)
            continue
        if m := _NAME_SPACES_TS.match(s):
            speaker = m.group(1).strip()
            cur = _Para(ts_ms(m.group(2)), None, speaker)
            paras.append(cur)
            continue
        if m := _TRAIL_TS.match(s):
            body = " ".join(pending + [m.group(1)])
            pending = []
            who = speaker
            if b := _BOLD_NAME.match(body):
                speaker = who = b.group(1).strip()
                body = b.group(2)
            elif body.startswith("[") and body.endswith("]"):
                who = None  # [Applause] belongs to no one
            paras.append(_Para(None, ts_ms(m.group(2)), who, [body]))
            cur = None
            continue
        if m := _LEAD_TS.match(s):
            cur = _Para(ts_ms(m.group(1)), None, speaker, [m.group(2)])
            paras.append(cur)
            continue
        if cur is not None:
            if b := _BOLD_NAME.match(s):
                cur.speaker = speaker = b.group(1).strip()
                s = b.group(2)
            cur.lines.append(s)
        else:
            pending.append(s)
    if not paras:
        raise TranscriptError("no timestamps found in this text")
    warnings = []
    if skipped + len(pending):
        warnings.append(f"{skipped + len(pending)} line(s) without a time (a title or notes) were left out.")
    cues = _spread(paras)
    return finish(cues, "plain", warnings, _unique(chapters))


def _unique(chapters: list[Chapter]) -> list[Chapter]:
    seen = {}
    for ch in chapters:
        seen.setdefault(ch.start_ms, ch)
    return list(seen.values())


def _spread(paras: list[_Para]) -> list[Cue]:
    """Give each paragraph a start and end, then share its span among its sentences by length."""
    cues: list[Cue] = []
    prev_end = 0
    for i, p in enumerate(paras):
        text = " ".join(" ".join(p.lines).split())
        if p.start_ms is None:  # only an end time: it began where the last paragraph ended
            start, end = min(prev_end, p.end_ms), p.end_ms
        else:
            start = p.start_ms
            nxt = next((q for q in paras[i + 1:] if q.start_ms is not None or q.end_ms is not None), None)
            guess = start + max(1000, len(text) * 1000 // _CHARS_PER_SECOND)
            if nxt is None:
                end = guess
            else:
                end = nxt.start_ms if nxt.start_ms is not None else min(nxt.end_ms, guess)
        prev_end = max(end, start)
        sentences = [s for s in _SENTENCE_END.split(text) if s] if text else []
        if not sentences:
            continue
        total = sum(len(s) for s in sentences)
        span = max(0, end - start)
        at = 0
        for n, sentence in enumerate(sentences):
            s_start = start + span * at // total
            at += len(sentence)
            s_end = start + span * at // total
            cues.append(Cue(s_start, s_end, sentence, p.speaker, (), n == 0 and p.speaker is None and i > 0))
    return cues
