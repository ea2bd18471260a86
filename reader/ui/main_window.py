"""The main window, the switchboard: builds the widgets and the controllers and wires one to the other."""

from __future__ import annotations

import threading
from functools import partial
from pathlib import Path

from PySide6.QtCore import Qt, QTimer, QUrl
from PySide6.QtGui import QDesktopServices, QGuiApplication
from PySide6.QtWidgets import (
    QApplication, QInputDialog, QMainWindow, QMessageBox, QStackedWidget, QTabWidget,
    QVBoxLayout, QWidget,
)

from reader.asking.llm import warm_up
from reader.base.links import looks_like_url
from reader.library.download import ImportCancelled, ImportOptions
from reader.library.importing import entry_folder
from reader.library.opened import display_title
from reader.library.search import search_library
from reader.ui import file_dialogs
from reader.ui.ask_library_window import wire as wire_library_asking
from reader.ui.controllers.captions import CaptionsController
from reader.ui.controllers.carding import CardingController
from reader.ui.controllers.checkpoints import CheckpointController
from reader.ui.controllers.file_jobs import FileJobsController
from reader.ui.controllers.first_frame import FirstFrame
from reader.ui.controllers.importing import ImportingController, failure_title
from reader.ui.controllers.layout import DEFAULT_WINDOW, LayoutController, fit_to_screens
from reader.ui.controllers.library_opening import LibraryOpening
from reader.ui.controllers.lines import LinesController
from reader.ui.controllers.notes import NotesController
from reader.ui.controllers.reading import ReadingController
from reader.ui.controllers.reviewing import DueCount, ReviewingController
from reader.ui.controllers.streaming import StreamingController
from reader.ui.controllers.studying import StudyingController
from reader.ui.download_window import wire as wire_downloads
from reader.ui.library_search_window import wire as wire_library_search
from reader.ui.events import Events
from reader.ui.menus import build_menus, review_keys, show_due_count
from reader.ui.player import Player
from reader.ui.settings import settings
from reader.ui.transcribe_window import wire as wire_transcribing
from reader.ui.widgets.banner import Banner
from reader.ui.widgets.card_dialog import CardDialog
from reader.ui.widgets.import_panel import ImportDialog, ImportPanel, PlaylistDialog
from reader.ui.widgets.library_page import LibraryPage
from reader.ui.widgets.notes_pane import NotesPane
from reader.ui.widgets.panes import Panes
from reader.ui.widgets.review_page import ReviewPage
from reader.ui.widgets.review_session import ReviewSessionPage
from reader.ui.widgets.study_pane import StudyPane
from reader.ui.widgets.suggestions_dialog import SuggestionsDialog
from reader.ui.widgets.transcript_pane import TranscriptPane
from reader.ui.widgets.video_pane import VideoPane
from reader.ui.worker import message

__all__ = ["MainWindow"]

NO_SELECTION = "Select some words in the transcript first (drag across them)."


