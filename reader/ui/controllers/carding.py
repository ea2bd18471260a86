"""Making cards in the window: write one over a highlight, edit, suspend or delete one, and ask Claude for some."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field

from PySide6.QtCore import QObject, Signal

from reader.asking.keys import get_key
from reader.cards import making as cards
from reader.library.db.errors import LibraryError
from reader.library.db.store import Store
from reader.transcript.writers import short_clock
from reader.ui.worker import Worker, message

NO_KEY = ("Claude needs an API key to suggest cards. Add one in Preferences (Ctrl+,), or set the ANTHROPIC_API_KEY "
          "environment variable. Cards you write yourself need no key.")
HOW_MANY = {"highlight": 3, "chapter": 5, "video": 10}  # suggestions asked for, by what they are about


@dataclass
class CardDraft:
    """What the card dialog shows: a new card over a highlight (card_id None) or a card being edited."""

    video_id: int
    title: str
    start_ms: int
    end_ms: int
    lines: list[tuple[int, int, str]] = field(default_factory=list)  # every line of the video: start, end, words
    question: str = ""
    answer: str = ""
    highlight_id: int | None = None
    card_id: int | None = None


@dataclass(frozen=True)
class SuggestionRequest:
    video_id: int
    what: str  # what the cards are about, for the dialog's heading
    start_ms: int | None
    end_ms: int | None
    highlight_id: int | None
    count: int


class CardingController(QObject):
    """Cards belong to the library (reading.store); the open video's highlights are notes' rows. Claude's
    suggestions come from reader.cards.suggestions on a worker thread that reads a library connection of its
    own; only those the user accepts are stored, from the window's thread."""

    draft_ready = Signal(object)  # CardDraft: open the card dialog on it
    cards_changed = Signal(object)  # video id whose cards changed
    counts_changed = Signal(object)  # dict: highlight id -> how many cards it has, for the open video
    message_changed = Signal(str, str)  # text, level
    undo_offered = Signal(str)
    undo_taken = Signal()
    suggest_started = Signal(str)  # what the cards are about ("the highlight at 1:02", "the chapter “Intro”"…)
    suggest_finished = Signal(object)  # the Suggestions (kept, dropped)
    suggest_failed = Signal(str, bool)  # a sentence; True when it is the missing key (Preferences, not Retry)

    def __init__(self, reading, notes, model_getter=lambda: None, parent=None):
        super().__init__(parent)
        self.reading = reading
        self.notes = notes
        self.model_getter = model_getter
        self.request: SuggestionRequest | None = None
        self.worker: Worker | None = None
        self.running: set[Worker] = set()  # kept until they end, a cancelled one too (it is still in the pool)
        self.run_id = 0
        self.undo_stack: list[tuple[dict, list[dict]]] = []
        notes.highlights_changed.connect(lambda rows, _select: self.count_cards())

    @property
    def store(self):
        return self.reading.store

    @staticmethod
    def suggestions():
        """reader.cards.suggestions, imported when first used (its fuzzy matching is not needed to start)."""
        from reader.cards import suggestions as card_suggestions

        return card_suggestions

    # -- writing and editing ----------------------------------------------------------------------------
    def _lines(self, video_id: int) -> list[tuple[int, int, str]]:
        return [(c.start_ms, c.end_ms, c.text.replace("\n", " ")) for c in self.store.transcript(video_id).cues]

    def draft_from_highlight(self, highlight_id: int) -> None:
        """Open the dialog on a new card over a highlight: its moments, its note as the answer."""
        row = self.store.highlight(highlight_id) if self.store is not None else None
        if row is None:
            return
        video = self.store.video(row["video_id"]) or {}
        self.draft_ready.emit(CardDraft(row["video_id"], video.get("title", ""), row["start_ms"],
                                        max(row["end_ms"], row["start_ms"] + 1), self._lines(row["video_id"]),
                                        answer=row["note"] or "", highlight_id=highlight_id))

    def draft_from_card(self, card_id: int) -> None:
        """Open the dialog on a card to edit it."""
        row = self.store.card(card_id) if self.store is not None else None
        if row is not None:
            self.draft_ready.emit(CardDraft(row["video_id"], row["title"], row["start_ms"], row["end_ms"],
                                            self._lines(row["video_id"]), row["question"], row["answer"],
                                            row["highlight_id"], card_id))

    def save(self, draft: CardDraft, question: str, answer: str, start_ms: int, end_ms: int) -> str:
        """Make or change the card; "" when saved, else why not (a sentence for the dialog)."""
        try:
            if draft.card_id is None:
                cards.make_card(self.store, draft.video_id, question, answer, start_ms, end_ms, highlight_id=draft.highlight_id)
            else:
                # one transaction: the moments (only when the dialog moved them) with the words
                moved = {"start_ms": start_ms, "end_ms": end_ms} if (start_ms, end_ms) != (draft.start_ms, draft.end_ms) else {}
                cards.edit_card(self.store, draft.card_id, question=question, answer=answer, **moved)
        except (cards.CardProblem, LibraryError) as exc:
            return str(exc)
        self._changed(draft.video_id)
        return ""

    def set_status(self, card_id: int, status: str) -> None:
        """Suspend ("suspended") or bring back ("active") a card."""
        row = self.store.card(card_id) if self.store is not None else None
        if row is None:
            return
        try:
            cards.edit_card(self.store, card_id, status=status)
        except (cards.CardProblem, LibraryError) as exc:
            self.message_changed.emit(str(exc), "error")
            return
        self._changed(row["video_id"])

    def delete(self, card_id: int) -> None:
        removed = self.store.delete_card(card_id) if self.store is not None else None
        if removed is not None:
            self.undo_stack.append(removed)
            self._changed(removed[0]["video_id"])
            self.undo_offered.emit("Card deleted.")

    def can_undo(self) -> bool:
        return bool(self.undo_stack)

    def undo(self) -> None:
        """Bring back the card deleted last, with its reviews and its id."""
        if not self.undo_stack or self.store is None:
            return
        row, reviews = self.undo_stack.pop()
        self.store.restore_card(row, reviews)
        self.undo_taken.emit()
        self._changed(row["video_id"])

    def count_cards(self) -> None:
        """Say how many cards each highlight of the open video has."""
        video_id = self.reading.video_id
        self.counts_changed.emit(self.store.card_counts(video_id) if self.store is not None and video_id is not None else {})

    def _changed(self, video_id: int) -> None:
        self.cards_changed.emit(video_id)
        if video_id == self.reading.video_id:
            self.count_cards()

    # -- Claude's suggestions ---------------------------------------------------------------------------
    def suggest(self, scope: str, highlight_id: int | None = None) -> None:
        """Ask Claude for cards about a highlight, the chapter at the playhead ("chapter") or the whole video."""
        video_id = self.reading.ensure_entry()
        if video_id is None:
            self.message_changed.emit("Open a video with a transcript first: cards are made from what it says.", "info")
            return
        start = end = None
        if scope == "highlight":
            row = self.store.highlight(highlight_id) if highlight_id is not None else None
            if row is None:
                return
            start, end = row["start_ms"], max(row["end_ms"], row["start_ms"] + 1)
            what = f"the highlight at {short_clock(start)}"
        elif scope == "chapter":
            found = self.chapter_here()
            if found is None:
                self.message_changed.emit("This video has no chapter here. Ask for cards about the whole video, "
                                          "or about a highlight, instead.", "info")
                return
            title, start, end = found
            what = f"the chapter “{title}” ({short_clock(start)}–{short_clock(end)})"
        else:
            what = "the whole video"
        self.request = SuggestionRequest(video_id, what, start, end, highlight_id, HOW_MANY.get(scope, 5))
        self.retry()

    def chapter_here(self) -> tuple[str, int, int] | None:
        """The chapter at the playhead: its title, start and end (the next chapter's start, else the last words)."""
        session = self.reading.session
        chapters = sorted(session.transcript.chapters, key=lambda c: c.start_ms) if session and session.transcript else []
        here = self.reading.position()
        for i, chapter in enumerate(chapters):
            if chapter.start_ms <= here and (i + 1 == len(chapters) or here < chapters[i + 1].start_ms):
                # the last chapter runs to the last words said (suggestions are about words)
                last = max((c.end_ms for c in session.transcript.cues), default=self.reading.player.duration())
                end = chapters[i + 1].start_ms if i + 1 < len(chapters) else last
                return (chapter.title, chapter.start_ms, end) if end > chapter.start_ms else None
        return None

    def retry(self) -> None:
        """Ask (again) for the suggestions last asked for."""
        request = self.request
        if request is None or self.store is None:
            return
        self.cancel()
        self.suggest_started.emit(request.what)
        key = get_key()
        if not key:
            self.suggest_failed.emit(NO_KEY, True)
            return
        module, path, model = self.suggestions(), self.store.path, self.model_getter()
        extra = {"model": model} if model else {}

        def work(_report, cancelled):
            own = Store(path)  # SQLite connections belong to the thread that opened them
            try:
                return module.suggest(own, request.video_id, key, request.start_ms, request.end_ms, request.count,
                                      cancelled=cancelled, **extra)
            finally:
                own.close()

        self.run_id += 1
        run = self.run_id
        worker = Worker(work, expected=(module.SuggestionProblem, LibraryError))
        worker.signals.finished.connect(lambda result: self._on_done(run, result, worker))
        worker.signals.failed.connect(lambda exc: self._on_failed(run, exc, worker))
        self.worker = worker
        self.running.add(worker)
        worker.start()

    def busy(self) -> bool:
        return self.worker is not None

    def cancel(self) -> None:
        """Stop waiting for Claude; whatever it sends later is dropped."""
        if self.worker is not None:
            self.worker.cancel()
            self.worker = None
        self.run_id += 1

    def _on_done(self, run: int, result, worker: Worker) -> None:
        self.running.discard(worker)
        if run == self.run_id:
            self.worker = None
            self.suggest_finished.emit(result)

    def _on_failed(self, run: int, exc: BaseException, worker: Worker) -> None:
        self.running.discard(worker)
        if run == self.run_id:
            self.worker = None
            self.suggest_failed.emit(message(exc), False)

    def keep(self, suggestion, question: str, answer: str) -> str:
        """Store one accepted suggestion as an active card, with the question and answer as shown (edited or
        not); "" when kept, else why not."""
        request = self.request
        if request is None or self.store is None:
            return "The suggestions belong to a video that is no longer open."
        chosen = dataclasses.replace(suggestion, question=question, answer=answer)
        try:
            self.suggestions().keep(self.store, request.video_id, [chosen], "active", request.highlight_id)
        except (cards.CardProblem, LibraryError) as exc:
            return str(exc)
        self._changed(request.video_id)
        return ""
