"""Check my answer: Claude's feedback on a typed answer, streamed off the GUI thread and kept as it arrives."""

from __future__ import annotations

import time

from PySide6.QtCore import QObject, QTimer, Signal

from reader.asking.keys import get_key
from reader.asking.llm import Answer, ErrorEvent
from reader.cards import answer_check
from reader.ui.controllers.streaming import RENDER_MS, SAVE_MS, start_stream
from reader.ui.worker import Worker, message

NO_KEY = ("Checking an answer needs a Claude API key: add one in Preferences, or set ANTHROPIC_API_KEY. "
          "Showing the answer and rating it work without one.")
NOTHING_TYPED = "Type your answer in the box first: Claude compares it with the reference and the video."


class AnswerChecker(QObject):
    """One check at a time, for the card on show. Announces the feedback as it grows (text with citation
    marks, its citations, its status), a problem with the action that would help ("settings", "retry" or
    ""), and the rating Claude suggests once it is done. The learner's own rating is what schedules."""

    changed = Signal(str, list, str)  # feedback (with citation marks), citations, status
    problem = Signal(str, str)  # sentence, action: "settings", "retry" or ""
    suggested = Signal(str)  # "again", "hard", "good", "easy", or "" for none

    def __init__(self, store_getter, model_getter, parent=None):
        super().__init__(parent)
        self.store_getter = store_getter
        self.model_getter = model_getter
        self.card_id: int | None = None
        self.check_id: int | None = None  # the last check of this card, passed with its rating
        self.typed = ""
        self.answer: Answer | None = None
        self.worker: Worker | None = None
        self.request_id = 0
        self._dirty = False  # events arrived since the last drawing
        self._saved_at = 0.0
        self._tick = QTimer(self)  # while a check streams: draw what came, and now and then save it
        self._tick.setInterval(RENDER_MS)
        self._tick.timeout.connect(self._on_tick)

    def busy(self) -> bool:
        return self.worker is not None

    def reset(self) -> None:
        """A new card: any check still running ends (kept, marked incomplete), and nothing is carried over."""
        self.stop()
        self.card_id = self.check_id = None
        self.answer = None
        self.typed = ""

    def check(self, card_id: int, typed: str) -> bool:
        """Send the typed answer for checking; False (and a problem said) when it cannot be sent."""
        typed = typed.strip()
        if not typed:
            self.problem.emit(NOTHING_TYPED, "")
            return False
        key = get_key()
        if not key:
            self.problem.emit(NO_KEY, "settings")
            return False
        store = self.store_getter()
        if store is None:
            return False
        self.stop()
        try:
            check_id, request = answer_check.begin(store, card_id, typed, self.model_getter())
        except Exception as exc:  # a card deleted meanwhile, a library that cannot be written
            self.problem.emit(f"The answer could not be sent for checking: {message(exc)}", "retry")
            return False
        self.card_id, self.check_id, self.typed = card_id, check_id, typed
        self.answer = Answer()
        self.request_id += 1
        rid = self.request_id
        self.worker = start_stream(request, key, lambda events: self._on_events(rid, events), lambda: self._on_ended(rid),
                                   lambda text: self._on_ended(rid, text))
        self._tick.start()
        self.suggested.emit("")
        self._draw()
        return True

    def retry(self) -> bool:
        return self.card_id is not None and self.check(self.card_id, self.typed)

    def stop(self) -> None:
        """End the running check; what arrived is kept, marked incomplete."""
        if self.worker is not None:
            self.worker.cancel()
            self._finish()

    def _on_events(self, rid: int, events: list) -> None:
        if rid != self.request_id or self.answer is None:
            return  # from a check that was stopped or replaced
        for event in events:
            self.answer.add(event)
        self._dirty = True

    def _on_tick(self) -> None:
        if self._dirty:
            self._dirty = False
            self._draw()
        if time.monotonic() - self._saved_at >= SAVE_MS / 1000:
            self._record()

    def _on_ended(self, rid: int, failure: str = "") -> None:
        if rid != self.request_id:
            return
        if failure and self.answer is not None:
            self.answer.add(ErrorEvent(failure))
        self._finish()

    def _finish(self) -> None:
        answer = self.answer
        self.worker = None
        self.request_id += 1  # whatever is still on its way from that stream is now stale
        self._tick.stop()
        if answer is None:
            return
        if answer.status == "streaming":  # cut short (Stop, a rating, the page left) or ended without its end
            answer.add(ErrorEvent("Stopped."))
        answer.finish()
        self._record()
        self._draw()
        if answer.status == "error" or (answer.status == "incomplete" and answer.error and answer.error != "Stopped."):
            self.problem.emit(answer.error or "The check stopped early.", "retry")
        if answer.status == "complete":
            self.suggested.emit(answer_check.suggested_rating(answer.plain_text()) or "")

    def _draw(self) -> None:
        if self.answer is not None:
            status = "streaming" if self.busy() else self.answer.status
            # without its last line, "Suggested rating: …", which the rating buttons show instead
            text = answer_check.feedback_text(self.answer.text, status == "streaming")
            self.changed.emit(text, list(self.answer.citations), status)

    def _record(self) -> None:
        store = self.store_getter()
        self._saved_at = time.monotonic()
        if store is not None and self.answer is not None and self.check_id is not None:
            try:
                answer_check.record(store, self.check_id, self.answer)
            except Exception as exc:  # the library could not be written: say so; the feedback still shows
                self.problem.emit(f"The feedback could not be saved: {message(exc)}", "")
