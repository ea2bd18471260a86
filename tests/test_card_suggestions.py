"""Claude's recall questions, through the real SDK and the local Messages API server: the request, the reply read
strictly, every suggestion checked against the transcript, the kept ones stored as shown, and `reader cards generate`."""

import json

import pytest

from reader.asking import questions
from reader.asking.llm import stream_answer
from reader.cards import suggestions as card_suggestions
from reader.cards.making import CardProblem, make_card
from reader.cards.suggestions import Suggestion, SuggestionProblem, keep, suggest
from reader.library.db.store import Store

from conftest import MEMORY_BEN, assert_one_sentence, memory_video, run
from fake_anthropic import Reply

KEY = "sk-ant-test-PLANTED-KEY-0123456789"


def item(question, answer, start, end, *evidence, **more):
    return {"question": question, "answer": answer, "start": start, "end": end, "evidence": list(evidence), **more}


GOOD = [
    item("Why does testing yourself slow forgetting more than rereading does?",
         "Pulling a memory back out makes it harder to lose; rereading only makes the words look familiar.",
         "[0:00]", "[0:00]", "Each time you pull a memory back out, it becomes harder to lose.",
         "Rereading feels productive because the words look familiar on the page."),
    item("How does a scheduler such as FSRS decide when a card comes back?",
         "It estimates how stable each memory is and picks the date at which recall would fall to about ninety percent.",
         "[1:00]", "[1:00]", "Schedulers like FSRS estimate how stable each memory has become."),
    item("What would change if you raised the target recall rate?", "You would review more often and lapse less.",
         "[1:00]", "[1:45]", "Raising that target means more reviews and fewer lapses.",
         "Lowering it saves time but you will forget more often."),
]
SHOWN = [  # what GOOD becomes: each stretch from the start of its first passage to the end of its last
    Suggestion(GOOD[0]["question"], GOOD[0]["answer"], 0, 39_800, tuple(GOOD[0]["evidence"])),
    Suggestion(GOOD[1]["question"], GOOD[1]["answer"], 60_000, 104_800, tuple(GOOD[1]["evidence"])),
    Suggestion(GOOD[2]["question"], GOOD[2]["answer"], 60_000, 114_800, tuple(GOOD[2]["evidence"])),
]


@pytest.fixture
def store():
    memory_video()
    s = Store()
    yield s
    s.close()


def says(claude, items, **reply):
    claude.replies = [Reply([json.dumps(items, ensure_ascii=False)], **reply)]


# -- the request -----------------------------------------------------------------------------------

def test_the_request_carries_the_same_cached_transcript_document_as_explain(claude, store):
    says(claude, GOOD)
    suggest(store, 1, KEY, count=3)
    span = questions.passage_between(store, 1, 5000, 9000)
    _, explain = questions.begin(store, questions.save_highlight(store, 1, span), "explain")
    claude.replies = [Reply(["fine"])]
    list(stream_answer(explain, KEY))
    generate, asked = claude.requests
    doc = generate["messages"][0]["content"][0]
    assert doc == asked["messages"][0]["content"][0] and generate["system"] == asked["system"]  # so the cache is shared
    assert doc["type"] == "document" and doc["citations"] == {"enabled": True} and doc["cache_control"] == {"type": "ephemeral"}
    assert [b["text"][:6] for b in doc["source"]["content"]] == ["[0:00]", "[0:40]", "[0:55]", "[1:00]", "[1:45]", "[1:55]"]
    prompt = generate["messages"][0]["content"][1]["text"]
    assert "Write 3 recall questions about the whole video" in prompt and "[0:00] to [1:55]" in prompt
    assert '"evidence"' in prompt and "{{" not in prompt and generate["stream"] is True


