"""`reader ask --library`, `reader threads` and `reader tag`: ask the whole library, read its threads, tag videos."""

from __future__ import annotations

from reader.cli.common import NO_KEY, _clock, _fail, _json_text, _print_stream, _printable, _quote, _say, _store, _video_id


def add_parsers(sub) -> None:
    ask = sub.add_parser("ask", help="ask the whole library (--library): an answer citing moments across its videos, "
                                     "or only the passages found (--passages, no key needed)")
    ask.add_argument("question", help="your question, e.g. \"where did anyone explain desirable difficulty?\"")
    ask.add_argument("--library", action="store_true", required=True,
                     help="ask across the library (for one video: reader explain, or reader study VIDEO chat)")
    ask.add_argument("--passages", action="store_true", help="only find the passages that bear on it, best first")
    ask.add_argument("--json", action="store_true", help="with --passages: print them as a JSON list")
    where = ask.add_mutually_exclusive_group()
    where.add_argument("--channel", help="search only this channel's videos")
    where.add_argument("--tag", help="search only the videos with this tag")
    where.add_argument("--video", dest="videos", type=_video_id, action="append", metavar="ID",
                       help="search only this video (repeat for several)")
    ask.add_argument("--follow", type=_video_id, metavar="THREAD", help="ask a follow-up in this thread (see reader threads)")
    ask.add_argument("--model", help="the Claude model (default: the one chosen in Preferences)")
    th = sub.add_parser("threads", help="list the library's question threads (newest first), or print one")
    th.add_argument("query", nargs="?", default="", help="only the threads whose questions or answers hold these words")
    th.add_argument("--show", type=_video_id, metavar="THREAD", help="print this thread: questions, answers, citations")
    th.add_argument("--json", action="store_true", help="print as JSON")
    tag = sub.add_parser("tag", help="put tags on a library video (or take them off with --remove); with no tags, list them")
    tag.add_argument("video_id", type=_video_id, nargs="?", help="the id `reader library` shows (none: every tag in use)")
    tag.add_argument("names", nargs="*", help="the tags (quote a tag with spaces)")
    tag.add_argument("--remove", action="store_true", help="take these tags off")


def run(args) -> int:
    if args.command == "ask":
        return cmd_ask(args)
    if args.command == "threads":
        return cmd_threads(args.query, args.show, args.json)
    return cmd_tag(args.video_id, args.names, args.remove)


def _scope(args, store):
    from reader.library.question_passages import Scope

    if args.channel is not None:
        if not args.channel.strip():
            return None, "--channel is empty: name a channel as `reader library` shows it."
        scope = Scope("channel", args.channel.strip())
    elif args.tag is not None:
        from reader.library.db.library import tag_name

        try:
            scope = Scope("tag", tag_name(args.tag))
        except ValueError as exc:
            return None, str(exc)
    elif args.videos:
        missing = [v for v in args.videos if store.video(v) is None]
        if missing:
            return None, f"no video with id {missing[0]} in the library (see `reader library`)."
        scope = Scope.of_videos(args.videos)
    else:
        return Scope(), ""
    if not scope.video_ids(store):
        return None, f"no video in the library is in {scope.words().strip(' ()')}."
    return scope, ""


