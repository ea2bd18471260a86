"""Reading: the open video or transcript, the position clock (with or without media), resume, and the sync offset."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QObject, QTimer, Signal

from reader.library.db.errors import LibraryError
from reader.library.db.store import Store, peek_last_opened
from reader.library.importing import ImportFailed, check_file, clean_library, commit, open_in_place, prepare_file, remove
from reader.library.media_files import is_media, is_transcript
from reader.library.opened import Session, display_title, library_session, open_session, source_line
from reader.library.opening import library_exists, open_library
from reader.transcript import TranscriptError, read_transcript
from reader.ui.settings import settings

SAVE_EVERY_MS = 5000




def log_failure() -> None:
    """What went wrong goes to the log (without the key), not on screen."""
    import traceback

    from reader.base.paths import crash_log
    from reader.base.redaction import redact

    try:
        with crash_log().open("a", encoding="utf-8") as f:
            f.write(redact(traceback.format_exc()) + "\n")
    except OSError:
        pass


class ReadingController(QObject):
    """Owns the library connection, the open session and where it is. With media the player is the clock;
    without, a seek moves the position itself. Announces; never touches a widget."""

    session_changed = Signal(object, bool)  # Session, same media as before (kept playing)
    position_changed = Signal(int)  # ms: where the transcript, notes and controls are
    title_changed = Signal(str)  # the media's own title, learnt once it loaded
    media_ready = Signal(bool)  # has a picture
    offset_changed = Signal(int)  # ms: the open video's subtitle offset
    message_changed = Signal(str, str)  # text, level
    library_requested = Signal()  # an entry failed to open: show the library
    jumped = Signal(int)  # ms: a seek is about to move the position there (not playback)

    def __init__(self, player, events, parent=None):
        super().__init__(parent)
        self.player = player
        self.events = events
        self.store: Store | None = None
        self.session: Session | None = None
        self.library_problem = ""  # said again whenever a video opens with nothing else to say
        self.offset_ms = 0
        self.has_video = False  # the open media has a picture (known once it loaded)
        self._saved_ms = 0
        self._placed = True  # the open media has been shown at its place (until then, no place is saved)
        self._position = 0
        self.streamed_to = 0  # the last moment a stream of the open entry showed (0: none)
        self._preloaded = False  # the player holds media loaded ahead of its session (see preload)
        self._preload_at = 0  # where that media was left
        self.stream: str | None = None  # the address the open entry's video streams from while it downloads
        self._play_on_load = False  # the media being loaded replaces one that was playing: it plays on
        player.position_changed.connect(self.on_player_position_changed)
        player.duration_changed.connect(self.on_player_duration_changed)
        player.playing_changed.connect(self.on_player_playing_changed)
        player.media_loaded.connect(self.on_player_media_loaded)

    # -- the library ------------------------------------------------------------------------------
    def open_library(self) -> str:
        """Open the library (tidying what an interrupted import left); returns what is wrong with it, if anything."""
        store, error = None, ""
        try:
            store = open_library()
            if not store.read_only:
                clean_library(store)
        except (LibraryError, OSError) as exc:
            error = str(exc)
        return self.adopt(store, error)

    def adopt(self, store: Store | None, error: str = "") -> str:
        """The library opened (in a thread, say), or why it could not be; returns what is wrong with it, if anything."""
        self.store = store
        if store is None:
            self.library_problem = f"{error} Reader works without it, but nothing is saved."
        if self.store is not None and self.store.read_only_reason:  # a full disk, not the user's doing
            self.library_problem = (f"{self.store.read_only_reason}, so it shows the library but saves nothing you do "
                                    "here until that is put right; then open Reader again to keep notes.")
        elif self.store is not None and self.store.read_only:
            self.library_problem = (f"The library at {self.store.path} is read-only, so Reader shows it but saves "
                                    "nothing you do here; make it writable and open Reader again to keep notes.")
        return self.library_problem

    def close_library(self) -> None:
        """Reader is closing: the library is closed cleanly (the next open need not check it)."""
        if self.store is not None:
            self.save_position()
            self.store.close()
            self.store = None

    @property
    def video_id(self) -> int | None:
        return self.session.video_id if self.session is not None else None

    def _say(self, text: str, level: str = "error") -> None:
        self.message_changed.emit(text, level)

    # -- opening --------------------------------------------------------------------------------
    def start(self, media: Path | None = None, subs: Path | None = None, video_id: int | None = None,
              position_ms: int = -1) -> str:
        """Open what the window shows first: the given entry or files, else the last video, else the demo.
        Returns "library" when the library should show instead, "demo" when the demo opened, else ""."""
        store = self.store
        if video_id is not None:
            self.open_video(video_id, position_ms)
        elif media is not None or subs is not None:
            self.open_paths(media, subs)
        elif store is not None and store.last_opened() is not None:
            self.open_video(store.last_opened())  # a video that fails to open shows the library and says so
        elif store is not None and store.count():
            return "library"
        else:
            self.open_demo()
            self._welcome()
            return "demo"
        return ""

    def first_media(self, media: Path | None = None, subs: Path | None = None, video_id: int | None = None) -> tuple[Path, int] | None:
        """What start() will play and where, when it is known before the library is open, so that it can load
        first: the media file asked for, else the last video's (read without opening the library), else the
        demo on a first run (no library yet); otherwise None."""
        if video_id is not None and media is None or subs is not None:
            return None
        if media is None and library_exists():
            media, at = peek_last_opened() or (None, 0)
        elif media is None:
            from reader.base.resources import demo_video

            media, at = demo_video(), 0
        else:  # `reader open FILE`, with the entry (video_id) it has
            at = 0
        try:
            return (media.resolve(), at) if media is not None and is_media(media) and media.is_file() else None
        except OSError:
            return None

    def preload(self, media: Path, at_ms: int = 0) -> None:
        """Load media into the player ahead of its session, to start at at_ms: its first frame is drawn while
        the library, the transcript and the rest are still loading. The session that follows keeps it playing."""
        self._preloaded, self._preload_at = True, at_ms
        self.player.load(media)

    def _welcome(self) -> None:
        """The first run: what to do next, and what needs a network (said once; not where settings cannot be kept)."""
        s = settings()
        if s.get("ui/welcomed") or s.problem:
            return
        s.set("ui/welcomed", True)
        self._say(
            "Welcome to Reader. This is a one-minute demo: press Space to play and watch the transcript follow. "
            "Then import a video with File ▸ Import from URL (Ctrl+I), or open a video and subtitle file you have (Ctrl+O). "
            "Importing and asking Claude need a network; watching, reading, searching and your notes never do.",
            "info",
        )

    def open_paths(self, media: Path | None, subs: Path | None = None) -> None:
        """Open a media file and/or a transcript; it becomes a library entry, referring to the files
        where they are. Any problem is said, never a crash. A named transcript that cannot
        be used changes nothing: a library entry keeps the transcript it has."""
        try:  # a pipe or a folder is refused before anything opens it (a pipe would wait forever)
            for path, what in ((media, "video or audio file"), (subs, "transcript")):
                if path is not None:
                    check_file(path, what)
        except ImportFailed as exc:
            self._say(str(exc))
            return
        if self.store is not None:
            opened = open_in_place(self.store, media, subs)
            if not opened.problem:
                self.events.library_changed.emit(self)
                self.open_video(opened.video_id, -1, opened.prepared.notices)
                return
            if opened.video_id is not None:  # the entry the media had, as it was
                self.open_video(opened.video_id, -1)
                self._say(opened.problem)
                return
            # otherwise the session below shows what is wrong, with the rest still usable
        self.show_session(open_session(media, subs))

    def open_video(self, video_id: int, position_ms: int = -1, notices: list[str] | None = None) -> bool:
        """Open a library entry where it was left (or at position_ms), from the database: no network needed."""
        if self.store is None:
            return False
        try:
            session = library_session(self.store, video_id)
        except Exception:  # one entry's bad data (a damaged row, say) fails alone: the rest of the library still opens
            log_failure()
            self.library_requested.emit()
            self._say("That video could not be opened: its entry in the library is damaged. "
                      "The rest of the library is fine; importing the video again repairs it.")
            return False
        if session is None:
            self._say("That video is no longer in the library.")
            return False
        if notices:
            session.errors.extend(n for n in notices if "could not be read" in n)
            session.notices.extend(n for n in notices if "could not be read" not in n)
        if position_ms >= 0:
            session.resume_ms, session.exact = position_ms, True
        try:
            self.show_session(session)
        except Exception:
            log_failure()
            self.session = None
            self.library_requested.emit()
            self._say("That video could not be shown: its entry in the library holds data Reader cannot use. "
                      "The rest of the library is fine; importing the video again repairs it.")
            return False
        self.store.mark_opened(video_id)
        return True

    def open_demo(self) -> None:
        """The bundled demo opens without becoming a library entry; once it is one (it got a note), it opens as
        that entry, with its notes, answers and cards, where it was left, as every entry does."""
        from reader.base.resources import demo_video
        from reader.library.importing import opened_entry

        demo = demo_video()
        try:
            entry = opened_entry(self.store, demo) if self.store is not None else None
        except OSError:  # the demo's file cannot be read: the session below says so
            entry = None
        if entry is None or not self.open_video(entry):
            self.show_session(open_session(demo))

    def open_files(self, paths: list[Path]) -> None:
        """Open what was chosen or dropped: a media file, a transcript, or one of each."""
        media = next((p for p in paths if is_media(p)), None)
        subs = next((p for p in paths if is_transcript(p)), None)
        if media is None and subs is None:
            if paths:
                self._say(f"{paths[0].name}: Reader opens video, audio and subtitle files; this is neither.")
            return
        if media is None and self.video_id is not None and self.store is not None:
            self.attach_transcript(self.video_id, subs)  # a subtitle for the open library entry
            return
        if media is None and self.session is not None and self.session.media is not None:
            media = self.session.media  # a subtitle dropped on an open video belongs to it
        self.open_paths(media, subs)

    def attach_transcript(self, video_id: int, subs: Path) -> None:
        """A subtitle file for the open library entry: stored with it, shown at once, playback undisturbed.
        One that cannot be read or has no lines changes nothing; the message says why."""
        kept = " The transcript you had is kept."
        try:
            check_file(subs, "transcript")
            transcript = read_transcript(subs)
        except ImportFailed as exc:
            self._say(f"{exc}{kept}")
            return
        except TranscriptError as exc:
            self._say(f"The transcript could not be read. {str(exc).rstrip('.')}.{kept}")
            return
        if not transcript.cues:
            self._say(f"{subs.name} has no lines to show.{kept}")
            return
        if not transcript.chapters and self.session and self.session.transcript:
            transcript.chapters = self.session.transcript.chapters
        change = self.store.set_transcript(video_id, transcript, str(subs.resolve()), "file")
        notices = [f"{subs.name}: " + " ".join(transcript.warnings)] if transcript.warnings else []
        if change.lost:
            n = len(change.lost)
            notices.append(f"{n} highlight{'s' if n != 1 else ''} could not be placed on the new transcript; "
                           f"{'they are' if n != 1 else 'it is'} kept in the notes list, marked “not in this transcript”.")
        self.events.library_changed.emit(self)
        self.open_video(video_id, self.player.position() if self.session and self.session.media else -1, notices or None)

    def show_session(self, session: Session) -> None:
        """Make session the open one: the old one's place is saved, the media loaded unless it is the same."""
        self.save_position()
        same_media = (session.media is not None and self.player.source == session.media) or (
            session.media is None and self.stream is not None and session.video_id is not None and session.video_id == self.video_id)
        if not same_media:
            self.stream = None
        preloaded, self._preloaded = self._preloaded and same_media, False
        if same_media and self.player.title() and session.video_id is None:
            session.title = self.player.title()
        self.session = session
        self._saved_ms = session.resume_ms
        if not same_media or preloaded:  # media is placed once it has loaded and gone to its place
            self._placed = session.media is None
        if not same_media:  # a new transcript for the open media keeps playing where it was
            self.has_video = False
            self.player.load(session.media)
            self._position = 0
        self.offset_ms = self._stored_offset(session.video_id)
        self.session_changed.emit(session, same_media)
        self.offset_changed.emit(self.offset_ms)
        if preloaded:  # what loading does for a session (its place, its picture), now that there is one
            if self.player.loaded():
                self.on_player_media_loaded(self.player.has_video())
        elif same_media and session.exact:
            self.player.seek(session.resume_ms)  # the media is already open: go to the moment asked for
            session.resume_ms = 0
        elif same_media:
            self.position_changed.emit(self.player.position())
        elif session.media is None and session.resume_ms:
            self.on_player_position_changed(session.resume_ms)
        if session.errors:
            self._say("\n".join(session.errors), "error")
        elif session.notices:
            self._say("\n".join(session.notices), "info")
        elif self.library_problem:
            self._say(self.library_problem)
        elif settings().problem:  # a settings file that cannot be used: said again, as the library's problems are
            self._say(settings().problem, "info")

    def source_text(self) -> str:
        """Where the open transcript came from, for the line under the title."""
        session = self.session
        if session is None:
            return ""
        if session.details:
            return session.details
        if session.transcript_path is not None and session.transcript is not None:
            return source_line("file", "", session.transcript_path.name, session.transcript.format)
        return "No transcript found beside the media" if session.media is not None else ""

    def ensure_entry(self) -> int | None:
        """Notes belong to a library entry; the demo becomes one the first time it gets a note."""
        if self.session is None or self.store is None:
            return None
        if self.session.video_id is None and self.session.media is not None:
            try:
                prepared = prepare_file(self.session.media, self.session.transcript_path, copy=False)
                prepared.record.title = self.session.title  # the title shown (the media's own), not the file name
                self.session.video_id = commit(self.store, prepared)
                self.store.mark_opened(self.session.video_id)  # the demo with a note is now the video to reopen
            except ImportFailed as exc:
                self._say(f"Notes cannot be kept for this video: {exc}")
                return None
            self.events.library_changed.emit(self)
        return self.session.video_id

    def remove(self, video_id: int) -> None:
        """Remove an entry (closing it if it is open) and the files Reader made for it."""
        if self.store is None or self.store.video(video_id) is None:
            return
        if self.video_id == video_id:
            self.player.load(None)
            self.session = None
        remove(self.store, video_id)
        self.events.library_changed.emit(self)

    def start_folder(self) -> str:
        """Where a file dialog opens: the folder of the file open where it is, else the documents folder if
        there is one, else the home folder (never Reader's own data folder, nor the bundled demo's)."""
        from PySide6.QtCore import QStandardPaths

        from reader.base.paths import data_dir
        from reader.base.resources import resource_dir

        own = [resource_dir().resolve(), data_dir().resolve()]
        session = self.session
        for path in (session.media, session.transcript_path) if session is not None else ():
            try:
                folder = Path(path).resolve().parent if path is not None else None
            except OSError:
                continue
            if folder is not None and folder.is_dir() and not any(folder.is_relative_to(o) for o in own):
                return str(folder)
        documents = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.DocumentsLocation)
        # a folder that does not exist would land in the dialog's file-name box ("Documents") instead
        return documents if documents and Path(documents).is_dir() else str(Path.home())

    # -- the clock --------------------------------------------------------------------------------
    def has_media(self) -> bool:
        return self.session is not None and (self.session.media is not None or self.stream is not None)

    def play_stream(self, url: str) -> None:
        """Play the open entry's video from the site while it downloads, from where the reading is."""
        if self.session is None:
            return
        self.save_position()
        self.session.resume_ms, self.session.exact = self.position(), True
        self.stream = url
        self.streamed_to = 0
        self._placed, self._play_on_load, self.has_video = False, True, False
        self.player.load(url)

    def swap_to_file(self, media: Path) -> None:
        """The open entry's download is done: its file takes the stream's place at the same moment, playing on if it
        was (the last frame stays on screen meanwhile)."""
        if self.session is None:
            return
        # a stream that has just stalled or dropped may say 0: the last moment it showed is where the reader is
        at, playing = self.position() or self.streamed_to, self.player.is_playing()
        self.session.media, self.stream = media, None
        self.session.resume_ms, self.session.exact = at, True
        self._placed, self._play_on_load = False, playing
        self.player.load(media)

    def position(self) -> int:
        return self.player.position() if self.has_media() else self._position

    def seek(self, ms: int) -> None:
        self.jumped.emit(ms)
        if self.has_media():
            self.player.seek(ms)
        else:
            self.on_player_position_changed(ms)  # reading only: the position moves by itself

    def skip(self, delta_ms: int) -> None:
        if self.has_media():
            self.seek(self.player.position() + delta_ms)

    def chapter_target(self, step: int) -> int | None:
        """Where the previous (step -1) or next (+1) chapter starts, as YouTube's Ctrl+Left/Right go: back
        means the start of this chapter when more than two seconds into it, else the one before."""
        transcript = self.session.transcript if self.session is not None else None
        starts = sorted({c.start_ms for c in transcript.chapters}) if transcript is not None else []
        here = self.position()
        if step > 0:
            return next((ms for ms in starts if ms > here + 500), None)
        earlier = [ms for ms in starts if ms < here - 2000]
        return earlier[-1] if earlier else (0 if starts and here > 0 else None)

    def save_position(self, ms: int | None = None) -> None:
        """Remember where the open entry was left, so it reopens there; not before its media has been shown at
        the place it opened at (the player is at 0 until then, and 0 would overwrite the place kept)."""
        if self.video_id is None or self.store is None or not self._placed:
            return
        if ms is None:
            ms = self.position()
        self._saved_ms = ms
        try:
            self.store.set_position(self.video_id, ms)
        except Exception:  # a busy or read-only database must not interrupt playback
            pass

    def set_offset(self, ms: int) -> None:
        """The subtitle offset chosen for the open video, kept with it for the next time it opens."""
        self.offset_ms = ms
        if self.video_id is not None and self.store is not None:
            self.store.set_sync_offset(self.video_id, ms)

    def _stored_offset(self, video_id: int | None) -> int:
        row = self.store.video(video_id) if video_id is not None and self.store is not None else None
        return int(row.get("sync_offset_ms") or 0) if row else 0

    def _resume(self, ms: int, exact: bool) -> None:
        """A place left within the last seconds starts over; a moment asked for is always honoured."""
        if ms > 0 and (exact or self.player.duration() <= 0 or ms < self.player.duration() - 3000):
            self.player.seek(ms)

    # -- the player -------------------------------------------------------------------------------
    def on_player_position_changed(self, ms: int) -> None:
        self._position = ms
        if self.stream is not None and ms > 0:
            self.streamed_to = ms  # where a stream that breaks (and reports 0) had come to
        self.position_changed.emit(ms)
        if abs(ms - self._saved_ms) >= SAVE_EVERY_MS:
            self.save_position(ms)

    def on_player_duration_changed(self, ms: int) -> None:
        if self.store is not None and self.video_id is not None:
            self.store.learn_duration(self.video_id, ms)

    def on_player_playing_changed(self, playing: bool) -> None:
        if not playing:
            self.save_position()

    def on_player_media_loaded(self, has_video: bool) -> None:
        if self._preloaded and self.session is None and self._preload_at:  # where the last video was left
            self._resume(self._preload_at, False)
        if not self.has_media():
            return
        session = self.session
        resume, session.resume_ms = session.resume_ms, 0
        self._resume(resume, session.exact)
        self._placed = True
        title = self.player.title()
        if title and title != session.title and session.video_id is None:
            session.title = display_title(title)
            self.title_changed.emit(session.title)
        self.has_video = has_video
        self.media_ready.emit(has_video)
        if self._play_on_load:
            self._play_on_load = False
            QTimer.singleShot(0, self.player.play)  # once the player has settled on its first frame