@pytest.mark.parametrize("start, end, words", [
    (60_000, 120_000, "the chapter “Spacing” (1:00 to 1:59): the passages of the transcript labelled [1:00] to [1:55]"),
    (0, 60_000, "the chapter “Forgetting” (0:00 to 1:00): the passages of the transcript labelled [0:00] to [0:55]"),
    (40_000, 70_000, "the stretch from 0:40 to 1:10: the passages of the transcript labelled [0:40] to [1:00]"),
    (None, 30_000, "the stretch from 0:00 to 0:30: the passages of the transcript labelled [0:00] to [0:00]"),
    (0, 120_000, "the whole video"),
])
def test_the_prompt_names_the_part_asked_about(claude, store, start, end, words):
    says(claude, GOOD)
    suggest(store, 1, KEY, start, end, count=2)
    assert words in claude.requests[0]["messages"][0]["content"][1]["text"]


@pytest.mark.parametrize("args, words", [
    (dict(count=0), "1 to 20"), (dict(count=21), "1 to 20"), (dict(count=True), "1 to 20"), (dict(count="5"), "1 to 20"),
    (dict(video_id=99), "no video with id 99"),
    (dict(start_ms=150_000), "past the end"), (dict(end_ms=200_000), "past the end"),
    (dict(start_ms=30_000, end_ms=10_000), "end must come after the start"),
    (dict(start_ms=-5, end_ms=10_000), "end must come after the start"),
    (dict(key=""), "no Anthropic API key"), (dict(key="  "), "no Anthropic API key"),
])
def test_what_cannot_be_asked_is_refused_before_any_request(claude, store, args, words):
    call = dict(store=store, video_id=1, key=KEY) | args
    with pytest.raises(SuggestionProblem, match=f"(?i){words}"):
        suggest(**call)
    assert claude.requests == []


def test_a_video_without_words_is_refused(claude):
    s = Store()
    from reader.library.db.records import VideoRecord
    from reader.transcript.model import Cue, Transcript

    vid = s.add_video(VideoRecord("test", "mute", "Silence"), Transcript([Cue(0, 1000, "  ")]))
    with pytest.raises(SuggestionProblem, match="no transcript"):
        suggest(s, vid, KEY)
    s.close()
    assert claude.requests == []


# -- what comes back -------------------------------------------------------------------------------

def test_good_suggestions_are_kept_with_their_stretches_and_stored_as_shown(claude, store):
    says(claude, GOOD)
    found = suggest(store, 1, KEY, count=3)
    assert found.kept == SHOWN and found.dropped == []
    assert found.usage.cache_read_tokens == 1000
    ids = keep(store, 1, found.kept)
    cards = store.cards(1)
    assert [c["id"] for c in cards] == sorted(ids)
    stored = sorted((Suggestion(c["question"], c["answer"], c["start_ms"], c["end_ms"], tuple(c["evidence"])) for c in cards),
                    key=found.kept.index)
    assert stored == found.kept
    assert {(c["source"], c["status"]) for c in cards} == {("claude", "active")}
    assert "Schedulers like FSRS" in store.card(ids[1])["passage"] and "Ada" not in store.card(ids[1])["passage"]


