"""The library's SQL for a video's download: its state (none, downloading, partial, complete), bytes so far, why it
stopped, and whether the user still wants it (a download that failed or was cut off resumes; a cancelled one waits)."""

from __future__ import annotations

from reader.library.db.allowed_values import VIDEO_STATES as STATES

NONE, DOWNLOADING, PARTIAL, COMPLETE = STATES


def add_download_columns(db) -> None:
    """Migration m012: every entry gets a download state. An entry with a media file is complete; one from a
    link without one (a transcript-only import) has no video yet; a local transcript needs none, so is complete."""
    table = db["videos"]
    for name, kind, default in (("video_state", str, COMPLETE), ("video_bytes", int, 0), ("video_total", int, 0),
                                ("video_error", str, ""), ("video_folder", str, ""), ("video_wanted", int, 0)):
        if name not in table.columns_dict:
            table.add_column(name, kind, not_null_default=default)
    db.execute("update videos set video_state = ? where coalesce(media_path, '') = '' and source_url like 'http%'", [NONE])


def add_sound_column(db) -> None:
    """Migration m015: the sound of an entry whose video is still to come, downloaded first and checked whole
    (to transcribe from at once); '' when it has none. It is never the entry's video."""
    if "sound_path" not in db["videos"].columns_dict:
        db["videos"].add_column("sound_path", str, not_null_default="")


def video_state_values(media_path: str, source_url: str, old: dict | None) -> dict:
    """The download columns an entry written by an import gets: complete with a media file; with none, from a
    link, not downloaded (a download under way or cut short keeps its state and bytes)."""
    if media_path:
        return {"video_state": COMPLETE, "video_error": ""}
    if not str(source_url or "").lower().startswith(("http://", "https://")):
        return {"video_state": COMPLETE}
    if old is not None and old.get("video_state") in (DOWNLOADING, PARTIAL):
        return {}
    return {"video_state": NONE, "video_bytes": 0, "video_total": 0}


def lacks_video(row: dict) -> bool:
    """Whether an entry from a link has no whole video yet (it can be downloaded)."""
    return (row.get("video_state") or COMPLETE) != COMPLETE and not row.get("media_path")


def download_words(row: dict) -> str:
    """What the library says of an entry's video: '' when it has it, else a few words."""
    if not lacks_video(row):
        return ""
    state, done, total = row.get("video_state"), int(row.get("video_bytes") or 0), int(row.get("video_total") or 0)
    share = f" ({min(99, done * 100 // total)}%)" if total > 0 and done > 0 else ""
    if state == DOWNLOADING:
        return f"video downloading{share}"
    if state == PARTIAL and done:
        return f"video partly downloaded{share}"
    return "video not downloaded"


class DownloadQueries:
    """Mixed into Store: each entry's video download state."""

    def set_download(self, video_id: int, state: str, done: int = 0, total: int = 0, error: str = "", folder: str | None = None,
                     wanted: bool | None = None) -> None:
        """An entry's download state; `folder` where it downloads into and `wanted` (resumed at the next start)
        are left as they are when None."""
        if state not in STATES:
            raise ValueError(f"unknown download state {state!r}")
        values = [state, max(0, int(done)), max(0, int(total)), error[:500]]
        sets = "video_state = ?, video_bytes = ?, video_total = ?, video_error = ?"
        if folder is not None:
            sets, values = sets + ", video_folder = ?", values + [folder]
        if wanted is not None:
            sets, values = sets + ", video_wanted = ?", values + [int(bool(wanted))]
        with self.writing():
            self.db.execute(f"update videos set {sets} where id = ?", values + [video_id])

    def download_progress(self, video_id: int, done: int, total: int) -> None:
        """Bytes so far of a running download (bookkeeping: a read-only library skips it)."""
        if self.read_only:
            return
        with self.writing():
            self.db.execute("update videos set video_bytes = ?, video_total = ? where id = ? and video_state = ?",
                            [max(0, int(done)), max(0, int(total)), video_id, DOWNLOADING])

    def finish_download(self, video_id: int, media_path: str, size: int) -> None:
        """The whole video is in place: the entry plays it from now on, and the sound fetched before it is no longer
        its (one transaction)."""
        with self.writing():
            self.db.execute("update videos set media_path = ?, video_state = ?, video_bytes = ?, video_total = ?, video_error = '',"
                            " video_wanted = 0, sound_path = '' where id = ?", [media_path, COMPLETE, size, size, video_id])

    def set_sound(self, video_id: int, path: str) -> None:
        """The entry's sound, checked whole, is at `path` (to transcribe from before its video comes)."""
        with self.writing():
            self.db.execute("update videos set sound_path = ? where id = ?", [path, video_id])

    def downloads(self, states: tuple[str, ...] = (NONE, DOWNLOADING, PARTIAL), wanted_only: bool = False) -> list[dict]:
        """Entries from a link whose video is not whole, oldest first; `wanted_only`: those to resume (a download a
        closed or killed Reader left, or one that failed), not those cancelled or never started."""
        marks = ", ".join("?" for _ in states)
        return list(self.db.query(
            "select id, title, source_url, media_path, video_state, video_bytes, video_total, video_error, video_folder,"
            f" video_wanted, sound_path from videos where video_state in ({marks}) and coalesce(media_path, '') = ''"
            f"{' and video_wanted = 1' if wanted_only else ''} order by id", list(states)))
