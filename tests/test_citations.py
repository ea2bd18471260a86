"""The citation mark: made, found, removed and replaced by one helper."""

from __future__ import annotations

import pytest

from reader.citations import MARK, mark, replace_marks, strip_marks
from reader.llm import Answer, CitationEvent, TextEvent


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
