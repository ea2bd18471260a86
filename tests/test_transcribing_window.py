"""Transcribing in the window, with a stand-in job: lines fill the view while it plays, Cancel, resuming, the model dialog, the offers."""

import shutil
import time
from dataclasses import dataclass
from pathlib import Path
from types import SimpleNamespace

import pytest

from conftest import Store, Cue, Transcript, new_window, select

SOURCE = "transcribed, base.en, 2026-12-01"
LINES = [(0, 1800, "Ada opens the talk."), (2000, 3400, "Ben answers her."), (3500, 4900, "They agree on turn-taking."),
         (5000, 7900, "And then it ends.")]


class StandInJob:
    """Stands in for reader.transcription.job.Job: each poll stores one more line, as the worker process would."""

    def __init__(self, video_id, lines=LINES, fail=""):
        self.video_id = video_id
        self.pending = list(lines)
        self.returncode = None
        self.error = ""
        self.fail = fail
        self.cancelled = False
        self.elapsed = 0.0

    def poll(self):
        if self.cancelled or self.returncode is not None:
            return []
        if not self.pending:
            self.returncode, self.error = (1, self.fail) if self.fail else (0, "")
            return []
        start, end, text = self.pending.pop(0)
        store = Store()
        cues = list(store.transcript(self.video_id).cues) + [Cue(start, end, text)]
        store.set_transcript(self.video_id, Transcript(cues), "", SOURCE)
        store.close()
        self.elapsed += 1.0
        return [{"done_ms": end, "total_ms": 8000, "lines_added": 1, "elapsed_s": self.elapsed}]

    def cancel(self):
        self.cancelled = True
        self.returncode = -15


@dataclass(frozen=True)
class Info:
    name: str
    repo: str
    size_mb: int
    english_only: bool
    speed: str


class Problem(Exception):
    pass


def stand_in_models(installed=None, download=None):
    catalogue = {n: Info(n, f"x/{n}", s, n.endswith(".en"), f"about {f}× real time")
                 for n, s, f in (("tiny", 75, 20), ("tiny.en", 75, 20), ("base", 145, 5), ("base.en", 145, 5), ("small", 484, 1),
                                     ("small.en", 484, 1))}
    have = dict(installed or {})

    def resolve(name_or_path):
        path = Path(name_or_path)
        if not (path / "model.bin").is_file():
            raise Problem(f"{path} is not a Whisper model folder: it has no model.bin.")
        return path.name, path

    return SimpleNamespace(CATALOGUE=catalogue, installed=lambda: dict(have), resolve=resolve, ModelProblem=Problem,
                           download=download or (lambda name, progress, cancelled: Path("/nowhere") / name), have=have)


@pytest.fixture
def silent_clip(clip_dir, tmp_path):
    """The clip with no subtitle file beside it."""
    folder = tmp_path / "silent"
    folder.mkdir()
    shutil.copy(clip_dir / "talk.mp4", folder / "talk.mp4")
    return folder / "talk.mp4"


@pytest.fixture
def window(qtbot, silent_clip):
    w = new_window(qtbot, 1300, 760)
    w.jobs = []

    def start_job(video_id, model, from_ms=0, to_ms=None, language=None):
        job = StandInJob(video_id)
        job.args = (model, from_ms, to_ms, language)
        w.jobs.append(job)
        return job

    w.transcribing.start_job = start_job
    w.transcribing.resume_job = lambda row: start_job(row["video_id"], row["model"], row["done_ms"], row.get("to_ms"),
                                                      row.get("language"))
    w.transcribing.timer.stop()
    w.reading.open_paths(silent_clip)
    qtbot.waitUntil(lambda: w.player.duration() > 0, timeout=10_000)
    yield w
    w.player.pause()
    w.close()


def test_an_entry_without_a_transcript_offers_transcribe_and_one_with_does_not(window, qtbot, clip_dir):
    pane = window.transcript_pane
    assert pane.empty.isVisible() and pane.transcribe_button.isVisible()
    window.show_library()
    window.library_page.select(window.reading.video_id)
    assert window.library_page.transcribe_button.isVisible()
    window.reading.open_paths(clip_dir / "talk.mp4")  # has its talk.en.vtt beside it
    assert pane.view.isVisible() and not pane.transcribe_button.isVisible()
    window.show_library()
    window.library_page.select(window.reading.video_id)
    assert not window.library_page.transcribe_button.isVisible()


