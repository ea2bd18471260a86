"""The main window, the switchboard: builds the widgets and the controllers and wires one to the other."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt, QTimer, QUrl
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import (
    QApplication, QFileDialog, QInputDialog, QMainWindow, QMessageBox, QSplitter, QStackedWidget, QTabWidget,
    QVBoxLayout, QWidget,
)

from ..download import ImportCancelled, ImportOptions
from ..library import entry_folder, safe_name
from ..media_files import MEDIA_SUFFIXES
from ..links import looks_like_url
from ..opened import display_title
from ..transcript import TRANSCRIPT_SUFFIXES
from .controllers.captions import CaptionsController
from .controllers.file_jobs import FileJobsController
from .controllers.importing import ImportingController, failure_title
from .controllers.lines import LinesController
from .controllers.notes import NotesController
from .controllers.reading import ReadingController
from .controllers.streaming import StreamingController
from .controllers.studying import StudyingController
from .events import Events
from .player import Player
from .menus import build_menus
from .widgets.banner import Banner
from .transcribe_window import wire as wire_transcribing
from .settings import settings
from .widgets.import_panel import ImportDialog, ImportPanel, PlaylistDialog
from .widgets.library_page import LibraryPage
from .widgets.notes_pane import NotesPane
from .widgets.review_page import ReviewPage
from .widgets.study_pane import StudyPane
from .widgets.transcript_pane import TranscriptPane
from .widgets.video_pane import VideoPane
from .worker import Worker, message

__all__ = ["MainWindow"]

NO_SELECTION = "Select some words in the transcript first (drag across them)."


class MainWindow(QMainWindow):
    def __init__(self):
        super().__init__()
        self.setWindowTitle("Reader")
        self.setAcceptDrops(True)
        self.player = Player(self)
        self.video_pane = VideoPane(self)
        self.transcript_pane = TranscriptPane(self)
        self.notes_pane = NotesPane(self)
        self.study_pane = StudyPane(self)
        self.side = QTabWidget(self)
        self.side.setObjectName("sideTabs")
        self.side.setDocumentMode(True)
        self.side.addTab(self.notes_pane, "Notes")
        self.side.addTab(self.study_pane, "Study")
        self.banner = Banner(self)
        self.splitter = QSplitter(Qt.Orientation.Horizontal, self)
        self.splitter.setObjectName("mainSplitter")
        for i, (pane, stretch) in enumerate(((self.video_pane, 3), (self.transcript_pane, 2), (self.side, 2))):
            self.splitter.addWidget(pane)
            self.splitter.setStretchFactor(i, stretch)
        self.splitter.setChildrenCollapsible(False)
        self.library_page = LibraryPage(self)
        self.review_page = ReviewPage(self)
        self.pages = QStackedWidget(self)
        for page in (self.library_page, self.review_page, self.splitter):
            self.pages.addWidget(page)
        self.import_panel = ImportPanel(self)
        central = QWidget(self)
        layout = QVBoxLayout(central)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        layout.addWidget(self.banner)
        layout.addWidget(self.pages, 1)
        layout.addWidget(self.import_panel)
        self.setCentralWidget(central)
        self.player.set_video_output(self.video_pane.video.sink)
        # the controllers: each feature's state and behaviour
        self.events = Events(self)
        self.reading = ReadingController(self.player, self.events, self)
        store = lambda: self.reading.store  # noqa: E731
        self.streaming = StreamingController(
            store, lambda: settings().get("claude/model"),
            lambda: self.session.transcript if self.session and self.session.video_id else None, self, self.events)
        self.notes = NotesController(self.reading, self.streaming, self.events, self)
        self.lines = LinesController(self.reading, self.notes, self)
        self.studying = StudyingController(self.reading, self.streaming, self.events, self)
        self.importing = ImportingController(store, self.events, self)
        self.file_jobs = FileJobsController(store, self)
        self.captions = CaptionsController(self.reading, self)
        problem = self.reading.open_library()
        if problem:
            self.banner.show_message(problem)
        self.actions_by_name = build_menus(self)
        self._connect_signals()
        wire_transcribing(self)  # self.transcribing, and its strip at the window's foot
        self.captions.set_enabled(self.captions.enabled)  # the pane, the CC button and the menu learn the setting
        self.on_events_library_changed()
        self.studying.reload_tools()
        self._restore()

    @property
    def store(self):
        return self.reading.store

    @property
    def session(self):
        return self.reading.session

    # -- wiring ---------------------------------------------------------------------------------
    def _connect_signals(self) -> None:
        """Every wire of the window, as (signal, slot) pairs: widgets ask, controllers change and announce."""
        c, p, r, t, v = self.video_pane.controls, self.player, self.reading, self.transcript_pane, self.transcript_pane.view
        notes, pane, studying, study = self.notes, self.notes_pane, self.studying, self.study_pane
        importing, panel, lib, banner = self.importing, self.import_panel, self.library_page, self.banner
        cap, vp = self.captions, self.video_pane
        wires = (
            # playing
            (c.play_requested, p.toggle), (c.seek_requested, self.seek), (c.rate_requested, p.set_rate),
            (c.volume_requested, p.set_volume), (c.mute_requested, p.set_muted), (c.fullscreen_requested, self.toggle_full_screen),
            (p.duration_changed, c.set_duration), (p.playing_changed, self.on_player_playing_changed), (p.rate_changed, c.set_rate),
            (p.volume_changed, c.set_volume), (p.media_failed, self.on_player_media_failed),
            (c.captions_requested, cap.set_enabled), (cap.text_changed, vp.captions.set_text), (cap.enabled_changed, vp.captions.setVisible),
            (cap.enabled_changed, c.set_captions), (cap.enabled_changed, self.actions_by_name["captions"].setChecked),
            (r.offset_changed, cap.set_offset), (t.offset_changed, cap.set_offset),
            # reading
            (r.position_changed, t.set_position), (r.position_changed, pane.set_position), (r.position_changed, c.set_position),
            (r.session_changed, self.on_reading_session_changed), (r.session_changed, notes.on_reading_session_changed),
            (r.session_changed, studying.on_reading_session_changed), (r.offset_changed, t.set_offset),
            (r.title_changed, self.on_reading_title_changed), (r.media_ready, self.on_reading_media_ready),
            (r.message_changed, banner.show_message), (r.library_requested, self.show_library),
            (t.offset_changed, r.set_offset), (t.seek_requested, self.seek), (t.library_requested, self.show_library),
            # the library and review
            (lib.open_requested, r.open_video), (lib.import_requested, self.import_dialog), (lib.open_file_requested, self.open_dialog),
            (lib.demo_requested, r.open_demo), (lib.remove_requested, self.remove_video), (lib.reveal_requested, self.reveal_video),
            (self.review_page.open_requested, self.open_from_review), (self.events.library_changed, self.on_events_library_changed),
            # highlights, notes and answers
            (v.highlight_requested, self.highlight_selection), (v.note_requested, self.note_on_selection),
            (v.explain_requested, self.explain_selection), (v.ask_requested, self.ask_about_selection),
            (pane.seek_requested, self.seek), (pane.flash_requested, v.flash_range), (pane.note_edited, notes.edit_note),
            (pane.color_changed, notes.set_color), (pane.delete_requested, notes.delete), (pane.undo_requested, notes.undo),
            (pane.followup_requested, notes.followup), (pane.stop_requested, self.streaming.stop),
            (pane.regenerate_requested, notes.regenerate), (pane.settings_requested, self.show_settings),
            (pane.selection_changed, notes.select), (notes.highlights_changed, pane.set_highlights),
            (notes.highlights_changed, lambda rows, _select: v.set_marks(rows)),
            (notes.row_changed, lambda highlight_id, changes: pane.update_row(highlight_id, **changes)),
            (notes.conversation_changed, pane.show_thread), (notes.status_changed, pane.show_status),
            (notes.undo_offered, pane.show_undo), (notes.undo_taken, pane.undo_bar.hide), (self.streaming.failed, banner.show_message),
            # studying
            (study.tool_requested, studying.run_tool), (study.chat_requested, studying.chat), (study.stop_requested, self.streaming.stop),
            (study.seek_requested, self.seek), (study.flash_requested, v.flash_range), (studying.tools_changed, study.set_tools),
            (studying.result_changed, study.show_result), (studying.status_changed, study.show_status),
            (studying.shown, lambda: self.side.setCurrentWidget(study)), (self.side.currentChanged, self.on_side_current_changed),
            # importing, export and restore
            (importing.busy_changed, panel.show_busy), (importing.waiting_changed, panel.set_waiting),
            (importing.progress_changed, panel.show_progress), (importing.idle, panel.hide),
            (importing.failed, lambda job, exc: panel.show_failed(failure_title(job, exc), message(exc),
                                                                  job is not None and not isinstance(exc, ImportCancelled))),
            (importing.committed, self.on_importing_committed), (importing.playlist_found, self.on_importing_playlist_found),
            (panel.cancel_requested, importing.cancel), (panel.retry_requested, importing.retry),
            (panel.dismiss_requested, importing.dismiss), (self.file_jobs.restored, self.on_file_jobs_restored),
            (self.file_jobs.message_changed, lambda text, level: banner.show_message(text, level) if text else banner.hide()),
            # pages
            (self.pages.currentChanged, self.on_pages_current_changed), (self.library_page.back_button.clicked, self.back_to_video),
            (self.review_page.back_button.clicked, self.back_to_video),
        )
        for signal, slot in wires:
            signal.connect(slot)

    # -- what is open (the reading controller opens it) ----------------------------------------------------
    def on_reading_session_changed(self, session, same_media: bool) -> None:
        self.banner.hide()
        self.pages.setCurrentWidget(self.splitter)
        pane = self.video_pane
        if not same_media:
            pane.controls.set_enabled_for_media(session.media is not None)
            pane.controls.set_position(0)
            pane.controls.set_duration(0)
            pane.video.clear()
            if session.media is None:
                pane.show_card("Reading only — no video or audio is open.\n\nFile ▸ Open… to add one.")
            else:
                pane.show_card(f"Loading {session.media.name}…")
        empty = session.errors[-1] if session.transcript is None and session.errors else ""
        self.transcript_pane.set_transcript(session.transcript, session.title, self.reading.source_text(), empty,
                                            session.media is not None and not self.transcribing.busy())
        self.transcript_pane.set_description(session.description)
        chapters = session.transcript.chapters if session.transcript else []
        pane.controls.set_chapters([(c.start_ms, c.title) for c in chapters])
        self.setWindowTitle(f"{display_title(session.title, 120)} — Reader")

    def on_reading_title_changed(self, title: str) -> None:
        self.transcript_pane.title.setText(title)
        self.setWindowTitle(f"{display_title(title, 120)} — Reader")

    def on_reading_media_ready(self, has_video: bool) -> None:
        if has_video:  # the player, paused, draws the frame at the position (the start, or where it was left)
            self.video_pane.show_video()
        else:
            self.video_pane.show_card(f"♪\n\n{self.session.title}\n\nAudio only")

    def open_dialog(self) -> None:
        media_glob = " ".join(f"*{s}" for s in MEDIA_SUFFIXES)
        subs_glob = " ".join(f"*{s}" for s in TRANSCRIPT_SUFFIXES)
        paths, _ = QFileDialog.getOpenFileNames(
            self, "Open video, audio or transcript", self.reading.start_folder(), f"Media and transcripts ({media_glob} {subs_glob});;All files (*)"
        )
        if paths:
            self.reading.open_files([Path(p) for p in paths])

    def open_subtitles_dialog(self) -> None:
        subs_glob = " ".join(f"*{s}" for s in TRANSCRIPT_SUFFIXES)
        path, _ = QFileDialog.getOpenFileName(self, "Open subtitles or transcript", self.reading.start_folder(), f"Transcripts ({subs_glob});;All files (*)")
        if path:
            self.reading.open_files([Path(path)])

    # -- playing -------------------------------------------------------------------------------
    def seek(self, ms: int) -> None:
        self.reading.seek(ms)
        self.transcript_pane.view.resume_follow()

    def skip(self, delta_ms: int) -> None:
        if self.reading.has_media():
            self.seek(self.player.position() + delta_ms)

    def on_player_playing_changed(self, playing: bool) -> None:
        self.video_pane.controls.set_playing(playing)
        if playing and self.reading.has_video:
            self.video_pane.show_video()

    def on_player_media_failed(self, text: str) -> None:
        self.video_pane.show_card(text)
        self.video_pane.controls.set_enabled_for_media(False)
        self.banner.show_message(text + "\nThe transcript can still be read.", "error")

    def toggle_full_screen(self) -> None:
        if self.isFullScreen():
            self.leave_full_screen()
        else:
            self.menuBar().hide()
            self.actions_by_name["leave_fullscreen"].setEnabled(True)
            self.showFullScreen()

    def leave_full_screen(self) -> None:
        self.actions_by_name["leave_fullscreen"].setEnabled(False)
        if self.isFullScreen():
            self.showNormal()
            self.menuBar().show()

    # -- highlights and Claude -----------------------------------------------------------------------
    def _highlight(self, color: str = "yellow") -> int | None:
        span = self.transcript_pane.view.selection_span()
        if span is None:
            self.banner.show_message(NO_SELECTION, "info")
            return None
        highlight_id, new = self.notes.add(span, color)
        if new:
            self.transcript_pane.view.clear_selection()
        return highlight_id

    def highlight_selection(self, color: str = "yellow") -> None:
        self._highlight(color)

    def note_on_selection(self) -> None:
        if self._highlight() is not None:
            self.notes_pane.note.setFocus()

    def explain_selection(self) -> None:
        highlight_id = self._highlight()
        if highlight_id is not None:
            self.notes_pane.select(highlight_id)
            self.notes.explain(highlight_id)

    def ask_about_selection(self) -> None:
        if self.transcript_pane.view.selection_span() is None:
            self.banner.show_message(NO_SELECTION, "info")
            return
        question, ok = QInputDialog.getText(self, "Ask Claude", "Your question about the selected passage:")
        if ok and question.strip():
            highlight_id = self._highlight()
            if highlight_id is not None:
                self.notes_pane.select(highlight_id)
                self.notes.ask(highlight_id, "ask", question.strip())

    def on_side_current_changed(self, index: int) -> None:
        # a prompt file added to prompts/tools shows up the next time the Study tab is opened
        if self.side.widget(index) is self.study_pane and not self.streaming.busy():
            self.studying.reload_tools()
            self.studying.show(False)

    def show_settings(self) -> None:
        from .widgets.settings_dialog import SettingsDialog

        SettingsDialog(settings(), self).exec()

    # -- the library, review and export ---------------------------------------------------------------
    def on_events_library_changed(self, _source=None) -> None:
        store = self.store
        self.library_page.set_source(store.videos if store else list, store.search if store else None)

    def show_library(self) -> None:
        self.reading.save_position()
        self.library_page.refresh()
        self.pages.setCurrentWidget(self.library_page)
        self.setWindowTitle("Library — Reader")
        self.library_page.list.setFocus()

    def back_to_video(self) -> None:
        if self.reading.session is not None and self.pages.currentWidget() is not self.splitter:
            self.pages.setCurrentWidget(self.splitter)
            self.setWindowTitle(f"{display_title(self.reading.session.title, 120)} — Reader")

    def on_pages_current_changed(self, _index: int) -> None:
        """On the library and review pages, the video left open is a button, Alt+Left or Esc away."""
        away = self.reading.session is not None and self.pages.currentWidget() is not self.splitter
        self.actions_by_name["back_to_video"].setEnabled(away)
        for page in (self.library_page, self.review_page):
            page.back_button.setVisible(away)

    def show_review(self) -> None:
        self.reading.save_position()
        store = self.store
        self.review_page.set_source(store.videos() if store else [], store.review if store else None,
                                    store.search if store else None)
        self.pages.setCurrentWidget(self.review_page)
        self.setWindowTitle("Review — Reader")
        self.review_page.search.setFocus()

    def open_from_review(self, video_id: int, ms: int) -> None:
        self.reading.open_video(video_id, ms)
        row = self.notes.highlight_at(ms) if ms >= 0 and self.reading.video_id == video_id else None
        if row is not None:
            self.notes_pane.select(row["id"])
            self.transcript_pane.view.flash_range(row["start_ms"], row["end_ms"])

    def export_dialog(self, to: str, this_video: bool) -> None:
        if self.store is None:
            return
        video_id = self.reading.video_id if this_video else None
        if this_video and video_id is None:
            self.banner.show_message("Open a library video first (the demo has no notes until you add some).", "info")
            return
        title = display_title(self.store.video(video_id)["title"], 80) if video_id else "Reader library"
        suffix = {"md": ".md", "anki": ".apkg", "json": ".json"}[to]
        if to == "md" and video_id is None:
            target = QFileDialog.getExistingDirectory(self, "Export the library as Markdown into a folder", self.reading.start_folder())
        else:
            target, _ = QFileDialog.getSaveFileName(self, "Export", str(Path(self.reading.start_folder()) / (safe_name(title, 60) + suffix)), f"*{suffix}")
        if not target:
            return
        self.file_jobs.export(video_id, to, Path(target), self.export_timestamps.isChecked(), self.export_transcript.isChecked())

    def restore_dialog(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self, "Restore from a backup", self.reading.start_folder(), "Reader backup (*.json)")
        if path and self.store is not None:
            self.file_jobs.restore(Path(path))

    def on_file_jobs_restored(self, _counts) -> None:  # the library, and the open video's notes, may have changed
        self.events.library_changed.emit(self.file_jobs)
        if self.reading.video_id is not None:
            self.events.highlights_changed.emit(self.reading.video_id, None, self.file_jobs)

    def import_dialog(self, url: str = "") -> None:
        dialog = ImportDialog(self, url, self.importing.options())
        if dialog.exec() == ImportDialog.DialogCode.Accepted:
            self.importing.remember(dialog.options())
            self.start_import(dialog.url.text().strip(), dialog.options())

    def start_import(self, url: str, options: ImportOptions | None = None) -> None:
        if self.store is None:
            self.banner.show_message("The library could not be opened, so nothing can be imported.")
            return
        self.importing.add_link(url, options or self.importing.options())

    def paste_link(self) -> None:
        """Ctrl+V on the library: a link on the clipboard starts an import."""
        text = QApplication.clipboard().text().strip()
        if looks_like_url(text):
            self.import_dialog(text)
        else:
            self.banner.show_message("The clipboard holds no link. Copy a video's address first, then paste.", "info")

    def on_importing_playlist_found(self, info: dict, options: ImportOptions) -> None:
        dialog = PlaylistDialog(self, info)
        if dialog.exec() == PlaylistDialog.DialogCode.Accepted:
            for url in dialog.chosen():
                self.importing.enqueue(url, options)

    def on_importing_committed(self, video_id: int, notices: list) -> None:
        self.library_page.select(video_id)
        if not self.player.is_playing():
            self.reading.open_video(video_id, -1, notices)
        else:
            row = self.store.video(video_id)
            self.banner.show_message("\n".join([f"Added “{row['title']}” to the library.", *notices]), "info")

    def remove_video(self, video_id: int) -> None:
        row = self.store.video(video_id) if self.store else None
        if row is None:
            return
        answer = QMessageBox.question(
            self, "Remove from library",
            f"Remove “{row['title']}” from the library?\n\nIts transcript and the files Reader downloaded for it are deleted. "
            "Files you opened from elsewhere are left where they are.",
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.Cancel, QMessageBox.StandardButton.Cancel,
        )
        if answer == QMessageBox.StandardButton.Yes:
            self.reading.remove(video_id)

    def reveal_video(self, video_id: int) -> None:
        row = self.store.video(video_id) if self.store else None
        folder = entry_folder(row) if row else None
        if folder is not None:
            QDesktopServices.openUrl(QUrl.fromLocalFile(str(folder)))

    def start(self, media: Path | None = None, subs: Path | None = None, video_id: int | None = None, position_ms: int = -1) -> None:
        """What the window shows first: the given entry or files, else the last video, else the demo."""
        from ..llm import warm_up

        # The Claude SDK takes seconds to import: load it in the background once the window is up.
        self._warm = Worker(lambda report, cancelled: warm_up())
        QTimer.singleShot(1500, self._warm.start)
        shown = self.reading.start(media, subs, video_id, position_ms)
        if shown == "library":
            self.show_library()
        QTimer.singleShot(0, self.transcribing.check_unfinished)  # once the window is shown: offer to go on

    # -- drag and drop ---------------------------------------------------------------------------
    def dragEnterEvent(self, event) -> None:
        mime = event.mimeData()
        if mime.hasUrls() or looks_like_url(mime.text()):
            event.acceptProposedAction()

    def dropEvent(self, event) -> None:
        mime = event.mimeData()
        event.acceptProposedAction()
        paths = [Path(u.toLocalFile()) for u in mime.urls() if u.isLocalFile()]
        if paths:
            self.reading.open_files(paths)
            return
        links = [u.toString() for u in mime.urls() if u.scheme() in ("http", "https")] or [mime.text().strip()]
        if links and looks_like_url(links[0]):
            self.import_dialog(links[0])

    # -- remembering the layout ----------------------------------------------------------------
    def _restore(self) -> None:
        s = settings()
        geometry = s.get("window/geometry")
        if geometry is not None:
            self.restoreGeometry(geometry)
        else:
            self.resize(1280, 760)
        state = s.get("window/splitter")
        if state is None or not self.splitter.restoreState(state) or self.splitter.sizes()[-1] == 0:
            self.splitter.setSizes([600, 470, 330])
        self.player.set_volume(s.get("player/volume"))
        self.player.set_muted(s.get("player/muted"))
        self.player.set_rate(s.get("player/rate"))
        self.transcript_pane.view.set_text_size(s.get("transcript/text_size"))
        self.transcript_pane.view.set_line_width(s.get("transcript/line_width"))
        if s.problem:
            self.banner.show_message(s.problem, "info")

    def closeEvent(self, event) -> None:
        self.reading.save_position()
        self.notes_pane.flush_note()
        self.streaming.stop()
        self.importing.cancel()
        self.file_jobs.stop()  # between two cards or videos rather than mid-file
        self.transcribing.stop()  # resumed (offered) at the next start
        s = settings()
        s.set("window/geometry", self.saveGeometry())
        s.set("window/splitter", self.splitter.saveState())
        s.set("player/volume", self.player.volume())
        s.set("player/muted", self.player.is_muted())
        s.set("player/rate", self.player.rate())
        s.set("transcript/text_size", self.transcript_pane.view.text_size())
        s.set("transcript/line_width", self.transcript_pane.view.line_width())
        s.sync()
        self.player.pause()
        super().closeEvent(event)