# Each row: a suggestion that fails the check, and words of the sentence that says why. It is sent after a
# good one; the good one is kept, the bad one dropped and counted.
HOSTILE = {
    "a quote from another chapter": (item("Why do reviews get further apart?", "Each recall pushes forgetting away.", "[0:00]", "[0:00]",
                                          "Every successful recall pushes the next forgetting further away."),
                                     "not in 0:00–0:39, where it says it rests (its quote is from 1:20)"),
    "a quote from two lines outside": (item("Why is a quiz a way of learning?", "Retrieval marks a memory as worth keeping.", "[0:40]", "[0:40]",
                                            "Rereading feels productive because the words look familiar on the page."),
                                       "not in 0:40–0:54, where it says it rests (its quote is from 0:30)"),
    "an invented quote": (item("Why sleep?", "Sleep consolidates.", "[0:00]", "[0:00]", "Sleep consolidates memories overnight in the hippocampus."),
                          "nor anywhere else in the transcript"),
    "quotes too short to prove anything": (item("What is forgetting?", "Part of memory.", "[0:00]", "[0:00]", "Forgetting", "of memory"),
                                           "too few words"),
    "a piece of a quote that is not there": (item("Why?", "Because.", "[0:00]", "[0:00]", "Ebbinghaus learned lists … of French poetry by heart"),
                                             "not in 0:00–0:39"),
    "a time past the end": (item("Why?", "Because.", "[2:30]", "[2:40]", "An honest rating matters more than a flattering one."),
                            "rests on 2:30, past the end of the transcript (1:59)"),
    "an end before its start": (item("Why?", "Because.", "[1:00]", "[0:00]", "Spacing is the other half of the story."),
                                "ends (0:00) before it starts (1:00)"),
    "a time that is not one": (item("Why?", "Because.", "soon", "[0:00]", "Forgetting is not a failure of memory."),
                               "rests on \"soon\", which is not a time in the transcript"),
    "seventy-five seconds": (item("Why?", "Because.", "[0:75]", "[1:00]", "Forgetting is not a failure of memory."), "not a time"),
    "a time as a number": (item("Why?", "Because.", 60, "[1:00]", "Spacing is the other half of the story."),
                           "not in the form asked for: expected str, got int - at $.start"),
    "a question as a number": (item(42, "Because.", "[1:00]", "[1:00]", "Spacing is the other half of the story."),
                               "expected str, got int - at $.question"),
    "no answer": ({k: v for k, v in item("Why?", "x", "[1:00]", "[1:00]", "Spacing is the other half of the story.").items() if k != "answer"},
                  "object missing required field answer"),
    "an empty answer": (item("Why?", "", "[1:00]", "[1:00]", "Spacing is the other half of the story."), "length >= 1 - at $.answer"),
    "a blank question": (item(" \n\t ", "Because.", "[1:00]", "[1:00]", "Spacing is the other half of the story."), "empty question"),
    "evidence as a string": (item("Why?", "Because.", "[1:00]", "[1:00]") | {"evidence": "Spacing is the other half"}, "expected array"),
    "no evidence": (item("Why?", "Because.", "[1:00]", "[1:00]"), "length >= 1 - at $.evidence"),
    "four quotes": (item("Why?", "Because.", "[1:00]", "[1:00]", *MEMORY_BEN[:4]), "length <= 3 - at $.evidence"),
    "a ten-thousand-character question": (item("why " * 2500, "Because.", "[1:00]", "[1:00]", MEMORY_BEN[0]), "length <= 500"),
    "a string, not an object": ("Why does spacing work?", "expected object, got str"),
    "null": (None, "expected object, got null"),
    "the same question again": (item("Why does testing yourself slow forgetting more than rereading?", "Same.", "[0:00]", "[0:00]",
                                     "Testing yourself is uncomfortable, and that discomfort is the point."),
                                "asks the same as “Why does testing yourself slow forgetting more than rereading does?”"),
    "outside the part asked about": (item("Why does spacing work?", "Each recall pushes forgetting away.", "[1:00]", "[1:00]",
                                          "Every successful recall pushes the next forgetting further away."),
                                     "rests on 1:00–1:44, outside the part asked about (0:00–0:39)"),
}


@pytest.mark.parametrize("bad, words", HOSTILE.values(), ids=HOSTILE.keys())
def test_a_suggestion_that_fails_the_check_is_dropped_with_a_sentence_and_counted(claude, store, bad, words):
    says(claude, [GOOD[0], bad])
    end = 30_000 if "asked about" in words else None
    found = suggest(store, 1, KEY, end_ms=end, count=5)
    assert found.kept == [SHOWN[0]]
    assert len(found.dropped) == 1 and words in found.dropped[0], found.dropped
    assert found.dropped[0].endswith(".") and "\n" not in found.dropped[0] and len(found.dropped[0]) < 400


