"""The citation mark: made, found, removed and replaced by one helper."""

from __future__ import annotations

import pytest

from reader.asking.llm import Answer, CitationEvent, TextEvent
from reader.base.citations import MARK, link_marks, mark, replace_marks, strip_marks


@pytest.mark.parametrize("n", [1, 9, 10, 12345])
def test_a_mark_is_found_again(n):
    m = MARK.fullmatch(mark(n))
    assert m and int(m.group(1)) == n and mark(n).strip("\u2063") == str(n)


@pytest.mark.parametrize("text, stripped, replaced", [
    ("Plain.", "Plain.", "Plain."),
    (f"One{mark(1)} and two{mark(2)}.", "One and two.", "One[1] and two[2]."),
    (f"{mark(10)}{mark(3)}", "", "[10][3]"),
    ("Broken \u20631 and \u2063x\u2063.", "Broken \u20631 and \u2063x\u2063.", "Broken \u20631 and \u2063x\u2063."),  # not marks
    ("", "", ""),
    (None, "", ""),
])
def test_marks_are_stripped_and_replaced(text, stripped, replaced):
    assert strip_marks(text) == stripped
    assert replace_marks(text, lambda n: f"[{n}]") == replaced


def test_an_answer_marks_its_citations_and_drops_them_as_plain_text():
    answer = Answer()
    for event in (TextEvent("Ada speaks"), CitationEvent(0, 1500, "Ada"), TextEvent(", then Ben"), CitationEvent(3000, 4000, "Ben")):
        answer.add(event)
    answer.finish()
    assert answer.text == f"Ada speaks{mark(1)}, then Ben{mark(2)}"
    assert answer.plain_text() == "Ada speaks, then Ben"
    assert replace_marks(answer.text, lambda n: f" [{answer.citations[n - 1]['start_ms']}]") == "Ada speaks [0], then Ben [3000]"


# where a citation's link goes, as text: after the words it supports, spaced as a word
M1, M2 = mark(1), mark(2)


@pytest.mark.parametrize("text, shown", [
    (f"memories fade{M1} over time", "memories fade [0:06] over time"),  # a claim in the middle of a sentence
    (f"memories fade{M1}.", "memories fade [0:06]."),  # at the end of a sentence, before its full stop
    (f"memories fade{M1}, and then", "memories fade [0:06], and then"),  # before other punctuation
    (f"memories fade{M1}{M2}.", "memories fade [0:06] [0:09]."),  # two citations for one claim
    (f"memories fade {M1}over time", "memories fade [0:06] over time"),  # a space before the mark is not doubled
    (f"memories fade{M1}over time", "memories fade [0:06] over time"),  # nor is a word glued after it
    (f"{M1}memories fade", "[0:06] memories fade"),  # a mark stored before its words (older answers) is spaced too
    (f"in **bold**{M1} text", "in **bold** [0:06] text"),
    (f"(see{M1})", "(see [0:06])"),
    (f"fade{mark(9)} now", "fade now"),  # a mark with no citation leaves nothing, not even a space
    ("<p>memories fade\u20631\u2063</p>", "<p>memories fade [0:06]</p>"),  # HTML: a closing tag takes no space
    ("<p>fade\u20631\u2063<strong>now</strong></p>", "<p>fade [0:06] <strong>now</strong></p>"),  # an opening one does
])
def test_a_link_follows_the_words_it_supports_spaced_as_text(text, shown):
    times = {1: "[0:06]", 2: "[0:09]"}
    assert link_marks(text, lambda n: times.get(n, "")) == shown


def test_a_cited_claim_streamed_as_the_api_sends_it_gets_its_link_after_its_words(claude):
    """The API sends a cited claim as a text block of its own, its citations before its words."""
    from reader.asking.llm import AskRequest, Block, Turn, make_client, stream_answer

    from fake_anthropic import Reply

    blocks = [Block(0, 2000, "[0:00] Ada speaks."), Block(6000, 9000, "[0:06] Memories fade.")]
    cases = [
        (["Ada says that ", ("cited", "memories fade", (1, 2)), " over time."], "Ada says that memories fade [0:06] over time."),
        (["In short: ", ("cited", "memories fade.", (1, 2)), " Then"], "In short: memories fade [0:06]. Then"),
        (["Both ", ("cited", "speak, ", (0, 1), (1, 2)), "then stop."], "Both speak [0:00] [0:06], then stop."),
        (["First.\n\n", ("cited", "Memories fade.\n\n", (1, 2)), "Next paragraph."], "First.\n\nMemories fade [0:06].\n\nNext paragraph."),
    ]
    for pieces, shown in cases:
        claude.replies = [Reply(pieces)]
        answer = Answer()
        for event in stream_answer(AskRequest("t", "", blocks, [Turn("q", "q")]), "k", client=make_client("k", 0)):
            answer.add(event)
        answer.finish()
        assert answer.status == "complete"
        assert link_marks(answer.text, lambda n: f"[{answer.citations[n - 1]['start_ms'] // 60000}:{answer.citations[n - 1]['start_ms'] // 1000 % 60:02d}]") == shown
