"""What counts as a link, a playlist link and a list of subtitle languages: one rule for the window and the CLI."""

from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import parse_qs, urlsplit

URL_RE = re.compile(r"(?i)^\s*https?://\S+\s*$")
DEFAULT_LANGUAGES = ("en",)


def looks_like_url(text: str | None) -> bool:
    """A web address to import (http or https, one word; spaces around it are allowed), not a file or a search."""
    return bool(URL_RE.match(text or ""))


def may_be_playlist(url: str) -> bool:
    """A link worth reading for playlist entries before importing: one with a `list=` parameter, or a
    path that names a playlist. Whether it is one is said by `is_playlist` on what the site returns."""
    try:
        parts = urlsplit((url or "").strip())
    except ValueError:
        return False
    return "list" in parse_qs(parts.query) or "playlist" in parts.path.lower()


def is_playlist(info: dict) -> bool:
    """What the site returned for a link (yt-dlp's info) is a playlist with entries."""
    return info.get("_type") in ("playlist", "multi_video") and bool(info.get("entries"))


@dataclass(frozen=True)
class PlaylistEntry:
    url: str  # the video's page, or the link the site gave when it has no page
    title: str


def playlist_entries(info: dict) -> list[PlaylistEntry]:
    """The videos of a playlist that have a link, in order; a title is the link when the site gives none."""
    found = []
    for e in info.get("entries") or []:
        if not isinstance(e, dict):
            continue
        url = e.get("webpage_url") or e.get("url")
        if url:
            found.append(PlaylistEntry(str(url), str(e.get("title") or url)))
    return found


_LANGUAGE_SPLIT = re.compile(r"[,;\s]+")


def parse_languages(text: str | None) -> tuple[str, ...]:
    """Subtitle languages as typed ("en, fr de" or "en,fr"), in order, each once; English when none is given."""
    found: list[str] = []
    for part in _LANGUAGE_SPLIT.split(text or ""):
        if part and part not in found:
            found.append(part)
    return tuple(found) or DEFAULT_LANGUAGES


def format_languages(languages) -> str:
    """Languages as the settings file keeps them: "en,fr"."""
    return ",".join(parse_languages(",".join(languages)))