def test_dropped_suggestions_are_counted_and_only_the_kept_are_stored(claude, store):
    says(claude, [HOSTILE["an invented quote"][0], GOOD[0], HOSTILE["a time past the end"][0], GOOD[1], GOOD[2],
                  HOSTILE["the same question again"][0]])
    found = suggest(store, 1, KEY, count=5)
    assert (len(found.kept), len(found.dropped)) == (3, 3)
    keep(store, 1, found.kept)
    assert sorted(c["question"] for c in store.cards(1)) == sorted(s.question for s in SHOWN)


def test_more_than_asked_for_are_dropped_and_a_question_already_carded_is_not_suggested_again(claude, store):
    make_card(store, 1, GOOD[1]["question"].upper(), "mine", 60_000, 70_000)
    says(claude, GOOD)
    found = suggest(store, 1, KEY, count=1)
    assert found.kept == [SHOWN[0]]
    assert [d.split("” ")[1] for d in found.dropped] == ["is already a card of this video.", "is more than the 1 asked for."]


@pytest.mark.parametrize("second, same", [
    (item("Why does testing yourself slow forgetting more than rereading?", "x", "[0:40]", "[0:40]",
          "Testing yourself is uncomfortable, and that discomfort is the point."), True),  # nearly the same words
    (item("How does testing yourself slow forgetting more than rereading does?", "x", "[0:00]", "[0:00]",
          "Forgetting is not a failure of memory but part of how it works."), True),  # why → how, same moments
    (item("Why does testing yourself slow forgetting?", "x", "[0:00]", "[0:00]",
          "Forgetting is not a failure of memory but part of how it works."), True),  # its words all in the first, same moments
    (item("Why does testing yourself slow forgetting?", "x", "[0:40]", "[0:40]",
          "Testing yourself is uncomfortable, and that discomfort is the point."), False),  # the same words, elsewhere
    (item("Why does rereading feel productive when it is not?", "x", "[0:00]", "[0:00]",
          "Rereading feels productive because the words look familiar on the page."), False),  # another idea, same moments
])
def test_a_question_asked_twice_is_dropped_and_a_different_one_kept(claude, store, second, same):
    says(claude, [GOOD[0], second])
    found = suggest(store, 1, KEY)
    assert len(found.kept) == (1 if same else 2)
    assert [("asks the same as" in d) for d in found.dropped] == ([True] if same else [])


def test_a_quote_from_the_line_just_outside_its_stretch_still_counts(claude, store):
    near = item("Why is discomfort the point of testing yourself?", "It is a desirable difficulty.", "[0:40]", "[0:40]",
                "Familiarity is a poor guide to whether you could produce the idea yourself.")  # the line before 0:40
    says(claude, [near])
    assert [s.evidence for s in suggest(store, 1, KEY).kept] == [tuple(near["evidence"])]


@pytest.mark.parametrize("quote", [
    "each time you pull a memory back out -- it becomes harder to lose!!",  # case and punctuation
    "Ada: Forgetting is not a failure of memory but part of how it works.",  # with the speaker, as the document shows it
    "[0:00] Ada: Forgetting is not a failure of memory",  # with the passage's label
    "Ebbinghaus learnt lists of nonsense syllables and tested himself at intervals",  # a small slip
    "gone within a day. The curve of forgetting falls steeply at first",  # across two lines
    "  Each time you   pull a memory\nback out  ",  # odd spacing
    "Ebbinghaus learned lists … and tested himself at intervals.",  # words left out
    "He found that most of what he learned... was gone within a day.",
])
def test_quotes_are_matched_fuzzily_and_kept_as_cleaned(claude, store, quote):
    says(claude, [item("Why does recall protect a memory?", "It makes it harder to lose.", "[0:00]", "[0:00]", quote)])
    (kept,) = suggest(store, 1, KEY).kept
    assert kept.evidence == (" ".join(quote.split()),)


