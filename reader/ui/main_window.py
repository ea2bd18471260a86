"""The main window, the switchboard: builds the player, video pane and transcript pane and wires them."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QSettings, Qt, QTimer, QUrl
from PySide6.QtGui import QAction, QDesktopServices, QKeySequence
from PySide6.QtWidgets import (
    QApplication, QFileDialog, QMainWindow, QMessageBox, QSplitter, QStackedWidget, QVBoxLayout, QWidget,
)

from .. import __version__
from ..download import ImportOptions
from ..llm import DEFAULT_MODEL
from ..library import ImportFailed, check_file, clean_library, commit, entry_folder, opened_entry, prepare_file, remove
from ..media_files import MEDIA_SUFFIXES, is_media, is_transcript
from ..paths import config_dir
from ..session import Session, display_title, library_session, open_session
from ..store import LibraryError, Store, open_library
from ..transcript import TRANSCRIPT_SUFFIXES, TranscriptError, read_transcript
from .controllers.streaming import AskController
from .widgets.banner import Banner
from .widgets.notes_pane import NotesPane
from .widgets.review_page import ReviewPage
from .widgets.study_pane import StudyPane
from .widgets.import_panel import ImportDialog, ImportPanel, PlaylistDialog, looks_like_url
from .widgets.library_page import LibraryPage
from .player import Player
from .shortcuts import SHORTCUTS, shortcuts_html
from .widgets.transcript_pane import TranscriptPane
from .widgets.video_pane import VideoPane
from .worker import Worker, pool

SAVE_EVERY_MS = 5000


def settings() -> QSettings:
    return QSettings(str(config_dir() / "reader.ini"), QSettings.Format.IniFormat)


class MainWindow(QMainWindow):
    def __init__(self):
        super().__init__()
        self.setWindowTitle("Reader")
        self.setAcceptDrops(True)
        self._file_worker = None  # the export or restore running, if any
        self.player = Player(self)
        self.video_pane = VideoPane(self)
        self.transcript_pane = TranscriptPane(self)
        self.notes_pane = NotesPane(self)
        self.study_pane = StudyPane(self)
        from PySide6.QtWidgets import QTabWidget

        self.side = QTabWidget(self)
        self.side.setObjectName("sideTabs")
        self.side.setDocumentMode(True)
        self.side.addTab(self.notes_pane, "Notes")
        self.side.addTab(self.study_pane, "Study")
        self.banner = Banner(self)
        self.splitter = QSplitter(Qt.Orientation.Horizontal, self)
        self.splitter.setObjectName("mainSplitter")
        self.splitter.addWidget(self.video_pane)
        self.splitter.addWidget(self.transcript_pane)
        self.splitter.addWidget(self.side)
        self.splitter.setStretchFactor(0, 3)
        self.splitter.setStretchFactor(1, 2)
        self.splitter.setStretchFactor(2, 2)
        self.splitter.setChildrenCollapsible(False)
        self.library_page = LibraryPage(self)
        self.review_page = ReviewPage(self)
        self.pages = QStackedWidget(self)
        self.pages.addWidget(self.library_page)
        self.pages.addWidget(self.review_page)
        self.pages.addWidget(self.splitter)
        self.import_panel = ImportPanel(lambda: self.store, self)
        central = QWidget(self)
        layout = QVBoxLayout(central)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        layout.addWidget(self.banner)
        layout.addWidget(self.pages, 1)
        layout.addWidget(self.import_panel)
        self.setCentralWidget(central)
        self.player.set_video_output(self.video_pane.video)
        self.session: Session | None = None
        self._has_video = False
        self._saved_ms = 0
        self.store: Store | None = None
        self.asker = AskController(lambda: self.store, lambda: str(settings().value("claude/model", "") or "") or DEFAULT_MODEL,
                                   lambda: self.session.transcript if self.session and self.session.video_id else None, self)
        self.thread_id: int | None = None
        self.study_thread: int | None = None
        self.study_key: str | None = None
        self._undo: list = []
        self._library_problem = ""  # said again whenever a video opens with nothing else to say
        try:
            self.store = open_library()
            if not self.store.read_only:
                clean_library(self.store)  # what an interrupted import left behind
        except (LibraryError, OSError) as exc:
            self._library_problem = f"{exc} Reader works without it, but nothing is saved."
        if self.store is not None and self.store.read_only:
            self._library_problem = (f"The library at {self.store.path} is read-only, so Reader shows it but saves "
                                     "nothing you do here; make it writable and open Reader again to keep notes.")
        if self._library_problem:
            self.banner.show_message(self._library_problem)
        self.library_page.set_store(self.store)
        self._build_actions()
        self._connect_signals()
        self._restore()

    # -- wiring ---------------------------------------------------------------------------------
    def _connect_signals(self) -> None:
        controls = self.video_pane.controls
        controls.play_requested.connect(self.player.toggle)
        controls.seek_requested.connect(self.on_seek_requested)
        controls.rate_requested.connect(self.player.set_rate)
        controls.volume_requested.connect(self.player.set_volume)
        controls.mute_requested.connect(self.player.set_muted)
        controls.fullscreen_requested.connect(self.toggle_full_screen)
        self.player.position_changed.connect(self.on_player_position_changed)
        self.player.duration_changed.connect(controls.set_duration)
        self.player.duration_changed.connect(self._learn_duration)
        self.player.playing_changed.connect(self.on_player_playing_changed)
        self.player.rate_changed.connect(controls.set_rate)
        self.player.volume_changed.connect(controls.set_volume)
        self.player.media_loaded.connect(self.on_player_media_loaded)
        self.player.media_failed.connect(self.on_player_media_failed)
        self.transcript_pane.seek_requested.connect(self.on_seek_requested)
        self.transcript_pane.library_requested.connect(self.show_library)
        lib = self.library_page
        lib.open_requested.connect(self.open_video)
        lib.import_requested.connect(self.import_dialog)
        lib.open_file_requested.connect(self.open_dialog)
        lib.demo_requested.connect(self.open_demo)
        lib.remove_requested.connect(self.remove_video)
        lib.reveal_requested.connect(self.reveal_video)
        view = self.transcript_pane.view
        view.highlight_requested.connect(self.highlight_selection)
        view.note_requested.connect(self.note_on_selection)
        view.explain_requested.connect(self.explain_selection)
        view.ask_requested.connect(self.ask_about_selection)
        notes = self.notes_pane
        notes.seek_requested.connect(self.on_seek_requested)
        notes.flash_requested.connect(view.flash_range)
        notes.note_edited.connect(self.on_note_edited)
        notes.color_changed.connect(self.on_color_changed)
        notes.delete_requested.connect(self.delete_highlight)
        notes.undo_requested.connect(self.undo_delete)
        notes.followup_requested.connect(self.ask_followup)
        notes.stop_requested.connect(self.asker.stop)
        notes.regenerate_requested.connect(self.regenerate)
        notes.settings_requested.connect(self.show_settings)
        notes.list.currentItemChanged.connect(lambda *_: self.show_current_thread())
        study = self.study_pane
        study.tool_requested.connect(self.run_study_tool)
        study.chat_requested.connect(self.study_chat)
        study.stop_requested.connect(self.asker.stop)
        study.seek_requested.connect(self.on_seek_requested)
        study.flash_requested.connect(view.flash_range)
        self.review_page.open_requested.connect(self.open_from_review)
        # a prompt file added to prompts/tools shows up the next time the Study tab is opened
        self.side.currentChanged.connect(lambda i: self.side.widget(i) is self.study_pane and not self.asker.busy()
                                         and (self.study_pane.reload_tools(), self._show_study(False)))
        self.asker.thread_changed.connect(self.on_thread_changed)
        self.asker.no_key.connect(self.on_no_key)
        self.asker.failed.connect(lambda msg: self.banner.show_message(msg))
        self.import_panel.committed.connect(self.on_import_committed)
        self.import_panel.playlist_found.connect(self.on_playlist_found)

    def _action(self, name: str, slot, menu) -> QAction:
        spec = SHORTCUTS[name]
        action = QAction(spec.label, self)
        action.setShortcuts([QKeySequence(k) for k in spec.keys])
        action.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
        action.triggered.connect(slot)
        menu.addAction(action)
        self.actions_by_name[name] = action
        return action

    def _build_actions(self) -> None:
        self.actions_by_name: dict[str, QAction] = {}
        bar = self.menuBar()
        file_menu = bar.addMenu("&File")
        self._action("library", self.show_library, file_menu)
        self._action("import", lambda: self.import_dialog(""), file_menu)
        self._action("paste_link", self.paste_link, file_menu)
        self._action("review", self.show_review, file_menu)
        file_menu.addSeparator()
        self._action("open", self.open_dialog, file_menu)
        self._action("open_subs", self.open_subtitles_dialog, file_menu)
        self._action("open_demo", self.open_demo, file_menu)
        file_menu.addSeparator()
        export_menu = file_menu.addMenu("&Export")
        self.export_timestamps = QAction("Markdown with Time Links", self, checkable=True, checked=True)
        self.export_transcript = QAction("Markdown with the Full Transcript", self, checkable=True, checked=False)
        export_menu.addAction(self.export_timestamps)
        export_menu.addAction(self.export_transcript)
        export_menu.addSeparator()
        for label, fn in (("This Video as Markdown…", lambda: self.export_dialog("md", True)),
                          ("Whole Library as Markdown…", lambda: self.export_dialog("md", False)),
                          ("Anki Deck of This Video…", lambda: self.export_dialog("anki", True)),
                          ("Anki Deck of the Library…", lambda: self.export_dialog("anki", False)),
                          ("Backup of the Library (JSON)…", lambda: self.export_dialog("json", False))):
            export_menu.addAction(label, fn)
        file_menu.addAction("Restore from Backup…", self.restore_dialog)
        file_menu.addSeparator()
        self._action("quit", self.close, file_menu)
        play = bar.addMenu("&Playback")
        self._action("play", self.player.toggle, play)
        play.addSeparator()
        self._action("back10", lambda: self.skip(-10_000), play)
        self._action("fwd10", lambda: self.skip(10_000), play)
        self._action("back5", lambda: self.skip(-5_000), play)
        self._action("fwd5", lambda: self.skip(5_000), play)
        play.addSeparator()
        self._action("slower", lambda: self.player.step_rate(-1), play)
        self._action("faster", lambda: self.player.step_rate(1), play)
        self._action("mute", lambda: self.player.set_muted(not self.player.is_muted()), play)
        notes_menu = bar.addMenu("&Notes")
        self._action("highlight", lambda: self.highlight_selection("yellow"), notes_menu)
        self._action("note", self.note_on_selection, notes_menu)
        self._action("explain", self.explain_selection, notes_menu)
        self._action("ask", self.ask_about_selection, notes_menu)
        notes_menu.addSeparator()
        self._action("undo_delete", self.undo_delete, notes_menu)
        self._action("settings", self.show_settings, notes_menu)
        view = bar.addMenu("&View")
        self._action("find", self.transcript_pane.open_find, view)
        self._action("follow", self.transcript_pane.view.resume_follow, view)
        self._action("fullscreen", self.toggle_full_screen, view)
        # Esc leaves full screen; it is enabled only then, so Esc still closes the find bar.
        leave = self._action("leave_fullscreen", self.leave_full_screen, view)
        view.removeAction(leave)
        self.addAction(leave)
        leave.setEnabled(False)
        help_menu = bar.addMenu("&Help")
        self._action("shortcuts", self.show_shortcuts, help_menu)
        about = QAction("About Reader", self)
        about.triggered.connect(self.show_about)
        help_menu.addAction(about)

    # -- opening things -----------------------------------------------------------------------
    def open_paths(self, media: Path | None, subs: Path | None = None) -> None:
        """Open a media file and/or a transcript; it becomes a library entry, referring to the files
        where they are. Any problem shows in the banner, never a crash. A named transcript that cannot
        be used changes nothing: a library entry keeps the transcript it has."""
        try:  # a pipe or a folder is refused before anything opens it (a pipe would wait forever)
            for path, what in ((media, "video or audio file"), (subs, "transcript")):
                if path is not None:
                    check_file(path, what)
        except ImportFailed as exc:
            self.banner.show_message(str(exc))
            return
        if self.store is not None:
            try:
                prepared = prepare_file(media, subs, copy=False)
                video_id = commit(self.store, prepared)
            except ImportFailed as exc:
                existing = opened_entry(self.store, media) if media is not None and subs is not None else None
                if existing is not None:
                    self.open_video(existing, -1)
                    self.banner.show_message(str(exc))
                    return
                # otherwise the session below shows what is wrong, with the rest still usable
            else:
                self.library_page.refresh()
                self.open_video(video_id, -1, prepared.notices)
                return
        self.show_session(open_session(media, subs))

    def open_video(self, video_id: int, position_ms: int = -1, notices: list[str] | None = None) -> None:
        """Open a library entry where it was left (or at position_ms), from the database: no network needed."""
        if self.store is None:
            return
        try:
            session = library_session(self.store, video_id)
        except Exception:  # one entry's bad data (a damaged row, say) fails alone: the rest of the library still opens
            self._log_failure()
            self.show_library()
            self.banner.show_message("That video could not be opened: its entry in the library is damaged. "
                                     "The rest of the library is fine; importing the video again repairs it.")
            return
        if session is None:
            self.banner.show_message("That video is no longer in the library.")
            return
        if notices:
            session.errors.extend(n for n in notices if "could not be read" in n)
            session.notices.extend(n for n in notices if "could not be read" not in n)
        if position_ms >= 0:
            session.resume_ms, session.exact = position_ms, True
        try:
            self.show_session(session)
        except Exception:
            self._log_failure()
            self.session = None
            self.show_library()
            self.banner.show_message("That video could not be shown: its entry in the library holds data Reader cannot use. "
                                     "The rest of the library is fine; importing the video again repairs it.")
            return
        self.store.mark_opened(video_id)

    @staticmethod
    def _log_failure() -> None:
        """What went wrong goes to the log (without the key), not on screen."""
        import traceback

        from ..keys import redact
        from ..paths import crash_log

        try:
            with crash_log().open("a", encoding="utf-8") as f:
                f.write(redact(traceback.format_exc()) + "\n")
        except OSError:
            pass

    def _learn_duration(self, ms: int) -> None:
        if self.store is not None and self.session is not None and self.session.video_id is not None:
            self.store.learn_duration(self.session.video_id, ms)

    def show_session(self, session: Session) -> None:
        self.save_position()
        self.banner.hide()
        same_media = session.media is not None and self.session is not None and self.session.media == session.media
        if same_media and self.player.title() and session.video_id is None:
            session.title = self.player.title()
        self.session = session
        self._saved_ms = session.resume_ms
        self.pages.setCurrentWidget(self.splitter)
        pane = self.video_pane
        if not same_media:  # a new transcript for the open media keeps playing where it was
            self._has_video = False
            self.player.load(session.media)
            pane.controls.set_enabled_for_media(session.media is not None)
            pane.controls.set_position(0)
            pane.controls.set_duration(0)
            if session.media is None:
                pane.show_card("Reading only — no video or audio is open.\n\nFile ▸ Open… to add one.")
            else:
                pane.show_card(f"Loading {session.media.name}…")
        empty = ""
        if session.transcript is None and session.errors:
            empty = session.errors[-1]
        self.transcript_pane.set_transcript(session.transcript, session.title, self._source_text(session), empty)
        self.transcript_pane.set_description(session.description)
        self.thread_id = None
        self.study_thread = self.study_key = None
        self.study_pane.show_result(None, [], False)
        self.study_pane.show_status("")
        self.notes_pane.set_highlights([])
        self.notes_pane.show_status("")
        self.refresh_highlights()
        chapters = session.transcript.chapters if session.transcript else []
        pane.controls.set_chapters([c.start_ms for c in chapters])
        self.setWindowTitle(f"{display_title(session.title, 120)} — Reader")
        if same_media and session.exact:
            self.player.seek(session.resume_ms)  # the media is already open: go to the moment asked for
            session.resume_ms = 0
        elif same_media:
            self.transcript_pane.set_position(self.player.position())
        elif session.media is None and session.resume_ms:
            self.on_player_position_changed(session.resume_ms)
        if session.errors:
            self.banner.show_message("\n".join(session.errors), "error")
        elif session.notices:
            self.banner.show_message("\n".join(session.notices), "info")
        elif self._library_problem:
            self.banner.show_message(self._library_problem)

    def _source_text(self, session: Session) -> str:
        if session.details:
            return session.details
        parts = []
        if session.transcript_path is not None and session.transcript is not None:
            parts.append(f"Transcript: {session.transcript_path.name} ({session.transcript.format})")
        elif session.media is not None:
            parts.append("No transcript found beside the media")
        return " · ".join(parts)

    def open_demo(self) -> None:
        """The bundled demo opens without becoming a library entry."""
        from ..resources import demo_video

        self.show_session(open_session(demo_video()))

    def open_dialog(self) -> None:
        media_glob = " ".join(f"*{s}" for s in MEDIA_SUFFIXES)
        subs_glob = " ".join(f"*{s}" for s in TRANSCRIPT_SUFFIXES)
        paths, _ = QFileDialog.getOpenFileNames(
            self, "Open video, audio or transcript", "", f"Media and transcripts ({media_glob} {subs_glob});;All files (*)"
        )
        if paths:
            self.open_files([Path(p) for p in paths])

    def open_subtitles_dialog(self) -> None:
        subs_glob = " ".join(f"*{s}" for s in TRANSCRIPT_SUFFIXES)
        path, _ = QFileDialog.getOpenFileName(self, "Open subtitles or transcript", "", f"Transcripts ({subs_glob});;All files (*)")
        if path:
            self.open_files([Path(path)])

    def open_files(self, paths: list[Path]) -> None:
        """Open what was chosen or dropped: a media file, a transcript, or one of each."""
        media = next((p for p in paths if is_media(p)), None)
        subs = next((p for p in paths if is_transcript(p)), None)
        if media is None and subs is None:
            if paths:
                self.banner.show_message(f"{paths[0].name}: Reader opens video, audio and subtitle files; this is neither.")
            return
        if media is None and self.session is not None and self.session.video_id is not None and self.store is not None:
            self.attach_transcript(self.session.video_id, subs)  # a subtitle for the open library entry
            return
        if media is None and self.session is not None and self.session.media is not None:
            media = self.session.media  # a subtitle dropped on an open video belongs to it
        self.open_paths(media, subs)

    def attach_transcript(self, video_id: int, subs: Path) -> None:
        """A subtitle file for the open library entry: stored with it, shown at once, playback undisturbed.
        One that cannot be read or has no lines changes nothing; the banner says why."""
        kept = " The transcript you had is kept."
        try:
            check_file(subs, "transcript")
            transcript = read_transcript(subs)
        except ImportFailed as exc:
            self.banner.show_message(f"{exc}{kept}")
            return
        except TranscriptError as exc:
            self.banner.show_message(f"The transcript could not be read. {str(exc).rstrip('.')}.{kept}")
            return
        if not transcript.cues:
            self.banner.show_message(f"{subs.name} has no lines to show.{kept}")
            return
        if not transcript.chapters and self.session and self.session.transcript:
            transcript.chapters = self.session.transcript.chapters
        change = self.store.set_transcript(video_id, transcript, str(subs.resolve()), "file")
        notices = [f"{subs.name}: " + " ".join(transcript.warnings)] if transcript.warnings else []
        if change.lost:
            n = len(change.lost)
            notices.append(f"{n} highlight{'s' if n != 1 else ''} could not be placed on the new transcript; "
                           f"{'they are' if n != 1 else 'it is'} kept in the notes list, marked “not in this transcript”.")
        self.library_page.refresh()
        self.open_video(video_id, self.player.position() if self.session and self.session.media else -1, notices or None)

    # -- reacting ------------------------------------------------------------------------------
    def on_seek_requested(self, ms: int) -> None:
        if self.session is not None and self.session.media is not None:
            self.player.seek(ms)
        else:
            self.on_player_position_changed(ms)  # reading only: move the highlight
        self.transcript_pane.view.resume_follow()

    def on_player_position_changed(self, ms: int) -> None:
        self.transcript_pane.set_position(ms)
        self.notes_pane.set_position(ms)
        self.video_pane.controls.set_position(ms)
        if abs(ms - self._saved_ms) >= SAVE_EVERY_MS:
            self.save_position(ms)

    def save_position(self, ms: int | None = None) -> None:
        """Remember where the open entry was left, so it reopens there."""
        if self.session is None or self.session.video_id is None or self.store is None:
            return
        if ms is None:
            ms = self.player.position() if self.session.media is not None else self.transcript_pane.view.last_position
        self._saved_ms = ms
        try:
            self.store.set_position(self.session.video_id, ms)
        except Exception:  # a busy or read-only database must not interrupt playback
            pass

    def on_player_media_loaded(self, has_video: bool) -> None:
        if self.session is None or self.session.media is None:
            return
        resume = self.session.resume_ms
        self.session.resume_ms = 0
        # A place left within the last seconds starts over; a moment asked for is always honoured.
        if resume > 0 and (self.session.exact or self.player.duration() <= 0 or resume < self.player.duration() - 3000):
            self.player.seek(resume)
        title = self.player.title()
        if title and title != self.session.title and self.session.video_id is None:
            self.session.title = title = display_title(title)
            self.transcript_pane.title.setText(title)
            self.setWindowTitle(f"{display_title(title, 120)} — Reader")
        self._has_video = has_video
        if has_video and self.player.is_playing():
            self.video_pane.show_video()
        elif has_video:
            # Qt draws no frame before playback starts; a card says what to do instead of black.
            self.video_pane.show_card(f"▶\n\n{self.session.title}\n\nPress Space to play")
        else:
            self.video_pane.show_card(f"♪\n\n{self.session.title}\n\nAudio only")

    def on_player_playing_changed(self, playing: bool) -> None:
        self.video_pane.controls.set_playing(playing)
        if not playing:
            self.save_position()
        if playing and self._has_video:
            self.video_pane.show_video()

    def on_player_media_failed(self, message: str) -> None:
        self.video_pane.show_card(message)
        self.video_pane.controls.set_enabled_for_media(False)
        self.banner.show_message(message + "\nThe transcript can still be read.", "error")

    def skip(self, delta_ms: int) -> None:
        if self.session is not None and self.session.media is not None:
            self.on_seek_requested(self.player.position() + delta_ms)

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

    # -- highlights, notes and Claude ----------------------------------------------------------------
    def refresh_highlights(self, select: int | None = None) -> None:
        rows = []
        if self.store is not None and self.session is not None and self.session.video_id is not None:
            rows = self.store.highlights(self.session.video_id)
        self.notes_pane.set_highlights(rows, select)
        self.transcript_pane.view.set_marks(rows)

    def _ensure_entry(self) -> int | None:
        """Notes belong to a library entry; the demo becomes one the first time it gets a note."""
        if self.session is None or self.store is None:
            return None
        if self.session.video_id is None and self.session.media is not None:
            try:
                prepared = prepare_file(self.session.media, self.session.transcript_path, copy=False)
                prepared.record.title = self.session.title  # the title shown (the media's own), not the file name
                self.session.video_id = commit(self.store, prepared)
            except ImportFailed as exc:
                self.banner.show_message(f"Notes cannot be kept for this video: {exc}")
                return None
            self.library_page.refresh()
        return self.session.video_id

    def _highlight_from_selection(self, color: str = "yellow") -> int | None:
        span = self.transcript_pane.view.selection_span()
        if span is None:
            self.banner.show_message("Select some words in the transcript first (drag across them).", "info")
            return None
        video_id = self._ensure_entry()
        if video_id is None:
            return None
        for row in self.store.highlights(video_id):  # asking about an existing highlight reuses it
            if (row["start_cue"], row["start_offset"], row["end_cue"], row["end_offset"]) == (
                    span["start_cue"], span["start_offset"], span["end_cue"], span["end_offset"]):
                return row["id"]
        highlight_id = self.store.add_highlight(video_id, color=color, **span)
        self.transcript_pane.view.clear_selection()
        self.refresh_highlights(highlight_id)
        return highlight_id

    def highlight_selection(self, color: str = "yellow") -> None:
        self._highlight_from_selection(color)

    def note_on_selection(self) -> None:
        if self._highlight_from_selection() is not None:
            self.notes_pane.note.setFocus()

    def explain_selection(self) -> None:
        highlight_id = self._highlight_from_selection()
        if highlight_id is not None:
            self.refresh_highlights(highlight_id)
            self._ask(highlight_id, "explain")

    def ask_about_selection(self) -> None:
        if self.transcript_pane.view.selection_span() is None:
            self.banner.show_message("Select some words in the transcript first (drag across them).", "info")
            return
        from PySide6.QtWidgets import QInputDialog

        question, ok = QInputDialog.getText(self, "Ask Claude", "Your question about the selected passage:")
        if ok and question.strip():
            highlight_id = self._highlight_from_selection()
            if highlight_id is not None:
                self.refresh_highlights(highlight_id)
                self._ask(highlight_id, "ask", question.strip())

    def ask_followup(self, text: str) -> None:
        highlight_id = self.notes_pane.current_id
        if highlight_id is None:
            return
        self._ask(highlight_id, "followup" if self.thread_id else "ask", text, self.thread_id)

    def regenerate(self) -> None:
        highlight_id = self.notes_pane.current_id
        if highlight_id is None or self.thread_id is None:
            return
        rows = self.store.answers(self.thread_id)
        if rows:
            last = rows[-1]
            self._ask(highlight_id, last["kind"], last["question"], self.thread_id, last["id"])

    def _ask(self, highlight_id: int, kind: str, question: str = "", thread_id: int | None = None,
             answer_id: int | None = None) -> None:
        thread = self.asker.ask(highlight_id, kind, question, thread_id, answer_id)
        if thread is not None:
            self.thread_id = thread
            self.notes_pane.show_status("")
            self.on_thread_changed(thread, self.asker.busy())

    def show_current_thread(self) -> None:
        highlight_id = self.notes_pane.current_id
        self.notes_pane.show_status("")
        if highlight_id is None or self.store is None:
            return
        if self.asker.busy() and self.asker.thread_id in self.store.threads(self.session.video_id, highlight_id):
            self.thread_id = self.asker.thread_id
        else:
            threads = self.store.threads(self.session.video_id, highlight_id)
            self.thread_id = threads[-1] if threads else None
        self.on_thread_changed(self.thread_id, self.asker.busy() and self.asker.thread_id == self.thread_id)

    def on_thread_changed(self, thread_id, streaming: bool) -> None:
        if thread_id is not None and thread_id == self.study_thread and self.store is not None:
            self._show_study(streaming)
            return
        if thread_id is None or thread_id != self.thread_id or self.store is None:
            if thread_id is None and self.thread_id is None:
                self.notes_pane.show_thread([])
            return
        # While an answer streams, the thread's other rows do not change: read them once.
        cached = getattr(self, "_thread_rows", None)
        if streaming and cached is not None and cached[0] == thread_id and any(self.asker.live_answer(r["id"]) for r in cached[1]):
            rows = cached[1]
        else:
            rows = self.store.answers(thread_id)
            self._thread_rows = (thread_id, rows)
        for row in rows:
            live = self.asker.live_answer(row["id"])
            if live is not None:
                row.update(answer=live.text, citations=live.citations, status=live.status, error=live.error,
                           input_tokens=live.usage.input_tokens, output_tokens=live.usage.output_tokens,
                           cache_read_tokens=live.usage.cache_read_tokens, model=live.usage.model or row["model"])
        self.notes_pane.show_thread(rows, streaming)
        if not streaming and self.notes_pane.current_id is not None:
            QTimer.singleShot(0, self._count_answers)

    def _count_answers(self) -> None:
        highlight_id = self.notes_pane.current_id
        if highlight_id is not None and self.store is not None and self.session is not None:
            count, failed = self.store.answer_counts(highlight_id)
            self.notes_pane.update_row(highlight_id, answer_count=count, failed_count=failed)

    def on_no_key(self) -> None:
        self.study_pane.show_status("Claude needs an API key for study tools: set ANTHROPIC_API_KEY, or add one in Settings (Ctrl+,).")
        self.notes_pane.show_thread([], no_key=True)
        self.notes_pane.show_status("Claude needs an API key to explain passages. Set the ANTHROPIC_API_KEY "
                                    "environment variable, or add a key in Settings. Everything else works without one.")

    # -- study tools ------------------------------------------------------------------------------------
    def _live_rows(self, thread_id: int) -> list[dict]:
        rows = self.store.answers(thread_id)
        for row in rows:
            live = self.asker.live_answer(row["id"])
            if live is not None:
                row.update(answer=live.text, citations=live.citations, status=live.status, error=live.error,
                           input_tokens=live.usage.input_tokens, output_tokens=live.usage.output_tokens,
                           cache_read_tokens=live.usage.cache_read_tokens, model=live.usage.model or row["model"])
        return rows

    def _show_study(self, streaming: bool) -> None:
        rows = self._live_rows(self.study_thread) if self.study_thread is not None else []
        from ..study import find_tool

        tool = find_tool(self.study_key) if self.study_key else None
        title = tool.name if tool else ("Questions about this video" if rows else None)
        self.study_pane.show_result(title, rows, streaming, self.study_key)

    def run_study_tool(self, tool, again: bool = False) -> None:
        """Show a tool's saved result, or run it (again: replace the saved one)."""
        from ..study import begin_study

        video_id = self._ensure_entry()
        if video_id is None:
            return
        self.side.setCurrentWidget(self.study_pane)
        self.study_pane.show_status("")
        saved = next((s["thread_id"] for s in self.store.study_threads(video_id) if s["kind"] == f"study:{tool.key}"), None)
        self.study_key = tool.key
        if saved is not None and not again:
            self.study_thread = saved
            self._show_study(self.asker.busy() and self.asker.thread_id == saved)
            return
        answer_id = self.store.answers(saved)[0]["id"] if saved is not None else None
        thread = self.asker.ask_with(lambda store, model, tr: begin_study(store, video_id, tool, "", saved, model, answer_id, tr), saved)
        if thread is not None:
            self.study_thread = thread
            self._show_study(True)

    def study_chat(self, question: str) -> None:
        from ..study import begin_study

        video_id = self._ensure_entry()
        if video_id is None:
            return
        chat = self.study_thread if self.study_key is None else None
        if chat is None:
            chat = next((s["thread_id"] for s in self.store.study_threads(video_id) if s["kind"] == "chat"), None)
        self.study_key = None
        thread = self.asker.ask_with(lambda store, model, tr: begin_study(store, video_id, None, question, chat, model, None, tr), chat)
        if thread is not None:
            self.study_thread = thread
            self._show_study(True)

    # -- review and export ----------------------------------------------------------------------------
    def show_review(self) -> None:
        self.save_position()
        self.review_page.set_store(self.store)
        self.pages.setCurrentWidget(self.review_page)
        self.setWindowTitle("Review — Reader")
        self.review_page.search.setFocus()

    def open_from_review(self, video_id: int, ms: int) -> None:
        self.open_video(video_id, ms)
        if ms >= 0 and self.session is not None and self.session.video_id == video_id:
            for row in self.store.highlights(video_id):
                if row["start_ms"] == ms:
                    self.notes_pane.select(row["id"])
                    self.transcript_pane.view.flash_range(row["start_ms"], row["end_ms"])
                    break

    def export_dialog(self, to: str, this_video: bool) -> None:
        from ..export import export

        if self.store is None:
            return
        video_id = self.session.video_id if this_video and self.session is not None else None
        if this_video and video_id is None:
            self.banner.show_message("Open a library video first (the demo has no notes until you add some).", "info")
            return
        title = display_title(self.store.video(video_id)["title"], 80) if video_id else "Reader library"
        suffix = {"md": ".md", "anki": ".apkg", "json": ".json"}[to]
        if to == "md" and video_id is None:
            target = QFileDialog.getExistingDirectory(self, "Export the library as Markdown into a folder")
        else:
            from ..library import safe_name

            target, _ = QFileDialog.getSaveFileName(self, "Export", safe_name(title, 60) + suffix, f"*{suffix}")
        if not target:
            return
        timestamps, with_transcript = self.export_timestamps.isChecked(), self.export_transcript.isChecked()
        what = "cards" if to == "anki" else "files"

        def run(store, progress):
            return export(store, video_id, to, Path(target), timestamps=timestamps, with_transcript=with_transcript,
                          progress=progress)

        self._file_job(f"Exporting to {Path(target)}…", run, lambda done, total: f"Exporting… {done} of {total} {what} done.",
                       lambda written: f"Exported {len(written)} file{'s' if len(written) != 1 else ''} to {Path(target)}.",
                       "Export failed")

    def _file_job(self, starting: str, run, progress_text, done_text, failed_text: str) -> None:
        """Run an export or a restore off the window's thread, on a library connection of its own
        (an Anki deck cuts an audio clip per highlight; a backup can hold thousands of notes), its
        progress in the banner. One at a time."""
        from ..export import ExportError

        if self._file_worker is not None:
            self.banner.show_message("An export or restore is already running; wait for it to finish.", "info")
            return
        path = self.store.path

        def work(report, cancelled):
            def step(done, total):
                if cancelled():
                    raise ExportError("stopped because the window was closed")
                report((done, total))

            store = Store(path)
            try:
                return run(store, step)
            finally:
                store.close()

        def finished(result):
            self._file_worker = None
            self.banner.hide()
            self.banner.show_message(done_text(result), "info")

        def failed(message):
            self._file_worker = None
            self.banner.hide()
            self.banner.show_message(f"{failed_text}: {message}")

        worker = Worker(work, expected=(ExportError, LibraryError))
        worker.signals.progress.connect(lambda p: self.banner.show_message(progress_text(*p), "info"))
        worker.signals.finished.connect(finished)
        worker.signals.failed.connect(failed)
        self._file_worker = worker
        self.banner.show_message(starting, "info")
        worker.start()

    def restore_dialog(self) -> None:
        from ..backup import restore, restore_summary

        path, _ = QFileDialog.getOpenFileName(self, "Restore from a backup", "", "Reader backup (*.json)")
        if not path or self.store is None:
            return

        def done(counts):
            self.library_page.refresh()
            self.refresh_highlights()  # the open video may have got notes back
            return restore_summary(counts, Path(path).name)

        self._file_job(f"Restoring from {Path(path).name}…", lambda store, progress: restore(store, Path(path), progress),
                       lambda done_, total: f"Restoring… {done_} of {total} videos done.", done, "Restore failed")

    def on_note_edited(self, highlight_id: int, note: str) -> None:
        self.store.update_highlight(highlight_id, note=note)
        self.notes_pane.update_row(highlight_id, note=note)

    def on_color_changed(self, highlight_id: int, color: str) -> None:
        self.store.update_highlight(highlight_id, color=color)
        self.refresh_highlights(highlight_id)

    def delete_highlight(self, highlight_id: int) -> None:
        if self.asker.busy() and self.thread_id in self.store.threads(self.session.video_id, highlight_id):
            self.asker.stop()
        removed = self.store.delete_highlight(highlight_id)
        if removed is not None:
            self._undo.append(removed)
            self.refresh_highlights()
            self.notes_pane.show_undo("Highlight deleted.")

    def undo_delete(self) -> None:
        if not self._undo or self.store is None:
            return
        row, answers = self._undo.pop()
        self.store.restore_highlight(row, answers)
        self.notes_pane.undo_bar.hide()
        if self.session is not None and self.session.video_id == row["video_id"]:
            self.refresh_highlights(row["id"])

    def show_settings(self) -> None:
        from .widgets.settings_dialog import SettingsDialog

        SettingsDialog(settings(), self).exec()

    # -- the library ---------------------------------------------------------------------------
    def show_library(self) -> None:
        self.save_position()
        self.library_page.refresh()
        self.pages.setCurrentWidget(self.library_page)
        self.setWindowTitle("Library — Reader")
        self.library_page.list.setFocus()

    def import_options(self) -> ImportOptions:
        s = settings()
        langs = tuple(x for x in str(s.value("import/languages", "en")).split(",") if x) or ("en",)
        return ImportOptions(video=s.value("import/video", "true") == "true", languages=langs,
                             max_height=int(s.value("import/max_height", 1080)))

    def import_dialog(self, url: str = "") -> None:
        dialog = ImportDialog(self, url, self.import_options())
        if dialog.exec() != ImportDialog.DialogCode.Accepted:
            return
        options = dialog.options()
        s = settings()
        s.setValue("import/languages", ",".join(options.languages))
        s.setValue("import/video", "true" if options.video else "false")
        s.setValue("import/max_height", options.max_height)
        self.start_import(dialog.url.text().strip(), options)

    def start_import(self, url: str, options: ImportOptions | None = None) -> None:
        if self.store is None:
            self.banner.show_message("The library could not be opened, so nothing can be imported.")
            return
        self.import_panel.add_link(url, options or self.import_options())

    def paste_link(self) -> None:
        """Ctrl+V on the library: a link on the clipboard starts an import."""
        text = QApplication.clipboard().text().strip()
        if looks_like_url(text):
            self.import_dialog(text)
        else:
            self.banner.show_message("The clipboard holds no link. Copy a video's address first, then paste.", "info")

    def on_playlist_found(self, info: dict, options: ImportOptions) -> None:
        dialog = PlaylistDialog(self, info)
        if dialog.exec() == PlaylistDialog.DialogCode.Accepted:
            for url in dialog.chosen():
                self.import_panel.enqueue(url, options)

    def on_import_committed(self, video_id: int, notices: list) -> None:
        self.library_page.refresh()
        self.library_page.select(video_id)
        if not self.player.is_playing():
            self.open_video(video_id, -1, notices)
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
        if answer != QMessageBox.StandardButton.Yes:
            return
        if self.session is not None and self.session.video_id == video_id:
            self.player.load(None)
            self.session = None
        remove(self.store, video_id)
        self.library_page.refresh()

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
        if video_id is not None:
            self.open_video(video_id, position_ms)
        elif media is not None or subs is not None:
            self.open_paths(media, subs)
        elif self.store is not None and self.store.last_opened() is not None:
            self.open_video(self.store.last_opened())  # a video that fails to open shows the library and says so
        elif self.store is not None and self.store.count():
            self.show_library()
        else:
            self.open_demo()
            self.show_welcome()

    def show_shortcuts(self) -> None:
        box = QMessageBox(self)
        box.setWindowTitle("Keyboard shortcuts")
        box.setTextFormat(Qt.TextFormat.RichText)
        box.setText(shortcuts_html())
        box.exec()

    def show_about(self) -> None:
        import platform

        from PySide6 import __version__ as pyside_version

        box = QMessageBox(self)
        box.setWindowTitle("About Reader")
        box.setIconPixmap(self.windowIcon().pixmap(96, 96))
        box.setTextFormat(Qt.TextFormat.RichText)
        box.setText(
            f"<h3>Reader {__version__}</h3>"
            "<p>Watch long videos and read their transcripts together; highlight, take notes, and ask "
            "Claude about what you read. Everything stays on your disk.</p>"
            "<p>Free software under the MIT licence.<br>"
            "<a href='https://github.com/reader-app/reader'>Source code and issues</a></p>"
            f"<p style='color:gray'>Qt {pyside_version} · Python {platform.python_version()} · yt-dlp, anthropic, sqlite-utils</p>"
        )
        box.setTextInteractionFlags(Qt.TextInteractionFlag.TextBrowserInteraction)
        box.exec()

    def show_welcome(self) -> None:
        """The first run: what to do next, and what needs a network."""
        s = settings()
        if s.value("ui/welcomed", "false") == "true":
            return
        s.setValue("ui/welcomed", "true")
        self.banner.show_message(
            "Welcome to Reader. This is a one-minute demo: press Space to play and watch the transcript follow. "
            "Then import a video with File ▸ Import from URL (Ctrl+I), or open a video and subtitle file you have (Ctrl+O). "
            "Importing and asking Claude need a network; watching, reading, searching and your notes never do.",
            "info",
        )

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
            self.open_files(paths)
            return
        links = [u.toString() for u in mime.urls() if u.scheme() in ("http", "https")] or [mime.text().strip()]
        if links and looks_like_url(links[0]):
            self.import_dialog(links[0])

    # -- remembering the layout ----------------------------------------------------------------
    def _restore(self) -> None:
        s = settings()
        geometry = s.value("window/geometry")
        if geometry is not None:
            self.restoreGeometry(geometry)
        else:
            self.resize(1280, 760)
        state = s.value("window/splitter")
        if state is None or not self.splitter.restoreState(state) or self.splitter.sizes()[-1] == 0:
            self.splitter.setSizes([600, 470, 330])
        self.player.set_volume(int(s.value("player/volume", 80)))
        self.player.set_muted(s.value("player/muted", "false") == "true")
        self.player.set_rate(float(s.value("player/rate", 1.0)))

    def closeEvent(self, event) -> None:
        self.save_position()
        self.notes_pane.flush_note()
        self.asker.stop()
        self.import_panel.cancel()
        if self._file_worker is not None:  # stop between two cards or videos rather than mid-file
            self._file_worker.cancel()
            pool().waitForDone(10_000)
        s = settings()
        s.setValue("window/geometry", self.saveGeometry())
        s.setValue("window/splitter", self.splitter.saveState())
        s.setValue("player/volume", self.player.volume())
        s.setValue("player/muted", "true" if self.player.is_muted() else "false")
        s.setValue("player/rate", self.player.rate())
        s.sync()
        self.player.pause()
        super().closeEvent(event)
