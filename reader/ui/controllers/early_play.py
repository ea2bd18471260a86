"""An entry whose video is not here yet: its card (Download Video, Play Now), the stream while it downloads, the switch to the file."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QObject, Signal

from reader.library.db.downloads import PARTIAL, download_words, lacks_video
from reader.library.download import ImportFailed
from reader.library.video_download import download_running
from reader.library.video_stream import resolve_stream
from reader.ui.worker import Worker, message


class EarlyPlayController(QObject):
    """Says and does what an open entry lacking its video offers. Announces; never touches a widget."""

    card_changed = Signal(str, object)  # the video pane's text, its buttons as ((action, label), ...)
    available_changed = Signal(float)  # how much of the video is downloaded (0..1); -1: all of it, or not downloading
    length_known = Signal(int)  # the length the library knows of the entry's video (ms), for the time, while none plays

    def __init__(self, reading, downloads, extractors_from=lambda: (), parent=None):
        super().__init__(parent)
        self.reading, self.downloads, self.extractors_from = reading, downloads, extractors_from
        self.max_height = 720  # the stream's quality: it shares the connection with the download
        self.worker: Worker | None = None  # finding the stream's address
        self._fraction = -1.0
        self._stream_problem = ""  # why the open entry cannot stream (said on its card)
        self._shown = ("", ())
        reading.session_changed.connect(self.on_session_changed)
        reading.player.media_failed.connect(self.on_media_failed)
        downloads.started.connect(self.on_download_changed)
        downloads.progress_of.connect(self.on_download_progress)
        downloads.stopped.connect(lambda video_id, _text, _cancelled: self.on_download_changed(video_id))
        downloads.ready.connect(self.on_download_ready)

    def _row(self) -> dict | None:
        store, video_id = self.reading.store, self.reading.video_id
        return store.video(video_id) if store is not None and video_id is not None else None

    def _waits_for_video(self) -> dict | None:
        """The open entry's row when it lacks its video (and no file of its own is open), else None."""
        row = self._row()
        session = self.reading.session
        return row if row is not None and lacks_video(row) and session is not None and session.media is None else None

    # -- what the pane says ---------------------------------------------------------------------------
    def on_session_changed(self, _session, same_media: bool) -> None:
        if same_media:
            return
        self._stream_problem, self._shown = "", ("", ())
        row = self._waits_for_video()
        if row is None:
            self._set_fraction(-1.0)
            return
        if int(row.get("duration_ms") or 0) > 0:  # "0:00 / 8:00", not "0:00 / 0:00"
            self.length_known.emit(int(row["duration_ms"]))
        total = int(row.get("video_total") or 0)
        fraction = min(0.999, int(row.get("video_bytes") or 0) / total) if total > 0 else 0.0
        live = self.downloads.progress_now(row["id"])  # the library holds it every few seconds; this, as of now
        if live is not None and live.fraction is not None and not live.sound:
            fraction = min(0.999, max(0.0, live.fraction))
        self._set_fraction(fraction)
        self.show_card(row)

    def _set_fraction(self, fraction: float) -> None:
        self._fraction = fraction
        self.available_changed.emit(fraction)

    def show_card(self, row: dict | None = None) -> None:
        """The open entry's card: downloading (Play Now), or not downloaded (Download Video), and why it stopped."""
        row = row or self._waits_for_video()
        if row is None or self.reading.stream is not None:
            return
        share = f" ({int(self._fraction * 100)}% so far)" if self._fraction > 0 else ""
        if self.worker is not None:
            text, actions = "Opening the video's stream from the site…", ()
        elif self.downloads.running(row["id"]) or download_running(row):
            text = (f"The video is downloading{share}.\n\nRead along meanwhile, or play it now from the site; it "
                    "switches to the downloaded file, at the same moment, once that is whole.")
            actions = (("play", "Play Now"),)
            if self._stream_problem:
                text, actions = f"The video is downloading{share}.\n\n{self._stream_problem}", ()
        else:
            words = download_words(row) or "video not downloaded"
            text = (f"{words[0].upper()}{words[1:]}.\n\nThe transcript is here to read, search and note. Download Video "
                    f"fetches the video{' from where it stopped' if row.get('video_state') == PARTIAL else ''}, "
                    "and it can play while it downloads.")
            if row.get("video_error"):
                text += f"\n\n{row['video_error']}"
            actions = (("download", "Download Video"),)
        if (text, actions) != self._shown:
            self._shown = (text, actions)
            self.card_changed.emit(text, actions)

    # -- what its buttons do --------------------------------------------------------------------------
    def act(self, action: str) -> None:
        row = self._waits_for_video()
        if row is None:
            return
        if action == "download":
            self.downloads.download(row["id"])
        elif action == "play":
            self.play_now(row)

    def toggle_play(self) -> None:
        """Space, K, the media key: an entry whose video is downloading starts streaming it; else play or pause."""
        row = self._waits_for_video() if self.reading.stream is None else None
        if row is not None and (self.downloads.running(row["id"]) or download_running(row)):
            self.play_now(row)
        else:
            self.reading.player.toggle()

    def play_now(self, row: dict | None = None) -> None:
        """Find the address yt-dlp resolves for the entry's link (off the GUI thread), then stream it from here."""
        row = row or self._waits_for_video()
        if row is None or self.worker is not None or self.reading.stream is not None:
            return
        video_id, url, height, extractors = row["id"], str(row.get("source_url") or ""), self.max_height, list(self.extractors_from())
        worker = Worker(lambda _report, _cancelled: resolve_stream(url, height, extractors), (ImportFailed,))
        worker.signals.finished.connect(lambda stream: self._on_resolved(video_id, stream))
        worker.signals.failed.connect(lambda exc: self._on_resolve_failed(video_id, exc))
        self.worker = worker
        worker.start()
        self.show_card(row)

    def _on_resolved(self, video_id: int, stream) -> None:
        self.worker = None
        if self.reading.video_id == video_id and self._waits_for_video() is not None:  # not finished meanwhile
            self.reading.play_stream(stream.url)

    def _on_resolve_failed(self, video_id: int, exc: BaseException) -> None:
        self.worker = None
        if self.reading.video_id == video_id:
            self._stream_problem = message(exc)
            self.show_card()

    def on_media_failed(self, _text: str) -> None:
        """The stream broke (the site, the connection): back to the card, which says so; the download goes on."""
        if self.reading.stream is None:
            return
        self.reading.stream = None
        self._stream_problem = ("The video's stream stopped playing; it plays here once its download is done. "
                                "The transcript can still be read.")
        self._shown = ("", ())
        self.show_card()

    # -- the download -----------------------------------------------------------------------------------
    def on_download_changed(self, video_id: int) -> None:
        if video_id == self.reading.video_id:
            self.show_card()

    def on_download_progress(self, video_id: int, p) -> None:
        if video_id != self.reading.video_id or p.fraction is None or p.sound:  # the sound fetched first is no share of the video
            return
        fraction = min(0.999, max(0.0, p.fraction))
        if int(fraction * 100) != int(self._fraction * 100) and self._waits_for_video() is not None:  # a percent more
            self._set_fraction(fraction)
            self.show_card()

    def on_download_ready(self, video_id: int, media: str) -> None:
        """The whole video is checked and in place: the open entry plays it from where it is."""
        if video_id != self.reading.video_id:
            return
        self._set_fraction(-1.0)
        if self.reading.stream is not None:
            self.reading.swap_to_file(Path(media))  # the stream's last frame stays until the file's first
        else:  # a stream that broke reported 0 as it stopped: the file opens where it had come to
            self.reading.open_video(video_id, self.reading.position() or self.reading.streamed_to)
