"""The library's SQL for videos: their fields, transcripts (cues, chapters), place and layout."""

from __future__ import annotations

import json
from datetime import datetime, timezone
from pathlib import Path
from typing import TYPE_CHECKING

from reader.base.layouts import Layout, layout_from_text, layout_text
from reader.base.numbers import MAX_MS, clamped
from reader.library.db.allowed_values import MAX_SYNC_OFFSET_MS
from reader.library.db.downloads import video_state_values
from reader.library.db.records import TranscriptChange, _clamp, _ms, _words_loader, now
from reader.transcript.model import Chapter, Cue, Transcript

if TYPE_CHECKING:
    from reader.library.db.records import VideoRecord



# every video, newest first, with what the library view shows; as written, the noted count reads index
# highlights_noted (m016) alone
LIST_SQL = (
    "select id, site, site_id, source_url, title, channel, duration_ms, upload_date, thumbnail_path, media_path,"
    " transcript_source, cue_count, last_position_ms, added_at, opened_at, video_state, video_bytes, video_total, video_error,"
    " video_folder, video_wanted, sound_path,"
    " (select count(*) from highlights h where h.video_id = videos.id) as note_count,"  # highlights, each a note or none
    " (select count(*) from highlights h where h.video_id = videos.id and (trim(coalesce(h.note, '')) != '') = 1) as noted_count,"
    " (select group_concat(t.name, ', ') from tags t where t.video_id = videos.id) as tags_text"
    " from videos order by added_at desc, id desc"
)


