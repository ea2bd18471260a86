"""The rules the window and the CLI share: what is a link, a playlist link, a list of languages."""

from __future__ import annotations

import pytest

from reader.base.links import format_languages, is_playlist, looks_like_url, may_be_playlist, parse_languages, playlist_entries


@pytest.mark.parametrize("text, expected", [
    ("https://www.youtube.com/watch?v=abc", True),
    ("http://example.com/a", True),
    ("  HTTPS://example.com/a \n", True),
    ("https://example.com/a b", False),  # two words: a search, not a link
    ("ftp://example.com/a", False),
    ("file:///home/me/talk.mp4", False),
    ("talk.mp4", False),
    ("https://", False),
    ("", False),
    (None, False),
])
def test_what_counts_as_a_link(text, expected):
    assert looks_like_url(text) is expected


@pytest.mark.parametrize("url, expected", [
    ("https://www.youtube.com/playlist?list=PL123", True),
    ("https://www.youtube.com/watch?v=abc&list=PL123", True),
    ("http://127.0.0.1:8000/playlist?list=PL1", True),
    ("https://example.com/Playlist/7", True),
    ("https://www.youtube.com/watch?v=abc", False),
    ("https://example.com/watch?blacklist=1", False),
    ("https://example.com/?q=my+playlist", False),  # the word in a search is not a playlist
    ("https://[::1", False),  # unparsable
    ("", False),
])
def test_what_counts_as_a_playlist_link(url, expected):
    assert may_be_playlist(url) is expected


@pytest.mark.parametrize("info, expected", [
    ({"_type": "playlist", "entries": [{"url": "u"}]}, True),
    ({"_type": "multi_video", "entries": [{"url": "u"}]}, True),
    ({"_type": "playlist", "entries": []}, False),
    ({"_type": "video"}, False),
    ({}, False),
])
def test_what_the_site_says_is_a_playlist(info, expected):
    assert is_playlist(info) is expected


def test_playlist_entries_take_the_page_link_and_skip_what_has_none():
    info = {"entries": [{"webpage_url": "https://a/page", "url": "a-id", "title": "A"}, None, {"title": "no link"},
                        {"url": "https://b"}, "junk"]}
    assert [(e.url, e.title) for e in playlist_entries(info)] == [("https://a/page", "A"), ("https://b", "https://b")]


@pytest.mark.parametrize("text, expected", [
    ("en", ("en",)),
    ("en,fr", ("en", "fr")),
    ("en, fr de", ("en", "fr", "de")),  # the window's field allows spaces
    (" fr ;en-GB ,, ", ("fr", "en-GB")),
    ("en,en,fr", ("en", "fr")),
    ("", ("en",)),
    (" , ", ("en",)),
    (None, ("en",)),
])
def test_subtitle_languages_are_parsed_one_way(text, expected):
    assert parse_languages(text) == expected


@pytest.mark.parametrize("languages, expected", [(("en", "fr"), "en,fr"), ((), "en"), (["de", " fr"], "de,fr")])
def test_languages_are_stored_comma_separated(languages, expected):
    assert format_languages(languages) == expected