def cmd_ask(args) -> int:
    from reader.asking import library as library_ask
    from reader.asking.keys import get_key
    from reader.asking.llm import cost_line
    from reader.base.settings import read_setting
    from reader.library.question_passages import find, question_terms

    question = " ".join((args.question or "").split())
    if not question:
        return _fail("The question is empty: write what you want to ask the library.")
    if args.json and not args.passages:
        return _fail("--json goes with --passages (an answer streams as text).")
    if not question_terms(question):
        return _fail(f"{_quote(question[:80])} has no word to search the library for; ask about a subject, e.g. "
                     "reader ask --library \"what is spaced repetition?\"")
    key = None
    if not args.passages:
        key = get_key()
        if not key:
            return _fail(NO_KEY + "; without one, --passages finds the passages.")
    store = _store()
    try:
        if args.follow is not None and not store.library_thread(args.follow):
            return _fail(f"there is no library thread {args.follow} (see `reader threads`).")
        scope, problem = _scope(args, store)
        if problem:
            return _fail(problem)
        found = find(store, question, scope)
        if args.passages:
            return _print_passages(found, question, args.json)
        try:
            answer_id, request = library_ask.begin(store, question, scope, args.follow,
                                                   model=args.model or read_setting("claude/model"), found=found)
        except ValueError as exc:
            return _fail(str(exc))
        present: set[int] = set()

        def label(citation: dict) -> str:
            if citation.get("video_id") not in present:
                present.update(library_ask.present_videos(store, [citation]))
            return " " + library_ask.citation_label(citation, present)

        answer = _print_stream(request, key, lambda a: library_ask.record(store, answer_id, a), label=label)
        if answer.error:
            kept = answer.text and "kept" not in answer.error
            return _fail(answer.error + (" (the part that arrived is saved)" if kept else ""))
        thread = store.library_answer(answer_id)["thread_id"]
        _say(f"{cost_line(answer.usage)}; saved in library thread {thread} (reader threads --show {thread})")
        return 0
    finally:
        store.close()


def _print_passages(found, question: str, as_json: bool) -> int:
    if as_json:
        print(_json_text([f.to_json() for f in found]))
    else:
        for f in found:
            what = "note" if f.kind == "note" else f"{_clock(f.start_ms)}-{_clock(f.end_ms)}"
            print(f"{f.video_id}\t{_printable(f.title)}\t{what}\t{_printable(f.text[:300])}")
    if not found:
        _say(f"nothing in the library speaks of {_quote(question[:80])}.")
    return 0


def cmd_threads(query: str, show: int | None, as_json: bool) -> int:
    from reader.asking import library as library_ask
    from reader.base.citations import strip_marks

    store = _store()
    try:
        if show is not None:
            rows = store.library_thread(show)
            if not rows:
                return _fail(f"there is no library thread {show} (see `reader threads`).")
            if as_json:
                print(_json_text([{k: r[k] for k in ("id", "question", "answer", "citations", "status", "scope", "created_at")}
                                  | {"answer": strip_marks(r["answer"])} for r in rows]))
                return 0
            present = library_ask.present_videos(store, [c for r in rows for c in r["citations"]])
            for r in rows:
                print(f"Q: {_printable(r['question'])}")
                text = library_ask.linked_text(r["answer"], r["citations"], lambda n, c, label: label, present)
                print(_printable(text, newlines=True).rstrip() or "(no answer)")
                if r["status"] != "complete":
                    print(f"({'still streaming' if r['status'] == 'streaming' else 'cut short: ' + (r['error'] or 'incomplete')})")
                print()
            return 0
        threads = store.library_threads(query)
        if as_json:
            print(_json_text(threads))
            return 0
        for t in threads:
            turns = f"{t['turns']} questions" if t["turns"] != 1 else "1 question"
            print(f"{t['thread_id']}\t{t['created_at'][:10]}\t{turns}\t{_printable(t['question'])}")
        if not threads:
            _say("no library thread holds that." if query.strip() else "no question has been asked of the library yet.")
        return 0
    finally:
        store.close()


def cmd_tag(video_id: int | None, names: list[str], remove: bool) -> int:
    store = _store()
    try:
        if video_id is None:
            for name, count in store.all_tags():
                print(f"{_printable(name)}\t{count} video{'s' if count != 1 else ''}")
            return 0
        if store.video(video_id) is None:
            return _fail(f"no video with id {video_id} in the library (see `reader library`).")
        if not names:
            print(", ".join(_printable(t) for t in store.tags(video_id)))
            return 0
        try:
            done = store.remove_tags(video_id, names) if remove else store.add_tags(video_id, names)
        except ValueError as exc:
            return _fail(str(exc))
        tags = store.tags(video_id)
        _say(f"video {video_id} {'lost' if remove else 'gained'} {len(done)} tag{'s' if len(done) != 1 else ''}; "
             f"its tags: {', '.join(tags) if tags else 'none'}.")
        return 0
    finally:
        store.close()
