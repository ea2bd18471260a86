"""The answer view redraws only the streaming answer, and looks exactly as a full redraw would."""

import pytest
from PySide6.QtGui import QImage, QPainter, QTextCursor

from reader.ui.app import make_app
from reader.ui.widgets.answer_view import AnswerView, Thread, settled_length, thread_html

SHAPES = {
    "paragraphs": "First paragraph with **bold**.\n\nSecond one\u20631\u2063 here.\n\n- a\n- b\n",
    "heading": "## Heading\n\nText under it.\n\n1. one\n2. two\n",
    "list first": "- first item\n- second item\n\nThen a paragraph.\n",
    "code first": "```python\ndef f():\n    return 1\n```\n\nAfter code.\n",
    "quote first": "> quoted words\n\nplain after.\n",
    "long and mixed": (
        "Opening paragraph\u20631\u2063 that sets the scene.\n\nA second paragraph.\n\n- a point\n- another\n\n"
        "Back to prose after the list.\n\n```text\ninside a fence\n\nstill inside\n```\n\nProse after code.\n\n"
        "> a quote\n\nLast words, with `code` and *emphasis*.\n\n## A heading late\n\nAnd a closing line.\n"
    ),
}
CITATIONS = [{"start_ms": 61_000, "end_ms": 64_000, "text": "cited line"}]
EARLIER = {"id": 1, "question": "Earlier?", "answer": "An *earlier* answer.", "citations": [], "status": "complete",
           "error": "", "input_tokens": 10, "output_tokens": 4, "model": "m"}


def rows(text: str, status: str = "streaming") -> list[dict]:
    return [dict(EARLIER), {"id": 2, "question": "Now?", "answer": text, "citations": CITATIONS, "status": status,
                            "error": "", "input_tokens": 20, "output_tokens": 9, "model": "m"}]


def picture(view: AnswerView) -> QImage:
    doc = view.document().clone()
    doc.setTextWidth(380)
    image = QImage(380, int(doc.size().height()) + 2, QImage.Format.Format_RGB32)
    image.fill(0xFFFFFF)
    painter = QPainter(image)
    doc.drawContents(painter)
    painter.end()
    return image


@pytest.fixture
def views(qtbot):
    make_app()
    pair = AnswerView(), AnswerView()
    for view in pair:
        qtbot.addWidget(view)
    return pair


@pytest.mark.parametrize("shape", SHAPES)
def test_a_streamed_answer_looks_the_same_as_one_drawn_whole(views, shape):
    streamed, whole = views
    text = SHAPES[shape]
    for cut in range(1, len(text) + 1, 5):
        streamed.show_thread(thread_html(rows(text[:cut]), True))
    streamed.show_thread(thread_html(rows(text), True))
    thread = thread_html(rows(text), True)
    whole.show_thread(Thread(thread.head + thread.live, None, thread.citations, thread.plain))
    assert streamed.toPlainText() == whole.toPlainText()
    assert picture(streamed) == picture(whole)
    # and once it has finished, as the thread would look opened afresh
    streamed.show_thread(thread_html(rows(text, "complete"), False))
    whole.show_thread(thread_html(rows(text, "complete"), False))
    assert picture(streamed) == picture(whole)
    assert "cost" in streamed.toPlainText() or "tokens" in streamed.toPlainText()


def test_while_an_answer_streams_the_rest_of_the_thread_is_not_redrawn(views, monkeypatch):
    view = views[0]
    whole_redraws = []
    set_html = view.setHtml
    monkeypatch.setattr(view, "setHtml", lambda html: (whole_redraws.append(len(html)), set_html(html)))
    text = SHAPES["heading"] * 20
    for cut in range(10, len(text), 40):
        view.show_thread(thread_html(rows(text[:cut]), True))
    view.show_thread(thread_html(rows(text, "complete"), False))
    assert len(whole_redraws) == 1  # the earlier answer and the question: drawn once, when the stream began
    assert view.toPlainText().count("Earlier?") == 1 and view.toPlainText().count("Heading") == 20
    # a different thread is drawn whole
    view.show_thread(thread_html([dict(EARLIER)], False))
    assert len(whole_redraws) == 2 and "Now?" not in view.toPlainText()