def test_lines_fill_the_view_while_it_plays_keeping_selection_and_place(window, qtbot):
    t, pane, view = window.transcribing, window.transcript_pane, window.transcript_pane.view
    video_id = window.reading.video_id
    assert t.start(video_id, "base.en")
    panel = window.transcribe_panel
    assert panel.isVisible() and "Transcribing" in panel.title.text() and panel.cancel_button.isVisible()
    assert not pane.transcribe_button.isVisible() and "first lines appear" in pane.empty.text()
    window.player.play()
    t.poll()
    assert view.isVisible() and not pane.empty.isVisible() and len(view.timeline.cues) == 1
    assert "1.8" in panel.detail.text() or "0:01" in panel.detail.text()
    assert "left" in panel.detail.text()
    assert "Transcribing with base.en" in pane.source_label.text()
    t.poll()
    select(view, 0, 1)
    chosen = view.textCursor().selectedText()
    t.poll()
    assert len(view.timeline.cues) == 3
    assert view.textCursor().selectedText() == chosen  # the reader's selection survives the new lines
    assert window.reading.session.transcript.cues[2].text == "They agree on turn-taking."
    qtbot.waitUntil(lambda: window.player.position() > 0, timeout=10_000)  # it kept playing meanwhile
    assert window.player.is_playing()
    t.poll()
    t.poll()  # the job says it has finished
    assert not t.busy() and not panel.isVisible()
    assert len(view.timeline.cues) == 4
    assert SOURCE in pane.source_label.text()
    from reader.ui.widgets.library_page import source_name

    assert source_name(Store().video(video_id)["transcript_source"]) == "transcribed"  # the library's word for it
    window.player.pause()


def test_the_timer_polls_the_job_until_it_is_done(window, qtbot):
    window.transcribing.start(window.reading.video_id, "tiny")
    qtbot.waitUntil(lambda: not window.transcribing.busy(), timeout=20_000)
    assert len(window.transcript_pane.view.timeline.cues) == 4
    assert Store().video(window.reading.video_id)["cue_count"] == 4


def test_cancel_stops_at_once_and_keeps_the_lines_made(window, qtbot):
    t = window.transcribing
    t.start(window.reading.video_id, "base.en")
    t.poll()
    window.transcribe_panel.cancel_button.click()
    job = window.jobs[-1]
    assert job.cancelled and not t.busy() and not window.transcribe_panel.isVisible()
    assert "cancelled" in window.banner.text()
    t.poll()
    assert len(job.pending) == 3 and len(window.transcript_pane.view.timeline.cues) == 1


def test_a_failure_offers_what_to_do(window, qtbot):
    t = window.transcribing

    def no_model(*_a, **_k):
        raise Problem("No speech model is installed yet.")

    t.start_job = no_model
    assert not t.start(window.reading.video_id, "base.en")
    assert window.transcript_pane.transcribe_button.isVisible()
    panel = window.transcribe_panel
    assert panel.property("state") == "failed" and "No speech model" in panel.detail.text()
    assert panel.action_button.text() == "Choose a Model…"


def test_an_unfinished_transcription_is_offered_at_start(window, qtbot):
    t = window.transcribing
    video_id = window.reading.video_id
    t.find_unfinished = lambda store: [{"video_id": video_id, "model": "base.en", "done_ms": 3400}]
    window.start(video_id=video_id)
    qtbot.waitUntil(lambda: window.transcribe_panel.isVisible(), timeout=5_000)
    panel = window.transcribe_panel
    assert "not finished" in panel.title.text() and "0:03" in panel.detail.text()
    panel.action_button.click()
    assert t.busy() and window.jobs[-1].args == ("base.en", 3400, None, None)


def test_an_import_without_subtitles_offers_transcribe(window, qtbot):
    window.importing.untranscribed.emit(window.reading.video_id)
    panel = window.transcribe_panel
    assert panel.isVisible() and panel.action_button.text() == "Transcribe…"


def test_the_first_time_dialog_downloads_with_progress_and_cancel_leaves_no_model(qtbot, window, tmp_path):
    from reader.ui.widgets.transcribe_dialog import TranscribeDialog

    seen = []

    def download(name, progress, cancelled):
        for i in range(1, 10_000):
            if cancelled():
                raise Problem("cancelled")  # what a cut download does: no folder is left
            progress(i * 1_000_000, 145_000_000)
            seen.append(i)
            time.sleep(0.005)  # a slow network
        return tmp_path / name

    models = stand_in_models(download=download)
    dialog = TranscribeDialog(window, models, "A talk", 2000)
    qtbot.addWidget(dialog)
    assert dialog.first_time and dialog.model() == "base.en" and "145 MB" in dialog.ok.text()
    assert not dialog.language.isEnabled()  # English only
    dialog.ok.click()
    qtbot.waitUntil(lambda: dialog.bar.value() > 0, timeout=10_000)
    assert "Downloading" in dialog.error.text()
    dialog.buttons.rejected.emit()
    qtbot.waitUntil(lambda: dialog.worker is None, timeout=10_000)
    assert dialog.result() == 0 and models.installed() == {}