class VideoQueries:
    """The library's SQL for videos: their fields, transcripts (cues, chapters), place and layout."""

    # -- videos ------------------------------------------------------------------------------------
    def find_video(self, site: str, site_id: str) -> int | None:
        row = self.db.execute("select id from videos where site = ? and site_id = ?", [site, site_id]).fetchone()
        return row[0] if row else None

    def add_video(self, record: VideoRecord, transcript: Transcript | None) -> int:
        """Insert or update a video with its transcript, in one transaction; returns its id.

        Importing the same video again updates it (and replaces its transcript, re-placing the notes on
        the new lines); where it was watched to and when it was added are kept. A transcript with no
        lines never replaces one that has lines: the entry keeps the one it had.
        """
        return self.put_video(record, transcript)[0]

    def put_video(self, record: VideoRecord, transcript: Transcript | None) -> tuple[int, TranscriptChange]:
        """add_video, also saying what became of the transcript and the highlights on it."""
        values = {
            "site": record.site, "site_id": record.site_id, "source_url": record.source_url, "title": _clamp(record.title, 2000),
            "channel": _clamp(record.channel, 500), "description": _clamp(record.description, 100_000), "duration_ms": clamped(record.duration_ms, 0, MAX_MS, 0),
            "upload_date": record.upload_date, "thumbnail_path": record.thumbnail_path, "media_path": record.media_path,
            "transcript_path": record.transcript_path, "transcript_source": record.transcript_source,
            "transcript_language": record.transcript_language,
            "transcript_format": transcript.format if transcript else "",
            "cue_count": len(transcript.cues) if transcript else 0,
        }
        with self.writing():
            existing = self.find_video(record.site, record.site_id)
            values.update(video_state_values(record.media_path, record.source_url, self.video(existing) if existing else None))
            if existing is None:
                values["added_at"] = now()
                video_id = self.db["videos"].insert(values).last_pk
                change = self._replace_transcript(video_id, transcript)
            else:
                video_id = existing
                change = self._replace_transcript(video_id, transcript)
                if change.kept:  # the entry's transcript stays, and so do the columns that describe it
                    for name in ("transcript_path", "transcript_source", "transcript_language", "transcript_format", "cue_count"):
                        del values[name]
                if record.keep_title:
                    del values["title"]
                self.db["videos"].update(video_id, values)
        return video_id, change

    def _replace_transcript(self, video_id: int, transcript: Transcript | None) -> TranscriptChange:
        """Swap a video's lines and chapters for the transcript's, inside the caller's transaction, and
        re-place its highlights on the new lines. No lines never replace some."""
        from reader.library.anchors import reanchor

        had = self.db.execute("select count(*) from cues where video_id = ?", [video_id]).fetchone()[0]
        if transcript is None or not transcript.cues:
            if had:
                return TranscriptChange(kept=True)
            self.db.execute("delete from chapters where video_id = ?", [video_id])
            if transcript is not None:
                self.db["chapters"].insert_all({"video_id": video_id, "start_ms": clamped(ch.start_ms, 0, MAX_MS, 0), "title": ch.title} for ch in transcript.chapters)
            return TranscriptChange()
        self.db.execute("delete from cues where video_id = ?", [video_id])
        self.db.execute("delete from chapters where video_id = ?", [video_id])
        # A statement inserts 2,000 lines at once (bound into a temporary table, then copied in one INSERT ... SELECT):
        # the search index's trigger then indexes them in one go, where a statement a line makes it write its
        # pending terms out after every line (3x slower); binding is faster than decoding a JSON list in SQL.
        rows = [(video_id, i, clamped(c.start_ms, 0, MAX_MS, 0), clamped(c.end_ms, 0, MAX_MS, 0), c.speaker, c.text,
                 json.dumps([[w.start_ms, w.text] for w in c.words], ensure_ascii=False) if c.words else None, 1 if c.turn else 0)
                for i, c in enumerate(transcript.cues)]
        conn = self.db.conn
        conn.execute("create temp table if not exists cue_batch (video_id, seq, start_ms, end_ms, speaker, text, words, turn)")
        conn.execute("delete from temp.cue_batch")  # nothing a failed statement of a caller's that went on left behind
        for start in range(0, len(rows), 2000):
            conn.executemany("insert into temp.cue_batch values (?, ?, ?, ?, ?, ?, ?, ?)", rows[start:start + 2000])
            conn.execute("insert into cues (video_id, seq, start_ms, end_ms, speaker, text, words, turn)"
                         " select * from temp.cue_batch order by rowid")
            conn.execute("delete from temp.cue_batch")
        self._index_passages(video_id)
        self.db.conn.executemany("insert into chapters (video_id, start_ms, title) values (?, ?, ?)",
                                 ((video_id, clamped(ch.start_ms, 0, MAX_MS, 0), ch.title) for ch in transcript.chapters))
        highlights = list(self.db.query("select * from highlights where video_id = ? order by start_ms, id", [video_id]))
        if not highlights:  # a new entry: nothing to re-place (indexing the new lines for it is most of the cost)
            return TranscriptChange()
        placed, lost = reanchor(highlights, transcript.cues)
        for highlight_id, a in placed.items():
            self.db.execute(
                "update highlights set start_cue = ?, start_offset = ?, end_cue = ?, end_offset = ?, start_ms = ?,"
                " end_ms = ?, anchor_lost_at = null where id = ?",
                [a["start_cue"], a["start_offset"], a["end_cue"], a["end_offset"], a["start_ms"], a["end_ms"], highlight_id])
        stamp = now()
        for row in lost:  # kept as they were, times and all; marked so nothing draws them on lines they are not on
            self.db.execute("update highlights set anchor_lost_at = coalesce(anchor_lost_at, ?) where id = ?", [stamp, row["id"]])
        return TranscriptChange(placed=len(placed), lost=lost)

    def set_transcript(self, video_id: int, transcript: Transcript, path: str = "", source: str = "file") -> TranscriptChange:
        """Give a video a new transcript (its notes re-placed on it); one with no lines is refused and
        the entry keeps what it had (the result says kept)."""
        with self.writing():
            change = self._replace_transcript(video_id, transcript)
            if not change.kept:
                self.db["videos"].update(video_id, {
                    "transcript_path": path, "transcript_source": source, "transcript_format": transcript.format,
                    "cue_count": len(transcript.cues),
                })
        return change

    def set_transcript_file(self, video_id: int, path: str) -> None:
        """Where the file of a video's current transcript is now (its lines are unchanged)."""
        with self.writing():
            self.db.execute("update videos set transcript_path = ? where id = ?", [path, video_id])

    def lost_highlights(self, video_id: int) -> list[dict]:
        """Highlights kept from a transcript that was replaced, whose words the new one does not have."""
        return list(self.db.query(
            "select * from highlights where video_id = ? and anchor_lost_at is not null order by start_ms, id", [video_id]))

    def entry_paths(self) -> set[str]:
        """Every file path a library entry refers to (media, thumbnail, transcript, the sound fetched before its video)."""
        found: set[str] = set()
        for row in self.db.execute("select media_path, thumbnail_path, transcript_path, video_folder, sound_path from videos"):
            found.update(p for p in (*row[:3], row[4]) if p)
            if row[3]:  # the folder a video is downloading into belongs to its entry
                found.add(str(Path(row[3]) / "media"))
        return found

    def video(self, video_id: int) -> dict | None:
        rows = list(self.db.query("select * from videos where id = ?", [video_id]))
        return rows[0] if rows else None

    def videos(self) -> list[dict]:
        """Every video, newest first, with what the library view shows."""
        return list(self.db.query(LIST_SQL))

    def transcript(self, video_id: int) -> Transcript:
        cues, last = [], 0
        for r in self.db.execute(
            "select start_ms, end_ms, text, speaker, words, turn from cues where video_id = ? order by seq", [video_id]
        ):  # a damaged row (a NULL text, a time that is not a number) still reads, as an empty or untimed line
            start, end = _ms(r[0], last), _ms(r[1], last)
            last = max(start, end)
            cues.append(Cue(start, max(start, end), r[2] if isinstance(r[2], str) else str(r[2] or ""),
                            r[3] if isinstance(r[3], str) and r[3] else None,
                            _words_loader(r[4]) if isinstance(r[4], str) and r[4] else (), bool(r[5])))
        chapters = [Chapter(_ms(r[0], 0), str(r[1] or "")) for r in self.db.execute(
            "select start_ms, title from chapters where video_id = ? order by start_ms", [video_id]
        )]
        fmt = self.db.execute("select transcript_format from videos where id = ?", [video_id]).fetchone()
        return Transcript(cues, chapters, [], (fmt[0] if fmt else "") or "")

    def set_position(self, video_id: int, ms: int) -> None:
        """Where the video was left. Bookkeeping, not the user's work: a read-only library skips it."""
        if self.read_only:
            return
        with self.writing():
            self.db.execute("update videos set last_position_ms = ? where id = ?", [clamped(ms, 0, MAX_MS, 0), video_id])

    def learn_duration(self, video_id: int, ms: int) -> None:
        """Record a video's length when the player finds it and the library did not know it."""
        ms = clamped(ms, 0, MAX_MS, 0)  # a player can report a length of 10^300 ms or NaN; SQLite takes 2^63
        if ms > 0 and not self.read_only:
            with self.writing():
                self.db.execute("update videos set duration_ms = ? where id = ? and coalesce(duration_ms, 0) = 0", [ms, video_id])

    def mark_opened(self, video_id: int) -> None:
        """When the video was last opened (bookkeeping: a read-only library skips it)."""
        if self.read_only:
            return
        with self.writing():
            # to the microsecond, so that of two videos opened within one second the later is the last opened
            opened = datetime.now(timezone.utc).isoformat(timespec="microseconds")
            self.db.execute("update videos set opened_at = ? where id = ?", [opened, video_id])

    def last_opened(self) -> int | None:
        row = self.db.execute("select id from videos where opened_at is not null order by opened_at desc, id desc limit 1").fetchone()
        return row[0] if row else None

    def remove_video(self, video_id: int) -> dict | None:
        """Delete a video and everything that belongs to it; returns its row so files can be removed."""
        with self.writing():
            row = self.video(video_id)
            if row is None:
                return None
            for table in ("reviews", "checks"):
                self.db.execute(f"delete from {table} where card_id in (select id from cards where video_id = ?)", [video_id])
            self._unindex_passages(video_id)
            for table in ("cards", "answers", "highlights", "cues", "chapters", "transcriptions", "tags"):
                self.db.execute(f"delete from {table} where video_id = ?", [video_id])
            self.db.execute("delete from videos where id = ?", [video_id])
        return row

    def count(self) -> int:
        return self.db.execute("select count(*) from videos").fetchone()[0]

    def restore_video_fields(self, video_id: int, last_position_ms: int, added_at: str, sync_offset_ms: int = 0) -> None:
        with self.writing():
            self.db["videos"].update(video_id, {"last_position_ms": last_position_ms, "added_at": added_at,
                                                "sync_offset_ms": sync_offset_ms})

    def set_sync_offset(self, video_id: int, ms: int) -> None:
        """How far the video's transcript is shifted (Sync), kept for the next time it opens. A read-only
        library skips it, as it does the position."""
        if self.read_only:
            return
        ms = max(-MAX_SYNC_OFFSET_MS, min(MAX_SYNC_OFFSET_MS, int(ms)))
        with self.writing():
            self.db.execute("update videos set sync_offset_ms = ? where id = ?", [ms, video_id])

    def video_layout(self, video_id: int) -> Layout | None:
        """The pane layout kept with a video; None when it has none, or the one kept cannot be used."""
        row = self.db.execute("select layout from videos where id = ?", [video_id]).fetchone()
        return layout_from_text(row[0]) if row and isinstance(row[0], str) else None

    def set_video_layout(self, video_id: int, layout: Layout) -> None:
        """Keep a layout with a video (bookkeeping, as the position: a read-only library skips it)."""
        if self.read_only:
            return
        with self.writing():
            self.db.execute("update videos set layout = ? where id = ?", [layout_text(layout), video_id])