def test_copied_text_has_no_invisible_characters(views):
    view = views[0]
    view.show_thread(thread_html(rows("Plain words to copy.", "complete"), False))
    cursor = QTextCursor(view.document())
    cursor.select(QTextCursor.SelectionType.Document)
    view.setTextCursor(cursor)
    copied = view.createMimeDataFromSelection()
    assert "Plain words to copy." in copied.text() and "\u200b" not in copied.text() and "\u200b" not in copied.html()


def test_a_follow_up_is_appended_to_the_thread_on_show(views, monkeypatch):
    view, fresh = views
    view.show_thread(thread_html([dict(EARLIER)], False))
    whole_redraws = []
    set_html = view.setHtml
    monkeypatch.setattr(view, "setHtml", lambda html: (whole_redraws.append(len(html)), set_html(html)))
    text = SHAPES["list first"]
    view.show_thread(thread_html(rows(""), True))  # the question asked, nothing back yet
    for cut in range(1, len(text) + 1, 6):
        view.show_thread(thread_html(rows(text[:cut]), True))
    view.show_thread(thread_html(rows(text, "complete"), False))
    view.show_thread(thread_html(rows(text, "complete"), False))  # asked to show it again: nothing to do
    assert whole_redraws == []
    fresh.show_thread(thread_html(rows(text, "complete"), False))
    assert view.toPlainText() == fresh.toPlainText() and picture(view) == picture(fresh)


def test_only_whole_blocks_before_a_plain_paragraph_count_as_settled():
    assert settled_length("One paragraph still growing") == 0
    assert settled_length("First.\n\nSecond") == len("First.\n\n")
    assert settled_length("First.\n\n- a list\n\n- still the list") == 0
    assert settled_length("Intro.\n\n- item\n\n  more of the item\n\nAfter") == len("Intro.\n\n- item\n\n  more of the item\n\n")
    fenced = "Intro.\n\n```\ncode\n\ninside the fence\n"
    assert settled_length(fenced) == 0  # a plain-looking line inside a code block settles nothing
    assert settled_length(fenced + "```\n\nAfter it") == len(fenced + "```\n\n")
    assert settled_length("Intro.\n\n# Heading\n\n> quote\n\n1. one") == 0


def test_citation_links_follow_their_words_spaced_as_text(views):
    from reader.base.citations import mark

    cites = [{"start_ms": 6_000, "end_ms": 8_000, "text": "a"}, {"start_ms": 9_000, "end_ms": 9_500, "text": "b"}]
    row = {"id": 7, "question": "Q", "answer": f"Memories fade{mark(1)}. Both{mark(1)}{mark(2)} agree, **surely**{mark(2)} now.",
           "citations": cites, "status": "complete", "error": ""}
    view = views[0]
    view.show_thread(thread_html([row], False))
    assert "Memories fade [0:06]. Both [0:06] [0:09] agree, surely [0:09] now." in view.toPlainText()


def test_an_earlier_turn_that_failed_says_so_and_the_last_ones_problem_is_left_to_the_pane(views):
    failed = {"id": 1, "question": "First?", "answer": "", "citations": [], "status": "error",
              "error": "Anthropic had a server error (500). Retry in a little while."}
    cut = {"id": 2, "question": "Second?", "answer": "Half", "citations": [], "status": "incomplete", "error": "Stopped."}
    last = {"id": 3, "question": "Third?", "answer": "", "citations": [], "status": "error", "error": "No connection to Anthropic."}
    view = views[0]
    view.show_thread(thread_html([failed, cut, last], False))
    text = view.toPlainText()
    assert "Failed: Anthropic had a server error (500)." in text and "Incomplete: Stopped." in text
    assert "No connection" not in text  # the pane shows it, with Retry, where the answer would be