def test_only_the_quotes_found_are_kept_as_evidence(claude, store):
    says(claude, [item("Why does recall protect a memory?", "It makes it harder to lose.", "[0:00]", "[0:00]",
                       "Sleep consolidates memories overnight.", "Each time you pull a memory back out, it becomes harder to lose.")])
    assert suggest(store, 1, KEY).kept[0].evidence == ("Each time you pull a memory back out, it becomes harder to lose.",)


@pytest.mark.parametrize("start, end, stretch", [
    ("0:00", "00:00", (0, 39_800)),  # labels without brackets
    ("[0:00:00]", "[0:00:40]", (0, 54_800)),  # with hours
    ("[0:12]", "[0:41]", (0, 54_800)),  # times inside passages: the passages they fall in
    ("[0:39]", "[0:39]", (0, 39_800)),
    ("[1:59]", "[1:59]", (115_000, 119_800)),
])
def test_times_are_read_as_the_passages_they_name_or_fall_in(claude, store, start, end, stretch):
    says(claude, [item("Why does recall protect a memory?", "It makes it harder to lose.", start, end,
                       "Forgetting is not a failure of memory but part of how it works.",
                       "An honest rating matters more than a flattering one.")])
    found = suggest(store, 1, KEY)
    assert [(s.start_ms, s.end_ms) for s in found.kept] == [stretch], found.dropped


FORMS = {
    "fenced, with prose around": lambda j: f"Here are your questions:\n\n```json\n{j}\n```\n\nI hope [0:00] helps.",
    "a bare fence": lambda j: f"```\n{j}\n```",
    "prose with brackets before": lambda j: f"About [0:00] and [1:00], as asked:\n{j}",
    "prose with brackets after": lambda j: f"{j}\n\nSee [1:00] and [1:45] for more.",
    "indented": lambda j: json.dumps(json.loads(j), indent=2),
    "extra fields": lambda j: json.dumps([dict(x, difficulty=3, tags=["a"]) for x in json.loads(j)]),
}


@pytest.mark.parametrize("form", FORMS.values(), ids=FORMS.keys())
def test_the_list_is_found_however_it_is_wrapped(claude, store, form):
    claude.replies = [Reply([form(json.dumps(GOOD))])]
    assert suggest(store, 1, KEY).kept == SHOWN


def test_citations_among_the_text_are_ignored(claude, store):
    text = json.dumps(GOOD)
    thirds = len(text) // 3
    claude.replies = [Reply([text[:thirds], ("cite", 0, 1), text[thirds:2 * thirds], ("cite", 3, 5), text[2 * thirds:]])]
    assert suggest(store, 1, KEY).kept == SHOWN


UNUSABLE = {
    "prose": (Reply(["I'm sorry, but I can't write questions about this video."]),
              "answered in words, not with the list of questions asked for (“I'm sorry, but I can't write questions about this video.”)"),
    "long prose": (Reply(["word " * 200]), "…”)"),
    "truncated": (Reply(['[{"question": "Why does spacing', ' work?", "answer": "Be']), "broke off before its list of questions ended"),
    "truncated in a fence": (Reply(['```json\n[{"question": "Why"']), "broke off"),
    "out of tokens": (Reply([json.dumps(GOOD)], stop_reason="max_tokens"), "cut off before its list of questions ended"),
    "a refusal": (Reply(["I won't."], stop_reason="refusal"), "declined"),
    "nothing": (Reply([]), "sent back nothing"),
    "blank": (Reply(["  \n "]), "sent back nothing"),
    "an empty list": (Reply(["[]"]), "no questions"),
    "broken JSON": (Reply(['[{"question": "Why?",, "answer": "x"}] and so on']), "not valid JSON"),
    "nesting": (Reply(['[{"a": ' + "[" * 50_000 + "]" * 50_000 + "}]"]), "nests too deep"),
    "a huge count": (Reply([json.dumps([{"q": 1}] * 500)]), "held 500 suggestions, far more than asked for"),
    "a huge reply": (Reply(["x" * 60_000] * 4), "ran far longer"),
    "HTTP 401": (Reply(status=401, error_type="authentication_error"), "did not accept the API key (401)"),
    "HTTP 429": (Reply(status=429, error_type="rate_limit_error", headers={"retry-after": "17"}), "Try again in 17 seconds"),
    "HTTP 500": (Reply(status=500), "server error (500)"),
    "HTTP 529": (Reply(status=529, error_type="overloaded_error"), "overloaded"),
    "an error midway": (Reply([json.dumps(GOOD)[:50], json.dumps(GOOD)[50:]], fail_after=1), "overloaded"),
    "a dropped connection": (Reply([json.dumps(GOOD)[:50], json.dumps(GOOD)[50:]], drop_after=1), "connection dropped"),
    "the key echoed in the text": (Reply(['[{"question": "What is {key}?", "answer": "x", "start": "[0:00]", "end": "[0:00]", '
                                          '"evidence": ["Forgetting is not a failure of memory"]}]']), "held an API key"),
    "the key echoed in an error": (Reply(status=400, error_type="invalid_request_error", message="bad key {key}"), "refused the request (400)"),
    "the key echoed in an error event": (Reply(["[", "{"], fail_after=1, event_error_type="api_error", message="proxy lost {key}"), "proxy lost [API key removed]"),
}


