"""The library's SQL for local transcription: a job's progress row, and each finished stretch's lines stored at once."""

from __future__ import annotations

import json
from datetime import datetime, timezone

from reader.transcript.model import Chapter, Cue, Transcript

TRANSCRIBED = "transcribed"  # how a transcribed video's transcript_source begins: "transcribed, base.en, 2026-12-01"


def _now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="seconds")


def is_transcribed(source: str | None) -> bool:
    return (source or "").startswith(TRANSCRIBED)


class TranscriptionQueries:
    """Mixed into Store: transcription rows (video, model, language, stretch, done_ms, status) and their lines."""

    def may_transcribe(self, video_id: int, whole: bool) -> str:
        """Why a transcription of this video may not start ("" when it may): a video whose transcript came from
        elsewhere is only ever re-transcribed a stretch at a time, never replaced whole."""
        row = self.db.execute("select transcript_source, cue_count, media_path, sound_path from videos where id = ?",
                              [video_id]).fetchone()
        if row is None:
            return f"There is no video {video_id} in the library."
        source, count, media, sound = row
        if not media and not sound:  # the sound fetched before the video will do
            return f"Video {video_id} has no media file in the library, so there is nothing to transcribe."
        if whole and count and not is_transcribed(source):
            return (f"Video {video_id} already has a transcript ({source or 'from a file'}); to transcribe a stretch of it "
                    "again, give --from and --to.")
        return ""

    def start_transcription(self, video_id: int, model: str, model_path: str, language: str | None, from_ms: int,
                            to_ms: int | None, pid: int) -> int:
        with self.writing():
            if self.db.execute("select 1 from videos where id = ?", [video_id]).fetchone() is None:
                raise LookupError(f"video {video_id} is no longer in the library")  # removed since the job looked
            return self.db["transcriptions"].insert({
                "video_id": video_id, "model": model, "model_path": model_path, "language": language or "",
                "from_ms": from_ms, "to_ms": to_ms, "done_ms": from_ms, "status": "running", "pid": pid,
                "started_at": _now(),
            }).last_pk

    def claim_transcription(self, transcription_id: int, pid: int) -> None:
        """A resumed job's worker takes over its row."""
        with self.writing():
            self.db.execute("update transcriptions set pid = ?, status = 'running', error = '' where id = ?", [pid, transcription_id])

    def transcription(self, transcription_id: int) -> dict | None:
        rows = list(self.db.query("select * from transcriptions where id = ?", [transcription_id]))
        return rows[0] if rows else None

    def running_transcriptions(self) -> list[dict]:
        """Rows still marked running (their worker may be alive, or was killed with its Reader)."""
        return list(self.db.query("select * from transcriptions where status = 'running' order by id"))

    def end_transcription(self, transcription_id: int, status: str, error: str = "") -> None:
        """Mark a job done, cancelled or failed (one that is already done stays done)."""
        if self.read_only:
            return
        with self.writing():
            self.db.execute(
                "update transcriptions set status = ?, error = ?, finished_at = ? where id = ? and status != 'done'",
                [status, error[:2000], _now(), transcription_id])

    def is_ours(self, video_id: int) -> bool:
        """Whether the video's transcript is empty or transcribed (a transcription may then write all of it)."""
        row = self.db.execute("select transcript_source, cue_count from videos where id = ?", [video_id]).fetchone()
        return row is not None and (not row[1] or is_transcribed(row[0]))

    def add_transcribed_stretch(self, transcription_id: int, video_id: int, cues: list[Cue], from_ms: int, to_ms: int,
                                source: str, language: str, chapters: list[Chapter], only_ours: bool = False) -> int:
        """Put a finished stretch's lines in place of the lines that start inside [from_ms, to_ms), and record that
        the job is done up to to_ms, in one transaction. Lines after the stretch, and highlights, stay; when lines
        are replaced, highlights are re-placed on the new ones. Returns how many lines the video has now. With
        only_ours, a video that got a transcript from elsewhere meanwhile (an import) is left alone: LookupError."""
        with self.writing():
            row = self.db.execute("select transcript_source, cue_count from videos where id = ?", [video_id]).fetchone()
            if row is None:
                raise LookupError(f"video {video_id} is no longer in the library")
            ours = not row[1] or is_transcribed(row[0])
            if only_ours and not ours:
                raise LookupError(f"video {video_id} got a transcript from elsewhere meanwhile ({row[0]}), so the "
                                  "transcription stopped and left it as it is")
            later = self.db.execute("select count(*) from cues where video_id = ? and start_ms >= ?", [video_id, from_ms]).fetchone()[0]
            if later:
                old = self.transcript(video_id)
                kept_before = [c for c in old.cues if c.start_ms < from_ms]
                kept_after = [c for c in old.cues if c.start_ms >= to_ms]
                new = Transcript(kept_before + cues + kept_after, old.chapters or chapters, [], old.format or "whisper")
                self._replace_transcript(video_id, new)
                count = len(new.cues)
            else:
                seq = self.db.execute("select coalesce(max(seq), -1) + 1 from cues where video_id = ?", [video_id]).fetchone()[0]
                self.db["cues"].insert_all(
                    {"video_id": video_id, "seq": seq + i, "start_ms": c.start_ms, "end_ms": c.end_ms, "speaker": None,
                     "text": c.text, "turn": 0,
                     "words": json.dumps([[w.start_ms, w.text] for w in c.words], ensure_ascii=False) if c.words else None}
                    for i, c in enumerate(cues))
                has_chapters = self.db.execute("select count(*) from chapters where video_id = ?", [video_id]).fetchone()[0]
                if chapters and not has_chapters:
                    self.db["chapters"].insert_all({"video_id": video_id, "start_ms": ch.start_ms, "title": ch.title} for ch in chapters)
                count = seq + len(cues)
                self._index_passages(video_id)
            changes: dict = {"cue_count": count}
            if ours:
                changes.update(transcript_source=source, transcript_language=language, transcript_format="whisper",
                               transcript_path="")
            self.db["videos"].update(video_id, changes)
            self.db.execute("update transcriptions set done_ms = ?, language = ? where id = ?", [to_ms, language, transcription_id])
        return count
