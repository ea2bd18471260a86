"""`reader explain` and `reader study`: Claude's answers streamed to the terminal."""

from __future__ import annotations

from reader.cli.common import _ask_setup, _fail, _print_stream, _quote, _say, _time, _video_end


def _study_tool_names() -> str:
    try:
        from reader.asking.study import tools

        return ", ".join(t.key for t in tools()) or "none installed"
    except Exception:  # the help must still show
        return "preread, central-ideas, vocabulary, references, people"


def cmd_explain(args) -> int:
    from reader.asking import questions
    from reader.base.settings import read_setting
    from reader.transcript.typed_times import backwards, typed_lines
    from reader.transcript.writers import short_clock

    typed = _time(args.start), _time(args.end)
    for name, text, value in (("--from", args.start, typed[0]), ("--to", args.end, typed[1])):
        if value is None:
            return _fail(f"{name} {_quote(text)} is not a time: give one such as 12:30, 1:02:03 or 750 (seconds).")
    start, end = typed[0].ms, typed[1].ms
    if backwards(*typed):
        return _fail(f"--to ({short_clock(end)}) must come after --from ({short_clock(start)}).")
    if args.question is not None and not args.question.strip():
        return _fail("--question is empty: write a question, or leave --question out to have the passage explained.")
    key, store, problem = _ask_setup(args.video_id)
    if problem:
        return _fail(problem)
    try:
        length = _video_end(store, args.video_id)
        if length and start >= length:
            return _fail(f"--from ({short_clock(start)}) is past the end of video {args.video_id}, "
                         f"which is {short_clock(length)} long.")
        if length and end > length + 1000:
            return _fail(f"--to ({short_clock(end)}) is past the end of video {args.video_id}, "
                         f"which is {short_clock(length)} long.")
        cues = store.transcript(args.video_id).cues
        taken = typed_lines(cues, *typed)
        if taken is None:
            return _fail(f"Nothing is said between {short_clock(start)} and {short_clock(end)} in video {args.video_id}.")
        span = questions.span_of_lines(cues, *taken)
        highlight_id = questions.save_highlight(store, args.video_id, span)
        answer_id, request = questions.begin(store, highlight_id, "ask" if args.question else "explain", args.question or "",
                                             model=args.model or read_setting("claude/model"))
        return _stream_to_stdout(store, answer_id, request, key)
    finally:
        store.close()


def _stream_to_stdout(store, answer_id: int, request, key: str) -> int:
    """Print an answer as it streams (citations as [m:ss]) and store it as it goes, as the window does."""
    from reader.asking import questions
    from reader.asking.llm import cost_line

    answer = _print_stream(request, key, lambda a: questions.record(store, answer_id, a))
    if answer.error:
        return _fail(answer.error + (" (the part that arrived is saved)" if answer.text else ""))
    _say(f"{cost_line(answer.usage)}; saved as answer {answer_id}")
    return 0


def cmd_study(args) -> int:
    from reader.asking.questions import begin
    from reader.asking.study import find_tool, tools
    from reader.base.settings import read_setting

    tool = None if args.tool == "chat" else find_tool(args.tool)
    if tool is None and args.tool != "chat":
        names = ", ".join(t.key for t in tools())
        return _fail(f"There is no study tool called {_quote(args.tool)}; there are {names}, and chat (with --question).")
    if args.tool == "chat" and not (args.question or "").strip():
        return _fail("chat needs a question: add --question \"...\".")
    key, store, problem = _ask_setup(args.video_id)
    if problem:
        return _fail(problem)
    try:
        answer_id, request = begin(store, None, "chat" if tool is None else "study", args.question or "",
                                   model=args.model or read_setting("claude/model"), video_id=args.video_id, tool=tool)
        return _stream_to_stdout(store, answer_id, request, key)
    finally:
        store.close()
