"""`reader cards …` and `reader review …`: make and list recall cards, see what is due, rate a review."""

from __future__ import annotations

import argparse

from reader.cli.common import NO_KEY, _ask_setup, _clock, _fail, _json_text, _print_stream, _printable, _quote, _say, _store, _time, _video_id


def _id_of(kind: str, where: str):
    """An argument type for the id of a card or a check: a whole number from 1."""
    def read(text: str) -> int:
        try:
            return _video_id(text)
        except argparse.ArgumentTypeError:
            raise argparse.ArgumentTypeError(f"{_quote(text)} is not a {kind} id: ids are whole numbers from 1, {where}.") from None

    return read


_card_id = _id_of("card", "as `reader cards list` shows them")
_check_id = _id_of("check", "as `reader review check` prints them")


def _count(text: str) -> int:
    from reader.cards.suggestions import MAX_COUNT

    if not text.strip().isdigit() or not 1 <= int(text.strip()) <= MAX_COUNT:
        raise argparse.ArgumentTypeError(f"--count takes a whole number from 1 to {MAX_COUNT}, not {_quote(text)}.")
    return int(text.strip())


def _limit(text: str) -> int:
    if not text.strip().isdigit() or not 1 <= int(text.strip()) <= 1000:
        raise argparse.ArgumentTypeError(f"--limit takes a whole number from 1 to 1000, not {_quote(text)}.")
    return int(text.strip())


def add_parsers(sub) -> None:
    cards = sub.add_parser("cards", help="recall cards: add one, have Claude suggest some, or list them")
    cs = cards.add_subparsers(dest="cards_action", required=True, metavar="add|generate|list")
    add = cs.add_parser("add", help="add a card over a stretch of a library video; prints its id")
    add.add_argument("video_id", type=_video_id, help="the id `reader library` shows")
    add.add_argument("--from", dest="start", required=True, help="where its moments start: 12:30, 1:02:03 or seconds")
    add.add_argument("--to", dest="end", required=True, help="where they end, after --from")
    add.add_argument("--question", required=True, help="the question to recall the answer to")
    add.add_argument("--answer", default="", help="the reference answer (optional)")
    gen = cs.add_parser("generate", help="have Claude write recall questions for a video (or a stretch of it)")
    gen.add_argument("video_id", type=_video_id, help="the id `reader library` shows")
    gen.add_argument("--from", dest="start", help="where the stretch starts (default: the beginning)")
    gen.add_argument("--to", dest="end", help="where it ends (default: the end)")
    gen.add_argument("--count", type=_count, default=5, help="how many questions to ask for (default 5, at most 20)")
    gen.add_argument("--model", help="the Claude model (default: the one chosen in Preferences)")
    ls = cs.add_parser("list", help="list cards: card id, video id, moments, state, when due, question, answer")
    ls.add_argument("video_id", nargs="?", type=_video_id, help="only this video's cards")
    ls.add_argument("--json", action="store_true", help="print them as JSON")
    review = sub.add_parser("review", help="the cards due now; `review rate` records how well you recalled one")
    review.add_argument("--json", action="store_true", help="print the due cards as JSON")
    review.add_argument("--limit", type=_limit, default=20, help="at most this many cards (default 20)")
    rs = review.add_subparsers(dest="review_action", metavar="rate|check")
    rate = rs.add_parser("rate", help="record a review of a card: again, hard, good or easy")
    rate.add_argument("card_id", type=_card_id, help="the id `reader review` shows")
    rate.add_argument("rating", choices=("again", "hard", "good", "easy"), help="how well you recalled it")
    rate.add_argument("--anyway", action="store_true", help="rate a card that is not due yet (it is rescheduled from now)")
    rate.add_argument("--check", type=_check_id, help="the check `reader review check` made of your answer: its feedback "
                                                     "and your answer join the review's log")
    check = rs.add_parser("check", help="have Claude check your answer to a card against the transcript")
    check.add_argument("card_id", type=_card_id, help="the id `reader review` shows")
    check.add_argument("--answer", required=True, help="your answer, in your own words")
    check.add_argument("--model", help="the Claude model (default: the one chosen in Preferences)")