def test_the_dialog_downloads_then_transcribes_and_takes_a_model_folder(qtbot, window, tmp_path):
    from reader.ui.widgets.transcribe_dialog import TranscribeDialog

    models = stand_in_models(download=lambda name, progress, cancelled: (progress(5, 10), tmp_path / name)[1])
    dialog = TranscribeDialog(window, models, "A talk", 2000)
    qtbot.addWidget(dialog)
    dialog.choices.setCurrentRow(2)  # base: many languages
    assert dialog.language.isEnabled()
    dialog.language.setCurrentIndex(dialog.language.findData("fr"))
    dialog.start_at.setCurrentIndex(1)
    with qtbot.waitSignal(dialog.accepted, timeout=10_000):
        dialog.ok.click()
    assert (dialog.model(), dialog.language_code(), dialog.from_ms()) == ("base", "fr", 2000)

    other = TranscribeDialog(window, models, "A talk")
    qtbot.addWidget(other)
    assert not other.use_folder(tmp_path) and "not a Whisper model folder" in other.error.text()
    (tmp_path / "mine").mkdir()
    (tmp_path / "mine" / "model.bin").write_bytes(b"x")
    assert other.use_folder(tmp_path / "mine") and other.model() == str(tmp_path / "mine") and other.ok.text() == "Transcribe"


def test_a_transcript_only_import_without_subtitles_offers_the_video_then_transcribe(qtbot, site, clip_bytes):
    from reader.library.download import ImportOptions

    from fake_site import FakeTubeIE

    w = new_window(qtbot, 1300, 760)
    w.importing.extractors = [FakeTubeIE()]  # (without it, yt-dlp's generic extractor took the watch page for the video)
    site.add_video("mute", clip_bytes)  # no subtitles, no captions
    w.start_import(site.base + "/watch?v=mute", ImportOptions(video=False))
    panel = w.transcribe_panel
    qtbot.waitUntil(lambda: panel.isVisible(), timeout=20_000)
    assert not w.import_panel.isVisible() and w.store.count() == 0
    assert panel.action_button.text() == "Import with Video" and panel.property("state") == "offer"
    panel.action_button.click()  # imported with the video this time: then Transcribe is offered for it
    qtbot.waitUntil(lambda: w.store.count() == 1 and panel.action_button.text() == "Transcribe…", timeout=30_000)
    assert panel.isVisible() and "came with no subtitles" in panel.title.text()
    assert w.transcript_pane.transcribe_button.isVisible()
    w.close()


def test_a_whole_transcript_from_elsewhere_is_not_replaced_but_a_stretch_can_be_redone(window, qtbot, clip_dir, monkeypatch):
    from reader.ui.transcribe_window import ask
    from reader.ui.widgets.transcribe_dialog import TranscribeDialog

    window.reading.open_paths(clip_dir / "talk.mp4")  # its talk.en.vtt came with it
    window.transcribe_models = stand_in_models(installed={"base.en": Path("/m/base.en"), "small.en": Path("/m/small.en")})
    assert not ask(window) and "has a transcript already" in window.banner.text()
    asked = []
    monkeypatch.setattr(TranscribeDialog, "exec", lambda self: (asked.append(self.stretch), self.choices.setCurrentRow(5), 1)[2])
    view = window.transcript_pane.view
    select(view, 1, 2)
    window.transcript_pane.view.retranscribe_requested.emit()
    assert asked == [(2000, 5000)]  # the selected lines, from the second's start to the third's end
    assert window.jobs[-1].args == ("small.en", 2000, 5000, "en")


@pytest.mark.parametrize("raised, says", [
    (lambda: Problem("No connection to the model host (huggingface.co), so base.en was not downloaded. Check that you "
                     "are online, then try again."),
     "No connection to the model host (huggingface.co), so base.en was not downloaded. Check that you are online, then "
     "try again. Or use a model folder you have."),
    (lambda: KeyError("etag"), "The model could not be downloaded because of an unexpected problem; nothing was kept. "
                               "Try again. Or use a model folder you have."),
])
def test_a_failed_download_in_the_dialog_says_it_once_without_an_error_class(qtbot, window, raised, says):
    """Not "was cut off (ConnectError) … try again. Try again" (issue 19)."""
    from reader.ui.widgets.transcribe_dialog import TranscribeDialog

    def download(name, progress, cancelled):
        raise raised()

    dialog = TranscribeDialog(window, stand_in_models(download=download), "A talk", 2000)
    qtbot.addWidget(dialog)
    dialog.ok.click()
    qtbot.waitUntil(lambda: dialog.worker is None, timeout=10_000)
    assert dialog.error.text() == says and dialog.result() == 0
