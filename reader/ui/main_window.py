"""The main window, the switchboard: builds the player, video pane and transcript pane and wires them."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QSettings, Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QApplication, QFileDialog, QMainWindow, QMessageBox, QSplitter, QVBoxLayout, QWidget

from .. import __version__
from ..media_files import MEDIA_SUFFIXES, is_media, is_transcript
from ..paths import config_dir
from ..session import Session, open_session
from ..transcript import TRANSCRIPT_SUFFIXES
from .banner import Banner
from .player import Player
from .shortcuts import SHORTCUTS, shortcuts_html
from .transcript_pane import TranscriptPane
from .video_pane import VideoPane


def settings() -> QSettings:
    return QSettings(str(config_dir() / "reader.ini"), QSettings.Format.IniFormat)


class MainWindow(QMainWindow):
    def __init__(self):
        super().__init__()
        self.setWindowTitle("Reader")
        self.setAcceptDrops(True)
        self.player = Player(self)
        self.video_pane = VideoPane(self)
        self.transcript_pane = TranscriptPane(self)
        self.banner = Banner(self)
        self.splitter = QSplitter(Qt.Orientation.Horizontal, self)
        self.splitter.setObjectName("mainSplitter")
        self.splitter.addWidget(self.video_pane)
        self.splitter.addWidget(self.transcript_pane)
        self.splitter.setStretchFactor(0, 3)
        self.splitter.setStretchFactor(1, 2)
        self.splitter.setChildrenCollapsible(False)
        central = QWidget(self)
        layout = QVBoxLayout(central)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        layout.addWidget(self.banner)
        layout.addWidget(self.splitter, 1)
        self.setCentralWidget(central)
        self.player.set_video_output(self.video_pane.video)
        self.session: Session | None = None
        self._has_video = False
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
        self.player.playing_changed.connect(self.on_player_playing_changed)
        self.player.rate_changed.connect(controls.set_rate)
        self.player.volume_changed.connect(controls.set_volume)
        self.player.media_loaded.connect(self.on_player_media_loaded)
        self.player.media_failed.connect(self.on_player_media_failed)
        self.transcript_pane.seek_requested.connect(self.on_seek_requested)

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
        self._action("open", self.open_dialog, file_menu)
        self._action("open_subs", self.open_subtitles_dialog, file_menu)
        self._action("open_demo", self.open_demo, file_menu)
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
        """Open a media file and/or a transcript; any problem shows in the banner, never a crash."""
        self.banner.hide()
        QApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
        try:
            session = open_session(media, subs)
        finally:
            QApplication.restoreOverrideCursor()
        same_media = session.media is not None and self.session is not None and self.session.media == session.media
        if same_media and self.player.title():
            session.title = self.player.title()
        self.session = session
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
        chapters = session.transcript.chapters if session.transcript else []
        pane.controls.set_chapters([c.start_ms for c in chapters])
        self.setWindowTitle(f"{session.title} — Reader")
        if same_media:
            self.transcript_pane.set_position(self.player.position())
        if session.errors:
            self.banner.show_message("\n".join(session.errors), "error")
        elif session.notices:
            self.banner.show_message("\n".join(session.notices), "info")

    def _source_text(self, session: Session) -> str:
        parts = []
        if session.transcript_path is not None and session.transcript is not None:
            parts.append(f"Transcript: {session.transcript_path.name} ({session.transcript.format})")
        elif session.media is not None:
            parts.append("No transcript found beside the media")
        return " · ".join(parts)

    def open_demo(self) -> None:
        from ..resources import demo_video

        self.open_paths(demo_video())

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
            self.open_paths(self.session.media if self.session else None, Path(path))

    def open_files(self, paths: list[Path]) -> None:
        """Open what was chosen or dropped: a media file, a transcript, or one of each."""
        media = next((p for p in paths if is_media(p)), None)
        subs = next((p for p in paths if is_transcript(p)), None)
        if media is None and subs is None:
            if paths:
                self.banner.show_message(f"{paths[0].name}: Reader opens video, audio and subtitle files; this is neither.")
            return
        if media is None and self.session is not None and self.session.media is not None:
            media = self.session.media  # a subtitle dropped on an open video belongs to it
        self.open_paths(media, subs)

    # -- reacting ------------------------------------------------------------------------------
    def on_seek_requested(self, ms: int) -> None:
        if self.session is not None and self.session.media is not None:
            self.player.seek(ms)
        else:
            self.on_player_position_changed(ms)  # reading only: move the highlight
        self.transcript_pane.view.resume_follow()

    def on_player_position_changed(self, ms: int) -> None:
        self.transcript_pane.set_position(ms)
        self.video_pane.controls.set_position(ms)

    def on_player_media_loaded(self, has_video: bool) -> None:
        if self.session is None or self.session.media is None:
            return
        title = self.player.title()
        if title and title != self.session.title:
            self.session.title = title
            self.transcript_pane.title.setText(title)
            self.setWindowTitle(f"{title} — Reader")
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

    def show_shortcuts(self) -> None:
        box = QMessageBox(self)
        box.setWindowTitle("Keyboard shortcuts")
        box.setTextFormat(Qt.TextFormat.RichText)
        box.setText(shortcuts_html())
        box.exec()

    def show_about(self) -> None:
        QMessageBox.about(
            self,
            "About Reader",
            f"<b>Reader {__version__}</b><p>Watch long videos and read their transcripts together. "
            "Everything stays on your disk.</p><p>MIT licence.</p>",
        )

    # -- drag and drop ---------------------------------------------------------------------------
    def dragEnterEvent(self, event) -> None:
        if event.mimeData().hasUrls() and any(u.isLocalFile() for u in event.mimeData().urls()):
            event.acceptProposedAction()

    def dropEvent(self, event) -> None:
        paths = [Path(u.toLocalFile()) for u in event.mimeData().urls() if u.isLocalFile()]
        event.acceptProposedAction()
        self.open_files(paths)

    # -- remembering the layout ----------------------------------------------------------------
    def _restore(self) -> None:
        s = settings()
        geometry = s.value("window/geometry")
        if geometry is not None:
            self.restoreGeometry(geometry)
        else:
            self.resize(1280, 760)
        state = s.value("window/splitter")
        if state is not None:
            self.splitter.restoreState(state)
        else:
            self.splitter.setSizes([760, 520])
        self.player.set_volume(int(s.value("player/volume", 80)))
        self.player.set_muted(s.value("player/muted", "false") == "true")
        self.player.set_rate(float(s.value("player/rate", 1.0)))

    def closeEvent(self, event) -> None:
        s = settings()
        s.setValue("window/geometry", self.saveGeometry())
        s.setValue("window/splitter", self.splitter.saveState())
        s.setValue("player/volume", self.player.volume())
        s.setValue("player/muted", "true" if self.player.is_muted() else "false")
        s.setValue("player/rate", self.player.rate())
        s.sync()
        self.player.pause()
        super().closeEvent(event)
