"""Highlights and notes said one way, in the Library and `reader library` alike (issue 19: "3 notes" counted highlights)."""

import json

import pytest

from reader.base.counts import highlights_and_notes
from reader.library.db.store import Store

from conftest import add_video, run


@pytest.mark.parametrize("highlights, notes, words", [
    (0, 0, "0 highlights"), (1, 0, "1 highlight"), (3, 0, "3 highlights"), (1, 1, "1 highlight, with a note"),
    (3, 1, "3 highlights, 1 with a note"), (3, 2, "3 highlights, 2 with notes"), (3, 3, "3 highlights, 3 with notes"),
])
def test_highlights_and_notes_in_words(highlights, notes, words):
    assert highlights_and_notes(highlights, notes) == words


def _three_highlights_two_noted() -> int:
    vid = add_video()
    store = Store()
    for i, note in enumerate(("Who opens?", "", "  Turn-taking ")):
        store.add_highlight(vid, start_cue=i, start_offset=0, end_cue=i, end_offset=3, start_ms=i * 10_000,
                            end_ms=i * 10_000 + 5000, text="x", color="yellow", note=note)
    store.add_highlight(vid, start_cue=0, start_offset=4, end_cue=0, end_offset=8, start_ms=1000, end_ms=2000, text="y",
                        color="yellow", note="   ")  # only blank space: no note
    store.close()
    return vid


def test_reader_library_says_highlights_and_notes_in_the_columns_readme_lists(capsys):
    vid = _three_highlights_two_noted()
    code, out, err = run(capsys, "library")
    assert code == 0, err
    assert out.split("\n")[0].split("\t") == [str(vid), "A talk", "0:30", "3 lines", "4 highlights, 2 with notes", ""]
    code, out, _ = run(capsys, "library", "--json")
    assert code == 0 and (json.loads(out)[0]["highlights"], json.loads(out)[0]["notes"]) == (4, 2)


def test_readme_lists_the_library_columns_in_the_order_printed():
    from pathlib import Path

    readme = (Path(__file__).parents[1] / "README.md").read_text(encoding="utf-8")
    line = next(x for x in readme.splitlines() if x.startswith("uv run reader library"))
    assert line.split("#", 1)[1].strip() == "id, title, length, lines, highlights (and how many have notes), source, video (where missing)"


def test_the_library_page_says_highlights_and_notes(qtbot):
    from reader.ui.widgets.library_page import detail_line

    from conftest import new_window

    vid = _three_highlights_two_noted()
    add_video(title="Nothing marked", site_id="two")
    w = new_window(qtbot)
    w.show_library()
    model = w.library_page.model
    qtbot.waitUntil(lambda: len(model.rows) == 2, timeout=10_000)
    said = {r["title"]: detail_line(r) for r in model.rows}
    assert said["A talk"].endswith(" · 3 lines · 4 highlights, 2 with notes") and vid
    assert said["Nothing marked"].endswith(" · 3 lines")  # nothing marked: no count at all, as the Notes pane
