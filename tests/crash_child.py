"""A Reader process to kill: it saves highlights, streams an answer and imports, reporting each step.

Run by test_crash.py, which kills it with SIGKILL at a random moment and then checks the library.
Prints 'SAVED <id>' once a highlight's save has returned, 'ANSWER <id>' once an answer row exists,
'KEPT <id> <chars>' once that much of an answer has been written, 'IMPORTED <id>' once an import has
committed.
"""

import os
import random
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from reader.asking import questions  # noqa: E402
from reader.asking.llm import Answer, stream_answer  # noqa: E402
from reader.library.db.store import Store  # noqa: E402
from reader.library.importing import commit, prepare_file  # noqa: E402


def main() -> None:
    clip = Path(sys.argv[1])
    seed = int(sys.argv[2])
    rng = random.Random(seed)
    streaming = seed % 10 == 0  # the SDK takes seconds to import, so one run in ten streams answers
    if streaming:
        from reader.asking.llm import warm_up

        warm_up()  # done before the parent starts its clock
    store = Store()
    video_id = store.find_video("file", "crash-test-video")
    if video_id is None:
        prepared = prepare_file(clip, copy=False)
        prepared.record.site_id = "crash-test-video"
        video_id = commit(store, prepared)
    print("READY", flush=True)
    for step in range(1000):
        choices = ["highlight", "highlight", "answer", "answer", "import"] if streaming else ["highlight", "highlight", "import"]
        action = "answer" if step == 0 and streaming else rng.choice(choices)
        if action == "highlight":
            hid = store.add_highlight(video_id, 0, 0, 0, 5, 500, 2000, f"seed {seed} step {step}", "yellow", "x" * rng.randint(0, 2000))
            print(f"SAVED {hid}", flush=True)
        elif action == "answer":
            hid = store.add_highlight(video_id, 1, 0, 1, 5, 2000, 3500, f"asked {seed}.{step}")
            print(f"SAVED {hid}", flush=True)
            answer_id, request = questions.begin(store, hid, "explain")
            print(f"ANSWER {answer_id}", flush=True)
            answer = Answer()
            for n, event in enumerate(stream_answer(request, os.environ["ANTHROPIC_API_KEY"])):
                answer.add(event)
                if n % 5 == 0 and answer.text:
                    questions.record(store, answer_id, answer)
                    print(f"KEPT {answer_id} {len(answer.text)}", flush=True)
            questions.record(store, answer_id, answer)
        else:
            prepared = prepare_file(clip, copy=True)
            prepared.record.site_id = f"crash-{seed}-{step}"
            vid = commit(store, prepared)
            print(f"IMPORTED {vid}", flush=True)


if __name__ == "__main__":
    main()
