"""The window's side of videos that come after their transcripts: the download strip, the entry's card and seek bar, the library's Download Video."""

from __future__ import annotations

from PySide6.QtGui import QAction

from reader.library.db.downloads import lacks_video
from reader.ui.controllers.early_play import EarlyPlayController
from reader.ui.controllers.video_downloads import VideoDownloadsController
from reader.ui.widgets.import_panel import ImportPanel

NO_SOUND_WAITED = "This site gives no sound apart from the picture, so transcribing had to wait for the whole video."
CANCELLED = "The video download was cancelled; the transcript and your notes are kept, and Download Video continues it."


def wire(w) -> None:
    """Build the controllers and the strip on the window `w` and connect them (once the window's own wires are in,
    so the entry's card is said after the window's own)."""
    w.downloads = d = VideoDownloadsController(lambda: w.reading.store, w.events, w, lambda: w.importing.extractors)
    d.max_height_from = lambda: w.importing.options().max_height
    w.early_play = e = EarlyPlayController(w.reading, d, lambda: w.importing.extractors, w)
    w.download_panel = panel = ImportPanel(w, "Downloading", "the video of ")
    w.centralWidget().layout().addWidget(panel)  # at the window's foot, under the import panel
    pane = w.video_pane
    wires = (
        (w.importing.video_pending, d.download), (w.library_page.download_requested, d.download),
        (d.busy_changed, panel.show_busy), (d.progress_changed, panel.show_progress), (d.ready, lambda *_: panel.hide()),
        (d.stopped, lambda video_id, text, cancelled: stopped(w, video_id, text, cancelled)),
        (panel.cancel_requested, d.cancel), (panel.retry_requested, d.retry), (panel.dismiss_requested, panel.hide),
        (d.idle, lambda: panel.hide() if panel.property("state") == "busy" else None),  # a failure stays said
        (e.card_changed, pane.show_card), (e.available_changed, pane.controls.set_available), (pane.action_requested, e.act),
        (e.length_known, pane.controls.set_duration),
        (d.ready, lambda video_id, _media: untranscribed(w, video_id)),
        (d.sound_ready, lambda video_id, _sound: untranscribed(w, video_id)),
        (d.sound_missed, lambda video_id, text: w.banner.show_message(text, "info")),
    )
    for signal, slot in wires:
        signal.connect(slot)
    menu_item(w, d)


def menu_item(w, d) -> None:
    """File ▸ Download the Video, beside Transcribe: on while the open entry lacks its video and none is coming."""
    from reader.ui.shortcuts import SHORTCUTS

    action = QAction(SHORTCUTS["download_video"].label, w)
    action.triggered.connect(lambda: w.reading.video_id is not None and d.download(w.reading.video_id))
    for menu_action in w.menuBar().actions():
        menu = menu_action.menu()
        if menu is not None and w.actions_by_name["transcribe"] in menu.actions():
            menu.insertAction(w.actions_by_name["retranscribe"], action)
    w.actions_by_name["download_video"] = action

    def refresh(*_args) -> None:
        row = w.store.video(w.reading.video_id) if w.store is not None and w.reading.video_id is not None else None
        action.setEnabled(row is not None and lacks_video(row) and not d.busy())

    for signal in (w.reading.session_changed, d.busy_changed, d.ready, d.stopped, w.events.library_changed):
        signal.connect(refresh)
    refresh()


def stopped(w, video_id: int, text: str, cancelled: bool) -> None:
    """A download that stopped: cancelled, the strip goes (the entry and the library say what is missing);
    failed, the strip says why and offers to try again, which continues where it stopped."""
    if cancelled:
        w.download_panel.hide()
        w.banner.show_message(CANCELLED, "info")
        return
    row = w.store.video(video_id) if w.store is not None else None
    title = f"The video of “{row['title']}” stopped downloading" if row else "The video download stopped"
    w.download_panel.show_failed(title, text, True)


def untranscribed(w, video_id: int) -> None:
    """The sound (fetched first) or the video of a link that came with no subtitles is here: transcribing it is
    offered now, once (not again when the video follows the sound, nor while a transcription runs)."""
    from reader.ui.transcribe_window import offer, stopped as stopped_transcribing

    row = w.store.video(video_id) if w.store is not None else None
    if row is None or row.get("cue_count") or w.transcribing.busy():
        return
    if row.get("media_path") and video_id in w.downloads.sounded:
        return
    missed = video_id in w.downloads.sound_missing
    w.downloads.sound_missing.discard(video_id)
    offer(w, video_id, NO_SOUND_WAITED if missed else "")
    stopped_transcribing(w, video_id)  # the open entry's empty transcript offers Transcribe… too
