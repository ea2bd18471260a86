"""The window's file dialogs (Open, Open Subtitles, Export, Restore): where they start, what they offer, what follows."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import QFileDialog

from reader.library.importing import safe_name
from reader.library.media_files import MEDIA_SUFFIXES
from reader.library.opened import display_title
from reader.transcript import TRANSCRIPT_SUFFIXES

# Each takes the main window as `self`: MainWindow names them as its own methods (open_dialog and so on).


def open_media(self) -> None:
    media_glob = " ".join(f"*{s}" for s in MEDIA_SUFFIXES)
    subs_glob = " ".join(f"*{s}" for s in TRANSCRIPT_SUFFIXES)
    paths, _ = QFileDialog.getOpenFileNames(
        self, "Open video, audio or transcript", self.reading.start_folder(), f"Media and transcripts ({media_glob} {subs_glob});;All files (*)"
    )
    if paths:
        self.reading.open_files([Path(p) for p in paths])


def open_subtitles(self) -> None:
    subs_glob = " ".join(f"*{s}" for s in TRANSCRIPT_SUFFIXES)
    path, _ = QFileDialog.getOpenFileName(self, "Open subtitles or transcript", self.reading.start_folder(), f"Transcripts ({subs_glob});;All files (*)")
    if path:
        self.reading.open_files([Path(path)])


def export(self, to: str, this_video: bool) -> None:
    if self.store is None:
        return
    video_id = self.reading.video_id if this_video else None
    if this_video and video_id is None:
        self.banner.show_message("Open a library video first (the demo has no notes until you add some).", "info")
        return
    title = display_title(self.store.video(video_id)["title"], 80) if video_id else "Reader library"
    from reader.exchange.formats import FORMATS  # here: the formats load when an export is asked for

    suffix = FORMATS[to].suffix
    if to == "md" and video_id is None:
        target = QFileDialog.getExistingDirectory(self, "Export the library as Markdown into a folder", self.reading.start_folder())
    else:
        target, _ = QFileDialog.getSaveFileName(self, "Export", str(Path(self.reading.start_folder()) / (safe_name(title, 60) + suffix)), f"*{suffix}")
    if not target:
        return
    self.file_jobs.export(video_id, to, Path(target), self.export_timestamps.isChecked(), self.export_transcript.isChecked())


def restore(self) -> None:
    path, _ = QFileDialog.getOpenFileName(self, "Restore from a backup", self.reading.start_folder(), "Reader backup (*.json)")
    if path and self.store is not None:
        self.file_jobs.restore(Path(path))