@pytest.mark.parametrize("reply, words", UNUSABLE.values(), ids=UNUSABLE.keys())
def test_a_reply_that_cannot_be_used_is_one_sentence_and_nothing_is_kept(claude, store, reply, words):
    claude.replies = [reply]
    with pytest.raises(SuggestionProblem) as caught:
        suggest(store, 1, KEY)
    said = str(caught.value)
    assert words in said and KEY not in said and "PLANTED" not in said
    assert said.endswith(".") and "\n" not in said and len(said) < 400
    assert store.cards(1) == [] and len(claude.requests) == 1


def test_a_stalled_server_times_out(claude, store, monkeypatch):
    monkeypatch.setenv("READER_ANTHROPIC_TIMEOUT", "0.5")
    claude.replies = [Reply(['[{"question": ', '"Why?"'], delay=3)]
    with pytest.raises(SuggestionProblem, match="timed out|dropped"):
        suggest(store, 1, KEY)


def test_stopping_keeps_nothing(claude, store):
    claude.replies = [Reply([json.dumps(GOOD)[:20]] * 30, delay=0.01)]
    with pytest.raises(SuggestionProblem, match="Stopped"):
        suggest(store, 1, KEY, cancelled=lambda: True)


def test_plan_then_ask_needs_no_store_on_the_asking_thread(claude, store):
    import threading

    says(claude, GOOD)
    plan = card_suggestions.plan(store, 1, count=3)
    got = []
    worker = threading.Thread(target=lambda: got.append(card_suggestions.ask(plan, KEY)))
    worker.start()
    worker.join(60)
    assert got[0].kept == SHOWN


# -- keeping them ----------------------------------------------------------------------------------

def test_keep_stores_all_or_none(store):
    past = Suggestion("Why?", "Because.", 200_000, 210_000, ("x",))
    with pytest.raises(CardProblem, match="past the end"):
        keep(store, 1, [SHOWN[0], past])
    with pytest.raises(CardProblem, match="not 'kept'"):
        keep(store, 1, SHOWN, status="kept")
    assert store.cards(1) == []
    ids = keep(store, 1, SHOWN[:2], status="suggested", highlight_id=None)
    assert [store.card(i)["status"] for i in ids] == ["suggested", "suggested"]


# -- reader cards generate -------------------------------------------------------------------------

