"""What each enum-like or ranged column may hold: one list read by the schema's checks (reader/library/db/checks.py) and the backup's schema."""

from __future__ import annotations

from dataclasses import dataclass

from reader.base.colours import COLOUR_NAMES

# -- the values themselves ----------------------------------------------------------------------------
ANSWER_STATUSES = ("streaming", "complete", "incomplete", "error")  # an answer's, and an answer check's
CARD_STATUSES = ("suggested", "active", "suspended")
CARD_SOURCES = ("mine", "claude")
TRANSCRIPTION_STATUSES = ("running", "done", "cancelled", "failed")
VIDEO_STATES = ("none", "downloading", "partial", "complete")  # an entry's video: not downloaded, under way, stopped, here
RATING_MIN, RATING_MAX = 1, 4  # again, hard, good, easy

# -- the backup's limits, which the library keeps to as well (so that its own backup always restores) --
MAX_MS = 2**53  # times and counts: whole numbers that survive a round trip through a JSON double
MAX_SYNC_OFFSET_MS = 24 * 3600 * 1000
SHORT = 2_000  # ids, dates, kinds, model names, languages
LINE = 100_000  # titles, URLs, paths, a cue's text, a question
LONG = 16_000_000  # notes, answers, prompts (a study prompt holds a whole transcript), descriptions


def in_words(values: tuple[str, ...]) -> str:
    """("a", "b", "c") as "a, b or c"."""
    return values[0] if len(values) == 1 else ", ".join(values[:-1]) + " or " + values[-1]


@dataclass(frozen=True)
class Rule:
    """What one column may hold: one of `one_of`, a whole number in [low, high], or text of `min_length` to
    `max_length` characters; `required` refuses nothing (NULL) as well."""

    what: str  # the column in words, as the sentence names it: "an answer's status"
    one_of: tuple[str, ...] = ()
    low: int | None = None
    high: int | None = None
    min_length: int | None = None
    max_length: int | None = None
    required: bool = False

    def sentence(self) -> str:
        """Why a value was refused, as one sentence (the same whatever the value was)."""
        if self.one_of:
            allowed = f"is {in_words(self.one_of)}"
        elif self.low is not None:
            allowed = f"is a whole number from {self.low:,} to {self.high:,}"
        elif self.min_length:
            allowed = f"is text of {self.min_length} to {self.max_length:,} characters"
        else:
            allowed = f"is text of at most {self.max_length:,} characters"
        return f"{self.what[0].upper()}{self.what[1:]} {allowed}{'' if self.required else ' (or nothing)'}, so that value was not saved."


def _ms(what: str, required: bool = False) -> Rule:
    return Rule(what, low=0, high=MAX_MS, required=required)


def _text(what: str, limit: int, required: bool = False, min_length: int | None = None) -> Rule:
    return Rule(what, min_length=min_length, max_length=limit, required=required)


def _name(what: str) -> Rule:
    return _text(what, SHORT, required=True, min_length=1)


