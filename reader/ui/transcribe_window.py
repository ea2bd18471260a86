"""The window's side of transcribing: the strip, its wires to the panes, the library and imports, and asking with the dialog."""

from __future__ import annotations

from reader.ui.controllers.transcribing import TranscribingController, progress_words
from reader.ui.widgets.transcribe_panel import TranscribePanel

NO_ENGINE = "Transcription is not part of this copy of Reader (its speech engine is not installed)."


def models_module(w):
    """reader.transcription.models, loaded when first asked for (tests put a stand-in in w.transcribe_models)."""
    if getattr(w, "transcribe_models", None) is None:
        from reader.transcription import models

        w.transcribe_models = models
    return w.transcribe_models


def wire(w) -> None:
    """Build the controller and the strip on the window `w` and connect them (called once the window's own wires are in)."""
    w.transcribing = t = TranscribingController(w.reading, parent=w)
    w.transcribe_panel = panel = TranscribePanel(w)
    w.centralWidget().layout().insertWidget(2, panel)  # above the import panel, at the window's foot
    pane, title = w.transcript_pane, t.title
    wires = (
        (t.started, lambda video_id, _model: (panel.show_running(title(video_id)), waiting_for_lines(w, video_id))),
        (t.progress_changed, lambda done, total, left: panel.show_done(done, total, progress_words(done, total, left))),
        (t.transcript_grown, pane.grow_transcript),
        (t.finished, lambda video_id: finished(w, video_id)),
        (t.failed, lambda video_id, text: failed(w, video_id, text)),
        (t.cancelled, lambda video_id: (panel.hide(), stopped(w, video_id), w.banner.show_message(
            "Transcription cancelled. The lines made so far are kept; Transcribe again to go on.", "info"))),
        (t.resume_offered, lambda jobs: offer_resume(w, jobs)),
        (panel.cancel_requested, t.cancel),
        (panel.action_requested, lambda action: on_action(w, action)),
        (pane.transcribe_requested, lambda: ask(w)),
        (pane.view.retranscribe_requested, lambda: ask(w, stretch=True)),
        (w.library_page.transcribe_requested, lambda video_id: ask(w, video_id)),
        (w.importing.untranscribed, lambda video_id: offer(w, video_id)),
        (w.importing.no_subtitles, lambda url: panel.show_problem(
            "No subtitles to import", f"{url} has none in any language. Import it with its video, and Reader makes a "
            "transcript from the sound on this computer.", "import_video", "Import with Video", failed=False)),
    )
    for signal, slot in wires:
        signal.connect(slot)


def waiting_for_lines(w, video_id: int) -> None:
    """The open video's empty transcript says its lines are coming (and no longer offers to transcribe)."""
    pane = w.transcript_pane
    if w.reading.video_id == video_id and pane.empty_box.isVisible():
        pane.transcribe_button.hide()
        pane.empty.setText("Transcribing: the first lines appear here as soon as the first stretch is done. "
                           "Play the video meanwhile if you like.")


def finished(w, video_id: int) -> None:
    w.transcribe_panel.hide()
    w.events.library_changed.emit(w.transcribing)
    row = w.store.video(video_id) if w.store is not None else None
    if row is not None and w.reading.video_id != video_id:
        w.banner.show_message(f"“{row['title']}” is transcribed: {row['cue_count']} lines. Open it from the library.", "info")


def stopped(w, video_id: int) -> None:
    """Cancelled or failed before any line: the empty transcript offers Transcribe again."""
    pane = w.transcript_pane
    if w.reading.video_id == video_id and pane.empty_box.isVisible():
        pane.transcribe_button.show()
        pane.empty.setText("No transcript yet. Transcribe it from the sound on this computer, or open a subtitle file.")


