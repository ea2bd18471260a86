"""The core loop as a user walks it: open a video, go elsewhere, come back, restart; nothing looks lost."""

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QTextCursor

from conftest import new_window


@pytest.fixture
def window(qtbot):
    w = new_window(qtbot, 1300, 760)
    yield w
    w.player.pause()
    w.close()


def formats(view) -> list[tuple]:
    """Every run of text in the transcript with how it is drawn: weight, size, colour, underline."""
    runs, block = [], view.document().begin()
    while block.isValid():
        it = block.begin()
        while not it.atEnd():
            frag = it.fragment()
            f = frag.charFormat()
            runs.append((frag.text(), f.fontWeight(), round(f.fontPointSize(), 2), f.foreground().color().name(),
                         f.fontUnderline(), f.isAnchor()))
            it += 1
        block = block.next()
    return runs


def click_at(qtbot, view, pos: int) -> None:
    cursor = QTextCursor(view.document())
    cursor.setPosition(pos + 1)
    qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=view.cursorRect(cursor).center())


def test_a_click_on_a_time_or_a_speaker_does_not_restyle_the_transcript_when_it_opens_again(window, qtbot, clip_dir, transcript_file):
    window.reading.open_paths(clip_dir / "talk.mp4")
    a = window.session.video_id
    view = window.transcript_pane.view
    first = formats(view)
    assert any(r[1] >= 700 for r in first) and any(r[0].startswith("0:0") for r in first)  # a speaker and times styled
    for start, _length in view._layout.speakers[:1]:
        click_at(qtbot, view, start)  # the speaker's name: the cursor takes on its bold
    click_at(qtbot, view, view._stamps[1][0])  # a time: the cursor takes on its small link colour
    assert view.textCursor().charFormat().foreground().color().name() != first[-1][3]
    window.reading.open_paths(None, transcript_file)  # another entry
    assert window.session.video_id != a
    window.reading.open_video(a)
    assert formats(view) == first