def run(args) -> int:
    if args.command == "cards":
        return {"add": cmd_add, "list": cmd_list, "generate": cmd_generate}[args.cards_action](args)
    return {None: cmd_due, "rate": cmd_rate, "check": cmd_check}[args.review_action](args)


def _moments(args, required: bool = True) -> tuple[int | None, int | None] | str:
    """--from and --to as milliseconds: the start of the first line and the end of the last they take, as the
    transcript shows their times (reader.transcript.typed_times); or what is wrong with them as a sentence."""
    from reader.cards.making import _video_end
    from reader.transcript.typed_times import backwards, typed_stretch

    values = []
    for name, text in (("--from", args.start), ("--to", args.end)):
        if text is None and not required:
            values.append(None)
            continue
        value = _time(text)
        if value is None:
            return f"{name} {_quote(text)} is not a time: give one such as 12:30, 1:02:03 or 750 (seconds)."
        values.append(value)
    start, end = values
    if backwards(start, end):
        return f"--to ({_clock(end.ms)}) must come after --from ({_clock(start.ms)})."
    if start is None and end is None:
        return None, None
    store = _store(writes=True)
    try:
        return typed_stretch(store.transcript(args.video_id).cues, start, end, _video_end(store, args.video_id))
    finally:
        store.close()


def cmd_add(args) -> int:
    from reader.cards.making import CardProblem, make_card

    moments = _moments(args)
    if isinstance(moments, str):
        return _fail(moments)
    store = _store(writes=True)
    try:
        card_id = make_card(store, args.video_id, args.question, args.answer, *moments)
    except CardProblem as exc:
        return _fail(str(exc))
    finally:
        store.close()
    print(card_id)
    return 0


def _card_json(row, now) -> dict:
    from reader.cards.making import when

    return {"id": row["id"], "video_id": row["video_id"], "title": row["title"], "question": row["question"],
            "answer": row["answer"], "start_ms": row["start_ms"], "end_ms": row["end_ms"], "state": row["status"],
            "source": row["source"], "due": row["due"], "due_in": when(row["due"], now), "reviews": row["review_count"]}


def cmd_list(args) -> int:
    from reader.cards.scheduling import utc_now

    store = _store()
    try:
        if args.video_id is not None and store.video(args.video_id) is None:
            return _fail(f"no video with id {args.video_id} in the library (see `reader library`)")
        rows = store.cards(args.video_id)
    finally:
        store.close()
    now = utc_now()
    if args.json:
        print(_json_text([_card_json(r, now) for r in rows]))
        return 0
    for r in rows:
        item = _card_json(r, now)
        print(f"card {r['id']}\tvideo {r['video_id']}\t{_clock(r['start_ms'])}–{_clock(r['end_ms'])}\t{r['status']}\tdue {item['due_in']}"
              f"\t{_printable(r['question'])}\t{_printable(r['answer'])}")
    return 0


def cmd_due(args) -> int:
    from reader.cards.making import due_now
    from reader.cards.scheduling import utc_now

    store = _store()
    try:
        now = utc_now()
        rows = due_now(store, now, args.limit)
        later = store.next_due() if not rows else None
    finally:
        store.close()
    if args.json:
        print(_json_text([{"id": r["id"], "video_id": r["video_id"], "title": r["title"], "start_ms": r["start_ms"],
                           "question": r["question"]} for r in rows]))
        return 0
    for r in rows:
        print(f"card {r['id']}\tvideo {r['video_id']}\t{_clock(r['start_ms'])}\t{_printable(r['title'])}\t{_printable(r['question'])}")
    if not rows:
        from reader.cards.making import when

        print("Nothing is due." + (f" The next card is due {when(later, now)}." if later else " Add cards with `reader cards add`."))
    return 0