def failed(w, video_id: int, text: str) -> None:
    stopped(w, video_id)
    model_trouble = "model" in text.lower()
    w.transcribe_panel.show_problem(f"Transcribing “{w.transcribing.title(video_id)}” stopped", text,
                                    "choose" if model_trouble else "retry", "Choose a Model…" if model_trouble else "Try Again")
    w.transcribe_panel.setProperty("video_id", video_id)


def offer(w, video_id: int, before: str = "") -> None:
    """An import that found no subtitles: offer to make a transcript instead of stopping there (`before`: a sentence
    said first, such as why it is offered only now)."""
    w.transcribe_panel.show_problem(f"“{w.transcribing.title(video_id)}” came with no subtitles",
                                    f"{before} Reader can make a transcript from its sound, on this computer.".strip(),
                                    "transcribe", "Transcribe…", failed=False)
    w.transcribe_panel.setProperty("video_id", video_id)


def offer_resume(w, jobs: list[dict]) -> None:
    from reader.transcript.writers import short_clock

    j = jobs[0]
    w.transcribe_panel.show_problem(
        f"Transcribing “{w.transcribing.title(j['video_id'])}” was not finished",
        f"Reader was closed at {short_clock(int(j.get('done_ms') or 0))}. Go on from there with the {j['model']} model?",
        "resume", "Resume", failed=False)


def on_action(w, action: str) -> None:
    video_id = w.transcribe_panel.property("video_id")
    w.transcribe_panel.hide()
    if action == "resume":
        w.transcribing.resume()
    elif action == "retry":
        w.transcribing.retry()
    elif action == "import_video":
        w.importing.import_with_video()
    else:
        ask(w, video_id)


def ask(w, video_id: int | None = None, stretch: bool = False) -> bool:
    """Ask which model, language and start with the dialog, then start; the video is opened to watch its lines come."""
    from reader.ui.widgets.transcribe_dialog import TranscribeDialog

    if w.transcribing.busy():
        w.banner.show_message("A transcription is already running; cancel it first (the Cancel at the foot of the window).", "info")
        return False
    if video_id is None:
        if not w.transcribing.can_transcribe():
            w.banner.show_message("Open a video or audio file first: transcription makes its lines from the sound.", "info")
            return False
        video_id = w.reading.ensure_entry()
        if video_id is None:
            return False
    row = w.store.video(video_id) if w.store is not None else None
    if not stretch and row and row["cue_count"] and not str(row["transcript_source"] or "").startswith("transcribed"):
        w.banner.show_message("This video has a transcript already. To redo part of it, select those lines and "
                              "right-click ▸ Transcribe This Again….", "info")
        return False
    span = stretch_at(w) if stretch else None
    if stretch and span is None:
        w.banner.show_message("Select the lines to transcribe again (drag across them), or play into a chapter.", "info")
        return False
    try:
        models = models_module(w)
    except ImportError:
        w.banner.show_message(NO_ENGINE)
        return False
    playhead = w.reading.position() if w.reading.video_id == video_id else 0
    dialog = TranscribeDialog(w, models, w.transcribing.title(video_id), playhead, span)
    if dialog.exec() != TranscribeDialog.DialogCode.Accepted:
        return False
    if w.reading.video_id != video_id:
        w.reading.open_video(video_id)
    from_ms, to_ms = span if span else (dialog.from_ms(), None)
    return w.transcribing.start(video_id, dialog.model(), from_ms, to_ms, dialog.language_code())


def stretch_at(w) -> tuple[int, int] | None:
    """The stretch to transcribe again: the selected lines, else the chapter being played."""
    view = w.transcript_pane.view
    span = view.selection_span()
    if span is not None:
        return int(span["start_ms"]), int(span["end_ms"])
    chapters = view.timeline.chapters
    i = view.timeline.chapter_at(w.reading.position() - view.offset_ms)
    if i < 0:
        return None
    end = chapters[i + 1].start_ms if i + 1 < len(chapters) else (view.timeline.cues[-1].end_ms if view.timeline.cues else 0)
    return chapters[i].start_ms, end