class MainWindow(QMainWindow):
    def __init__(self, open_library: bool = True):
        """open_library=False leaves the library to start(), which opens it after the first frame."""
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
        self.splitter = Panes([(self.video_pane, 3), (self.transcript_pane, 2), (self.side, 2)], self)
        self.library_page = LibraryPage(self)
        self.review_page = ReviewPage(self)
        self.review_session = ReviewSessionPage(self)
        self.pages = QStackedWidget(self)
        for page in (self.library_page, self.review_page, self.review_session, self.splitter):
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
        self.carding = CardingController(self.reading, self.notes, lambda: settings().get("claude/model"), self)
        self.card_dialog, self.suggestions_dialog = CardDialog(self.carding.save, self), SuggestionsDialog(self.carding.keep, self)
        self.reviewing, self.checkpoint_round = ReviewingController(store, parent=self), ReviewingController(store, parent=self)
        self.due, self.checkpoints = DueCount(store, self), CheckpointController(self.reading, parent=self)
        self.captions = CaptionsController(self.reading, self)
        self.layouts = LayoutController(store, self)
        self.actions_by_name = build_menus(self)
        self._connect_signals()
        wire_transcribing(self)  # self.transcribing, and its strip at the window's foot
        wire_library_asking(self)  # self.library_asking, its page and its menu item
        wire_downloads(self)  # self.downloads and self.early_play: videos that come after their transcripts
        wire_library_search(self)  # self.library_search: search as you type, off the GUI thread
        self.captions.set_enabled(self.captions.enabled)  # the pane, the CC button and the menu learn the setting
        if open_library:
            self.open_library()
        self._restore()

    def open_library(self) -> None:
        self._library_opened(self.reading.open_library())

    def _library_opened(self, problem: str) -> None:
        if problem:
            self.banner.show_message(problem)
        self.events.library_changed.emit(self.reading)  # the library page's list and the cards-due count read it
        self.studying.reload_tools()

    def _library_arrived(self, store, error: str, start: tuple) -> None:
        """The library the start opened in a thread: read into the window a step per turn of the event loop (the
        library page, then the study tools, then the entry to open), so that none of it holds the window long."""
        problem = self.reading.adopt(store, error)
        if problem:
            self.banner.show_message(problem)
        self.events.library_changed.emit(self.reading)
        QTimer.singleShot(0, lambda: (self.studying.reload_tools(), QTimer.singleShot(0, lambda: self._start_rest(*start))))

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
        carding, cd, sd, rp = self.carding, self.card_dialog, self.suggestions_dialog, self.review_page
        wires = (
            # playing
            (c.play_requested, p.toggle), (c.seek_requested, self.seek), (c.rate_requested, p.set_rate),
            (c.volume_requested, p.set_volume), (c.mute_requested, p.set_muted), (c.fullscreen_requested, self.layouts.toggle_full_screen),
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
            (v.card_requested, self.make_card),
            (pane.seek_requested, self.seek), (pane.flash_requested, v.flash_range), (pane.note_edited, notes.edit_note),
            (pane.color_changed, notes.set_color), (pane.delete_requested, notes.delete), (pane.undo_requested, notes.undo),
            (pane.followup_requested, notes.followup), (pane.stop_requested, self.streaming.stop),
            (pane.regenerate_requested, notes.regenerate), (pane.retry_requested, notes.retry),
            (pane.cancel_wait_requested, self.streaming.cancel_wait), (pane.play_requested, p.play), (pane.settings_requested, self.show_settings),
            (pane.selection_changed, notes.select), (notes.highlights_changed, pane.set_highlights),
            (notes.highlights_changed, lambda rows, _select: v.set_marks(rows)),
            (notes.row_changed, lambda highlight_id, changes: pane.update_row(highlight_id, **changes)),
            (notes.conversation_changed, pane.show_thread), (notes.problem_changed, pane.show_problem),
            (notes.undo_offered, pane.show_undo), (notes.undo_taken, pane.undo_bar.hide), (self.streaming.failed, banner.show_message),
            # cards: making, Claude's suggestions, and managing them in Review
            (pane.card_requested, carding.draft_from_highlight), (pane.cards_suggest_requested, lambda h: carding.suggest("highlight", h)),
            (carding.draft_ready, cd.edit), (carding.counts_changed, pane.set_card_counts), (carding.message_changed, banner.show_message),
            (carding.suggest_started, sd.start), (carding.suggest_finished, sd.show_suggestions), (carding.suggest_failed, sd.show_failure),
            (sd.cancel_requested, carding.cancel), (sd.retry_requested, carding.retry), (sd.settings_requested, self.show_settings),
            (sd.play_requested, lambda ms: (self.seek(ms), p.play())), (sd.pause_requested, p.pause), (p.playing_changed, sd.set_playing),
            (rp.card_edit_requested, carding.draft_from_card), (rp.card_status_requested, carding.set_status),
            (rp.card_delete_requested, carding.delete), (rp.undo_requested, carding.undo), (carding.undo_offered, rp.show_undo),
            (carding.undo_taken, rp.hide_undo), (carding.cards_changed, lambda _video: rp.refresh()), (carding.cards_changed, self.due.refresh),
            # studying
            (study.tool_requested, studying.run_tool), (study.chat_requested, studying.chat), (study.stop_requested, self.streaming.stop),
            (study.seek_requested, self.seek), (study.flash_requested, v.flash_range), (studying.tools_changed, study.set_tools),
            (studying.result_changed, study.show_result), (studying.status_changed, study.show_status),
            (studying.problem_changed, study.show_problem), (studying.results_changed, study.set_results),
            (study.retry_requested, studying.retry), (study.cancel_wait_requested, self.streaming.cancel_wait),
            (study.settings_requested, self.show_settings), (study.play_requested, p.play),
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
            (self.file_jobs.progress_changed, banner.show_progress),
            # pages
            (self.pages.currentChanged, self.on_pages_current_changed), (self.library_page.back_button.clicked, self.back_to_video),
            (self.review_page.back_button.clicked, self.back_to_video),
            # layouts
            (r.session_changed, self.layouts.on_reading_session_changed), (self.layouts.layout_changed, self.on_layouts_layout_changed),
            (self.layouts.widths_changed, self.splitter.set_widths), (self.splitter.widths_changed, self.layouts.remember_widths),
            # reviewing cards, the due count and checkpoints
            (self.review_session.back_button.clicked, self.back_to_video), (self.review_session.more_requested, self.show_review_cards),
            (self.review_session.stage_changed, lambda _stage: review_keys(self)), (self.reviewing.rated, self.due.refresh),
            (self.checkpoint_round.rated, self.due.refresh), (self.events.library_changed, self.due.refresh),
            (self.due.changed, lambda n: show_due_count(self, n)), (lib.due_button.clicked, self.show_review_cards),
            (r.position_changed, self.checkpoints.on_position_changed), (p.ended, self.checkpoints.on_player_ended),
            (r.session_changed, self.checkpoints.on_reading_session_changed),
            (self.checkpoints.reached, self.review_session.ask_checkpoint), (self.review_session.checkpoint_closed, p.play),
            (self.reviewing.problem, banner.show_message), (self.checkpoint_round.problem, banner.show_message),
        )
        for signal, slot in wires:
            signal.connect(slot)
        self.review_session.bind(self.reviewing, self.checkpoint_round, self.show_settings)

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
                                            self.transcribing.can_transcribe())
        self.transcript_pane.set_description(session.description)
        chapters = session.transcript.chapters if session.transcript else []
        pane.controls.set_chapters([(c.start_ms, c.title) for c in chapters])
        self.setWindowTitle(f"{display_title(session.title, 120)} — Reader")

    def on_reading_title_changed(self, title: str) -> None:
        self.transcript_pane.title.setText(title)
        self.setWindowTitle(f"{display_title(title, 120)} — Reader")

    def on_reading_media_ready(self, has_video: bool) -> None:
        self.video_pane.controls.set_enabled_for_media(True)  # a stream opened for an entry whose video is downloading, too
        if has_video:  # the player, paused, draws the frame at the position (the start, or where it was left)
            self.video_pane.show_video()
        else:
            self.video_pane.show_card(f"♪\n\n{self.session.title}\n\nAudio only")

    # File ▸ Open…, Open Subtitles…, Export and Restore: the dialogs, then the job (ui/file_dialogs.py)
    open_dialog, open_subtitles_dialog = file_dialogs.open_media, file_dialogs.open_subtitles
    export_dialog, restore_dialog = file_dialogs.export, file_dialogs.restore

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

    def on_layouts_layout_changed(self, mode: str, full_screen: bool) -> None:
        """Show the panes of the layout; full screen shows the video and its controls alone, Esc enabled to leave."""
        self.splitter.show_layout(mode, full_screen)
        controls, reading = self.video_pane.controls, mode == "reading" and not full_screen
        if reading != (controls.parent() is self.centralWidget()):  # reading only: the controls run along the bottom
            (self.centralWidget().layout().insertWidget(2, controls) if reading else self.video_pane.layout().addWidget(controls))
            controls.show()
        self.menuBar().setVisible(not full_screen)
        if full_screen:
            self.banner.hide()
            self.pages.setCurrentWidget(self.splitter)
        self.actions_by_name["leave_fullscreen"].setEnabled(full_screen)
        self.actions_by_name[f"layout_{mode}"].setChecked(True)
        if full_screen != self.isFullScreen():
            self.setWindowState(self.windowState() ^ Qt.WindowState.WindowFullScreen)

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

    def make_card(self, suggest: str = "") -> None:
        """Q: a card from the selection (highlighted first) or the chosen highlight; `suggest`: ask Claude for cards."""
        if suggest in ("chapter", "video"):
            return self.carding.suggest(suggest)
        chosen = self.notes.highlight_id if self.transcript_pane.view.selection_span() is None else None
        highlight_id = chosen if chosen is not None else self._highlight()
        if highlight_id is not None:
            self.notes_pane.select(highlight_id)
            self.carding.suggest("highlight", highlight_id) if suggest else self.carding.draft_from_highlight(highlight_id)

    def on_side_current_changed(self, index: int) -> None:
        # a prompt file added to prompts/tools shows up the next time the Study tab is opened
        if self.side.widget(index) is self.study_pane and not self.streaming.busy():
            self.studying.reload_tools()
            self.studying.show(False)

    def show_settings(self) -> None:
        from reader.ui.widgets.settings_dialog import SettingsDialog

        SettingsDialog(settings(), self).exec()

    # -- the library, review and export ---------------------------------------------------------------
    def on_events_library_changed(self, _source=None) -> None:
        store = self.store
        self.library_page.set_source(store.videos if store else list, partial(search_library, store) if store else None,
                                     store.change_mark if store else None)

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
        if self.pages.currentWidget() is not self.splitter:
            self.layouts.leave_full_screen()
        self.actions_by_name["back_to_video"].setEnabled(away)
        for page in (self.library_page, self.review_page, self.review_session):
            page.back_button.setVisible(away)
        review_keys(self)

    def show_review_cards(self) -> None:
        self.reading.save_position()
        self.player.pause()  # the clip player has the floor
        self.pages.setCurrentWidget(self.review_session)
        self.setWindowTitle("Review Cards — Reader")
        self.reviewing.start_due()

    def show_review(self) -> None:
        self.reading.save_position()
        store = self.store
        self.review_page.set_source(store.videos() if store else [], store.review_items if store else None,
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
            self.downloads.forget(video_id)  # its video stops downloading into the folder removed with it
            self.reading.remove(video_id)

    def reveal_video(self, video_id: int) -> None:
        row = self.store.video(video_id) if self.store else None
        folder = entry_folder(row) if row else None
        if folder is not None:
            QDesktopServices.openUrl(QUrl.fromLocalFile(str(folder)))

    def start(self, media: Path | None = None, subs: Path | None = None, video_id: int | None = None, position_ms: int = -1) -> None:
        """What the window shows first: the given entry or files, else the last video, else the demo. Media known
        before the library is read (a file named, the demo on a first run) loads first; the library and the
        rest follow once its first frame is drawn."""
        first = self.reading.first_media(media, subs, video_id) if self.store is None else None
        if first is None:
            self.show()
            return self._start_rest(media, subs, video_id, position_ms)
        self.video_pane.controls.set_enabled_for_media(True)
        self._first_frame = FirstFrame(self.player, self.video_pane.video.sink, self)
        self._first_frame.passed.connect(lambda: self._start_rest(media, subs, video_id, position_ms))
        self.reading.preload(*first)  # the media opens in the player's threads while the window is drawn
        self.show()

    def _start_rest(self, media, subs, video_id, position_ms) -> None:
        if self.store is None and not self.reading.library_problem:  # opened in a thread; the rest follows
            self.library_opening = opening = LibraryOpening(self)
            opening.opened.connect(lambda store, error: self._library_arrived(store, error, (media, subs, video_id, position_ms)))
            opening.swept.connect(lambda text: self.banner.show_message(text, "info"))
            opening.snapshot_failed.connect(self.banner.show_message)
            return opening.start()
        if self.reading.start(media, subs, video_id, position_ms) == "library":
            self.show_library()
        # The Claude SDK takes seconds to import: loaded in the background once the window is up (a daemon
        # thread, which never holds up quitting)
        QTimer.singleShot(1500, lambda: threading.Thread(target=warm_up, name="warm-up", daemon=True).start())
        QTimer.singleShot(0, self.transcribing.check_unfinished)  # once the window is shown: offer to go on
        QTimer.singleShot(0, self.downloads.resume_interrupted)  # videos a closed or killed Reader left downloading

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
        """The window where it was (never off the screen nor bigger than it), the last layout, the player's settings."""
        geometry = self.layouts.geometry()
        if geometry is None or not self.restoreGeometry(geometry):
            self.resize(*DEFAULT_WINDOW)
        if not self.windowState() & (Qt.WindowState.WindowMaximized | Qt.WindowState.WindowFullScreen):
            self.setGeometry(fit_to_screens(self.geometry(), [s.availableGeometry() for s in QGuiApplication.screens()]))
        self.setWindowState(self.windowState() & ~Qt.WindowState.WindowFullScreen)
        self.layouts.restore()
        self.layouts.restore_player(self.player)
        self.transcript_pane.view.set_text_size(settings().get("transcript/text_size"))
        self.transcript_pane.view.set_line_width(settings().get("transcript/line_width"))
        if settings().problem:
            self.banner.show_message(settings().problem, "info")

    def close_library(self) -> None:
        """Reader is quitting: a snapshot under way is given up, and the library closed cleanly."""
        if getattr(self, "library_opening", None) is not None:
            self.library_opening.stop()
        self.library_search.close()
        self.reading.close_library()

    def closeEvent(self, event) -> None:
        self.reading.save_position()
        self.notes_pane.flush_note()
        self.streaming.stop()
        self.importing.cancel()
        self.downloads.close()  # what came stays, still marked under way: continued at the next start
        self.file_jobs.stop()  # between two cards or videos rather than mid-file
        self.transcribing.stop()  # resumed (offered) at the next start
        self.layouts.leave_full_screen()  # the window's place is kept as it is out of full screen
        settings().set("transcript/text_size", self.transcript_pane.view.text_size())
        settings().set("transcript/line_width", self.transcript_pane.view.line_width())
        self.layouts.save_window(self.saveGeometry(), self.player)
        self.player.pause()
        super().closeEvent(event)