def test_reader_cards_generate_prints_what_it_kept_and_stores_exactly_that(capsys, claude):
    vid = memory_video()
    says(claude, [GOOD[0], HOSTILE["an invented quote"][0], GOOD[1], GOOD[2], HOSTILE["a time past the end"][0]])
    code, out, err = run(capsys, "cards", "generate", vid, "--count", "4", "--model", "claude-test")
    assert code == 0, err
    lines = [line.split("\t") for line in out.splitlines()]
    assert [line[1:] for line in lines] == [["0:00–0:39", GOOD[0]["question"], GOOD[0]["answer"]],
                                            ["1:00–1:44", GOOD[1]["question"], GOOD[1]["answer"]],
                                            ["1:00–1:54", GOOD[2]["question"], GOOD[2]["answer"]]]
    store = Store()
    stored = [store.card(int(line[0])) for line in lines]
    store.close()
    assert [(c["question"], c["answer"], c["start_ms"], c["end_ms"], tuple(c["evidence"])) for c in stored] == \
        [(s.question, s.answer, s.start_ms, s.end_ms, s.evidence) for s in SHOWN]
    assert {(c["status"], c["source"]) for c in stored} == {("active", "claude")}
    assert "reader: 2 suggestions were dropped by the check: “Why sleep?” quotes words" in err
    assert "past the end of the transcript" in err and "3 cards stored, active" in err and "from cache" in err
    body = claude.requests[0]
    assert body["model"] == "claude-test" and "Write 4 recall questions" in body["messages"][0]["content"][1]["text"]


def test_reader_cards_generate_over_a_stretch(capsys, claude):
    vid = memory_video()
    says(claude, [GOOD[1]])
    code, out, err = run(capsys, "cards", "generate", vid, "--from", "1:00", "--to", "2:00", "--count", "1")
    assert code == 0 and out.count("\n") == 1 and "dropped" not in err
    assert "the chapter “Spacing”" in claude.requests[0]["messages"][0]["content"][1]["text"]


GENERATE_MISTAKES = {
    "no video": (["99"], None, "no video with id 99"),
    "count 0": (["{v}", "--count", "0"], None, "--count takes a whole number from 1 to 20, not '0'"),
    "count 21": (["{v}", "--count", "21"], None, "from 1 to 20"),
    "count words": (["{v}", "--count", "many"], None, "not 'many'"),
    "a bad time": (["{v}", "--from", "soon"], None, "--from 'soon' is not a time"),
    "backwards": (["{v}", "--from", "1:00", "--to", "0:30"], None, "--to (0:30) must come after --from (1:00)"),
    "from past the end": (["{v}", "--from", "5:00"], None, "5:00 is past the end of the video, which is 2:00 long"),
    "to past the end": (["{v}", "--from", "0:10", "--to", "9:00"], None, "9:00 is past the end"),
    "prose back": (["{v}"], Reply(["No."]), "answered in words"),
    "server error": (["{v}"], Reply(status=500), "server error (500)"),
    "all dropped": (["{v}"], Reply([json.dumps([HOSTILE["an invented quote"][0]])]),
                    "None of Claude's 1 suggestions passed the check, so no card was made. “Why sleep?” quotes words"),
}


@pytest.mark.parametrize("argv, reply, words", GENERATE_MISTAKES.values(), ids=GENERATE_MISTAKES.keys())
def test_reader_cards_generate_mistakes_are_one_sentence_and_store_nothing(capsys, claude, argv, reply, words):
    vid = memory_video()
    if reply is not None:
        claude.replies = [reply]
    code, out, err = run(capsys, "cards", "generate", *[a.format(v=vid) for a in argv])
    assert_one_sentence(code, out, err)
    assert words in err and out == "" and KEY not in err
    assert len(claude.requests) == (reply is not None)
    store = Store()
    assert store.cards() == []
    store.close()


def test_reader_cards_generate_without_a_key_says_how_to_set_one_before_any_request(capsys, claude, monkeypatch):
    vid = memory_video()
    monkeypatch.delenv("ANTHROPIC_API_KEY")
    monkeypatch.setenv("PYTHON_KEYRING_BACKEND", "keyring.backends.fail.Keyring")
    code, out, err = run(capsys, "cards", "generate", vid)
    assert_one_sentence(code, out, err)
    assert "ANTHROPIC_API_KEY" in err and "Preferences" in err and claude.requests == []