def cmd_rate(args) -> int:
    from reader.cards.making import CardProblem, rate_card, when

    store = _store(writes=True)
    try:
        typed = ""
        if args.check is not None:
            check = store.check(args.check)
            if check is None or check["card_id"] != args.card_id:
                return _fail(f"Check {args.check} is not a check of card {args.card_id}; `reader review check` prints the right one.")
            if check["review_id"] is not None:
                return _fail(f"Check {args.check} already went with a review of card {args.card_id}.")
            typed = check["typed_answer"]
        early = _not_due(store.card(args.card_id), args)
        if early:
            return _fail(early)
        reviewed = rate_card(store, args.card_id, args.rating, typed_answer=typed, check_id=args.check)
    except CardProblem as exc:
        return _fail(str(exc))
    finally:
        store.close()
    print(f"Card {args.card_id} is next due {when(reviewed.due)} ({reviewed.due}).")
    return 0


def _not_due(row, args) -> str:
    """Why an active card that is not due yet is not rated without --anyway; "" when it may be rated."""
    from reader.cards.making import when
    from reader.cards.scheduling import parse_iso, utc_now

    if row is None or row["status"] != "active" or args.anyway:
        return ""  # (a card that is missing or not active: rating it says why not)
    now = utc_now()
    if parse_iso(row["due"]) <= now:
        return ""
    due = when(row["due"], now)
    return (f"Card {args.card_id} is not due yet (it comes back {'in less than a minute' if due == 'now' else due}); "
            f"to rate it now anyway, add --anyway: reader review rate {args.card_id} {args.rating} --anyway.")


def cmd_generate(args) -> int:
    """Claude's recall questions for a video or a stretch, checked, printed and stored as active cards."""
    from reader.asking.llm import cost_line
    from reader.base.settings import read_setting
    from reader.cards.making import CardProblem
    from reader.cards.suggestions import SuggestionProblem, keep, suggest

    moments = _moments(args, required=False)
    if isinstance(moments, str):
        return _fail(moments)
    key, store, problem = _ask_setup(args.video_id)
    if problem:
        return _fail(problem)
    try:
        found = suggest(store, args.video_id, key, *moments, count=args.count, model=args.model or read_setting("claude/model"))
        if not found.kept:
            return _fail(f"None of Claude's {len(found.dropped)} suggestions passed the check, so no card was made. "
                         + " ".join(found.dropped))
        ids = keep(store, args.video_id, found.kept)
    except (SuggestionProblem, CardProblem) as exc:
        return _fail(str(exc))
    finally:
        store.close()
    for card_id, s in zip(ids, found.kept):
        print(f"{card_id}\t{_clock(s.start_ms)}–{_clock(s.end_ms)}\t{_printable(s.question)}\t{_printable(s.answer)}")
    if found.dropped:
        n = len(found.dropped)
        _say(f"{n} suggestion{'s were' if n != 1 else ' was'} dropped by the check: {' '.join(found.dropped)}")
    _say(f"{cost_line(found.usage)}; {len(ids)} card{'s' * (len(ids) != 1)} stored, active")
    return 0


def cmd_check(args) -> int:
    """Claude's feedback on a typed answer to a card, streamed with [m:ss] citations and stored; its suggested rating last."""
    from reader.asking.keys import get_key
    from reader.asking.llm import cost_line
    from reader.base.settings import read_setting
    from reader.cards import answer_check
    from reader.cards.making import CardProblem

    if not args.answer.strip():
        return _fail("--answer is empty: write what you remember, in your own words.")
    key = get_key()
    if not key:
        return _fail(NO_KEY)
    store = _store(writes=True)
    try:
        if store.card(args.card_id) is None:
            return _fail(f"There is no card with id {args.card_id} (see `reader cards list`).")
        check_id, request = answer_check.begin(store, args.card_id, args.answer, args.model or read_setting("claude/model"))
        answer = _print_stream(request, key, lambda a: answer_check.record(store, check_id, a),
                               lambda text, done: answer_check.feedback_text(text, streaming=not done))
    except CardProblem as exc:
        return _fail(str(exc))
    finally:
        store.close()
    if answer.error:
        return _fail(answer.error + (" (the part that arrived is saved)" if answer.text else ""))
    rating = answer_check.suggested_rating(answer.text)
    print(("\n" if answer.text.strip() else "") + (f"Suggested rating: {rating}" if rating else "Claude suggested no rating."))
    _say(f"{cost_line(answer.usage)}; saved as check {check_id}. Rate it with "
         f"`reader review rate {args.card_id} again|hard|good|easy --check {check_id}`.")
    return 0