# table -> column -> rule: what the backup's schema (reader/exchange/backup.py) accepts for each column it carries
RULES: dict[str, dict[str, Rule]] = {
    "videos": {
        "site": _name("a video's site"), "site_id": _name("a video's id on its site"),
        "title": _text("a video's title", LINE, required=True), "source_url": _text("a video's address", LINE),
        "channel": _text("a video's channel", LINE), "description": _text("a video's description", LONG),
        "duration_ms": _ms("a video's length"), "upload_date": _text("a video's upload date", SHORT),
        "thumbnail_path": _text("a video's thumbnail path", LINE), "media_path": _text("a video's media path", LINE),
        "transcript_path": _text("a video's transcript path", LINE),
        "transcript_source": _text("a video's transcript source", SHORT),
        "transcript_language": _text("a video's transcript language", SHORT),
        "transcript_format": _text("a video's transcript format", SHORT),
        "last_position_ms": _ms("where a video was left"), "cue_count": _ms("a video's number of lines"),
        "sync_offset_ms": Rule("a video's sync offset", low=-MAX_SYNC_OFFSET_MS, high=MAX_SYNC_OFFSET_MS, required=True),
        "added_at": _text("when a video was added", SHORT),
        "video_state": Rule("a video's download state", one_of=VIDEO_STATES, required=True),
        "video_bytes": _ms("how much of a video is downloaded", True), "video_total": _ms("a video's download size", True),
        "video_error": _text("why a video's download stopped", LINE, required=True),
        "video_folder": _text("a video's download folder", LINE, required=True),
        "video_wanted": Rule("whether a video's download is to resume", low=0, high=1, required=True),
        "sound_path": _text("a video's sound path", LINE, required=True),
    },
    "cues": {
        "start_ms": _ms("a line's start", True), "end_ms": _ms("a line's end", True),
        "text": _text("a line's text", LINE, required=True), "speaker": _text("a line's speaker", LINE),
    },
    "chapters": {"start_ms": _ms("a chapter's start", True), "title": _text("a chapter's title", LINE, required=True)},
    "highlights": {
        "start_ms": _ms("a highlight's start", True), "end_ms": _ms("a highlight's end", True),
        "start_cue": _ms("a highlight's first line"), "start_offset": _ms("a highlight's first character"),
        "end_cue": _ms("a highlight's last line"), "end_offset": _ms("a highlight's last character"),
        "text": _text("a highlight's text", LONG, required=True), "note": _text("a note", LONG),
        "color": Rule("a highlight's colour", one_of=COLOUR_NAMES, required=True),
        "created_at": _name("when a highlight was made"), "edited_at": _text("when a highlight was edited", SHORT),
        "anchor_lost_at": _text("when a highlight lost its place", SHORT),
    },
    "answers": {
        "kind": _name("an answer's kind"), "question": _text("a question", LINE, required=True),
        "prompt": _text("a question's prompt", LONG), "answer": _text("an answer", LONG, required=True),
        "citations": _text("an answer's citations", LONG, required=True), "model": _text("an answer's model", SHORT),
        "input_tokens": _ms("an answer's input tokens"), "output_tokens": _ms("an answer's output tokens"),
        "cache_read_tokens": _ms("an answer's cached tokens"), "cache_creation_tokens": _ms("an answer's cache tokens"),
        "status": Rule("an answer's status", one_of=ANSWER_STATUSES, required=True),
        "error": _text("an answer's error", LONG), "created_at": _name("when a question was asked"),
        "updated_at": _text("when an answer was written", SHORT),
    },
    "cards": {
        "uid": _name("a card's identity"), "question": _text("a card's question", LINE, required=True),
        "answer": _text("a card's answer", LONG, required=True), "start_ms": _ms("a card's start", True),
        "end_ms": _ms("a card's end", True), "passage": _text("a card's passage", LONG, required=True),
        "evidence": _text("a card's evidence", LONG, required=True), "fsrs": _text("a card's schedule", LONG, required=True),
        "due": _name("when a card is due"), "created_at": _name("when a card was made"),
        "edited_at": _text("when a card was edited", SHORT),
        "source": Rule("a card's source", one_of=CARD_SOURCES, required=True),
        "status": Rule("a card's status", one_of=CARD_STATUSES, required=True),
    },
    "reviews": {
        "reviewed_at": _name("when a card was reviewed"), "due_after": _name("when a reviewed card is due"),
        "rating": Rule("a rating", low=RATING_MIN, high=RATING_MAX, required=True),
        "typed_answer": _text("a typed answer", LONG, required=True), "feedback": _text("a review's feedback", LONG, required=True),
        "citations": _text("a review's citations", LONG, required=True), "fsrs_log": _text("a review's log", LONG, required=True),
    },
    "checks": {
        "status": Rule("an answer check's status", one_of=ANSWER_STATUSES, required=True),
        "typed_answer": _text("a checked answer", LONG, required=True), "feedback": _text("a check's feedback", LONG),
    },
    "library_answers": {
        "uid": _name("a library answer's identity"), "thread_uid": _name("a library thread's identity"),
        "question": _text("a question", LINE, required=True), "prompt": _text("a question's prompt", LONG, required=True),
        "scope": _text("a question's scope", LINE, required=True), "sources": _text("a question's passages", LONG, required=True),
        "answer": _text("an answer", LONG, required=True), "citations": _text("an answer's citations", LONG, required=True),
        "model": _text("an answer's model", SHORT), "status": Rule("an answer's status", one_of=ANSWER_STATUSES, required=True),
        "error": _text("an answer's error", LONG), "created_at": _name("when a question was asked"),
    },
    "tags": {"name": _text("a tag", 60, required=True, min_length=1), "created_at": _name("when a tag was added")},
    "transcriptions": {
        "status": Rule("a transcription's status", one_of=TRANSCRIPTION_STATUSES, required=True),
        "from_ms": _ms("where a transcription starts", True), "to_ms": _ms("where a transcription ends"),
        "done_ms": _ms("how far a transcription is done", True),
    },
}
