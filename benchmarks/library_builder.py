"""Builds a large library through Reader's own Store: one-hour videos of varied talk, with highlights, answers and cards.

`build(path, videos, seed=0)` makes (or adds to) the library at `path`; from the command line:

    uv run python benchmarks/library_builder.py OUT.db --videos 1000

Every video is one hour, 800 lines of 8-16 words drawn from a vocabulary shaped like speech: function
words and a few content words spoken in every video (COMMON_WORDS), topic words spoken only in the
videos about that topic, phrases of each topic ("spaced repetition", "desirable difficulty"...), and
words made for one video alone (RARE_WORD is spoken in about one video in fifty). Each video has 20
highlights (some with notes), 5 answers (3 on highlights, a chat and a study summary) and 2 cards.
Everything is written with the Store's own write verbs, one transaction per video (the Store's
`writing()` nests), so the library is what Reader would have made. The same seed builds the same text.
"""

from __future__ import annotations

import argparse
import random
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from reader.cards import making as cards  # noqa: E402
from reader.library.db.records import VideoRecord  # noqa: E402
from reader.library.db.store import Store  # noqa: E402
from reader.transcript.model import Chapter, Cue, Transcript  # noqa: E402

LINES = 800
HOUR_MS = 3600 * 1000
HIGHLIGHTS = 20
ANSWERS = 5
CARDS = 2

# spoken in every video (function words, and a few content words every talk of this library uses)
FUNCTION_WORDS = (
    "the a an and but so because if then that this these those it its we you they he she i our your their "
    "is are was were be been being have has had do does did can could will would should might must "
    "of in on at to for with from by about into over after before between through under again "
    "not just very really quite also only even still actually basically right now here there when where "
    "what which who how why all some many much more most other another each every one two three first"
).split()
COMMON_WORDS = ("learning", "people", "think", "know", "time", "way", "thing", "example", "question", "idea",
                "work", "talk", "show", "point", "kind", "mean", "look", "make", "good", "different")
GENERAL_WORDS = (
    "problem answer study research result paper evidence experiment group student teacher class school "
    "book page chapter lecture slide graph number percent level change effect reason story world life "
    "brain mind attention habit practice skill task goal plan method approach system model theory data "
    "test score week month year day hour minute morning night start end middle moment step part whole "
    "simple hard easy small large early late long short better worse best worst real true false clear"
).split()
TOPICS = {
    "memory": ("memory recall forgetting retention retrieval encoding consolidation hippocampus",
               ("spaced repetition", "forgetting curve", "working memory", "retrieval practice")),
    "difficulty": ("difficulty effort struggle desirable challenge frustration persistence",
                   ("desirable difficulty", "productive failure", "growth mindset")),
    "sleep": ("sleep dream rest nap circadian melatonin insomnia fatigue",
              ("deep sleep", "sleep deprivation", "circadian rhythm")),
    "language": ("language vocabulary grammar pronunciation fluency accent translation immersion",
                 ("second language", "comprehensible input", "native speaker")),
    "music": ("music melody rhythm harmony instrument piano violin chord",
              ("perfect pitch", "deliberate practice", "sight reading")),
    "math": ("math equation proof algebra geometry calculus theorem fraction",
             ("number sense", "worked example", "problem solving")),
    "history": ("history empire war revolution century archive monarchy treaty",
                ("primary source", "industrial revolution", "cold war")),
    "physics": ("physics energy force particle quantum gravity momentum velocity",
                ("general relativity", "quantum mechanics", "dark matter")),
    "biology": ("biology cell gene protein evolution species enzyme organism",
                ("natural selection", "gene expression", "cell division")),
    "economics": ("economics market price inflation trade supply demand currency",
                  ("supply chain", "interest rate", "opportunity cost")),
    "programming": ("programming code function variable compiler algorithm debugging software",
                    ("test driven", "code review", "pair programming")),
    "cooking": ("cooking recipe flavour oven spice dough sauce kitchen",
                ("maillard reaction", "knife skills", "slow cooking")),
    "climate": ("climate carbon emission temperature ocean glacier drought forest",
                ("greenhouse gas", "sea level", "renewable energy")),
    "psychology": ("psychology motivation emotion bias anxiety behaviour perception cognition",
                   ("cognitive load", "confirmation bias", "intrinsic motivation")),
    "art": ("art painting colour canvas sculpture portrait museum sketch",
            ("negative space", "colour theory", "oil painting")),
    "chess": ("chess opening endgame pawn bishop knight gambit tactic",
              ("pattern recognition", "opening theory", "time pressure")),
}
RARE_WORD = "serendipity"  # spoken in about one video in fifty
PHRASE = "spaced repetition"  # a phrase of the memory topic (about one video in five)
PREFIX = "consolid"  # as typed: "consolidation" (memory videos)
COMMON_WORD = "learning"  # spoken in every video, many times
_SYLLABLES = ("ka lo mi ren tor va sel dun pra ghe zo lin mar tesh qui bal nor fen "
              "dri cal om ust ver plo sam").split()


def _weights(n: int) -> list[float]:
    """Zipf-like cumulative weights for n words: the first few are spoken far more often."""
    total, cumulative = 0.0, []
    for rank in range(1, n + 1):
        total += 1.0 / (rank + 4)
        cumulative.append(total)
    return cumulative


class _Talk:
    """The words one video is made of: every video's, its topics' and its own."""

    def __init__(self, rng: random.Random, number: int):
        names = sorted(TOPICS)
        self.topics = rng.sample(names, 2)
        self.topic_words = [w for t in self.topics for w in TOPICS[t][0].split()]
        self.phrases = [p for t in self.topics for p in TOPICS[t][1]]
        # words made for this video alone: a place, a person, a term of its own
        self.own = ["".join(rng.choice(_SYLLABLES) for _ in range(3)) for _ in range(6)]
        if number % 50 == 7:
            self.own.append(RARE_WORD)
        self.base = list(FUNCTION_WORDS) + list(COMMON_WORDS)
        rng.shuffle(self.base)
        self.base_weights = _weights(len(self.base))
        self.content = self.topic_words + list(GENERAL_WORDS)
        self.content_weights = _weights(len(self.content))

    def line(self, rng: random.Random) -> str:
        n = rng.randint(8, 16)
        words = rng.choices(self.base, cum_weights=self.base_weights, k=n)
        for i in rng.sample(range(n), k=max(1, n // 3)):
            words[i] = rng.choices(self.content, cum_weights=self.content_weights)[0]
        if rng.random() < 0.12:
            words.insert(rng.randrange(len(words) + 1), rng.choice(self.phrases))
        if rng.random() < 0.04:
            words.insert(rng.randrange(len(words) + 1), rng.choice(self.own))
        if rng.random() < 0.25:
            words.insert(rng.randrange(len(words) + 1), COMMON_WORD)
        text = " ".join(words)
        return text[0].upper() + text[1:] + rng.choice((".", ".", ",", "?"))


def _transcript(rng: random.Random, talk: _Talk) -> Transcript:
    step = HOUR_MS // LINES
    cues = [Cue(i * step, i * step + step - 200, talk.line(rng)) for i in range(LINES)]
    chapters = [Chapter(i * HOUR_MS // 6, f"Part {i + 1}: {rng.choice(talk.topic_words)}") for i in range(6)]
    return Transcript(cues, chapters, [], "srt")


def _add_video(store: Store, rng: random.Random, number: int) -> int:
    talk = _Talk(rng, number)
    transcript = _transcript(rng, talk)
    title = f"{talk.topics[0].title()} and {talk.topics[1]}: talk {number + 1}"
    record = VideoRecord(site="youtube", site_id=f"bench{number:07d}", title=title, channel=f"Channel {number % 40 + 1}",
                         source_url=f"https://www.youtube.com/watch?v=bench{number:07d}", duration_ms=HOUR_MS,
                         upload_date=f"20{10 + number % 15:02d}{number % 12 + 1:02d}{number % 28 + 1:02d}",
                         transcript_source="creator", transcript_language="en", description=f"A talk about {talk.topics[0]}.")
    with store.writing():  # one transaction for the whole video: the verbs inside become savepoints
        video_id = store.add_video(record, transcript)
        highlight_ids = []
        for seq in sorted(rng.sample(range(LINES), HIGHLIGHTS)):
            cue = transcript.cues[seq]
            cut = rng.randint(0, len(cue.text) // 2)
            note = f"Remember this about {rng.choice(talk.topic_words)}." if rng.random() < 0.5 else ""
            highlight_ids.append(store.add_highlight(video_id, seq, cut, seq, len(cue.text), cue.start_ms, cue.end_ms,
                                                     cue.text[cut:], note=note))
        for k in range(ANSWERS):
            if k < 3:
                hl, kind, question = highlight_ids[k * 5], "explain", "Explain this passage"
            elif k == 3:
                hl, kind, question = None, "chat", f"What does the speaker say about {rng.choice(talk.topic_words)}?"
            else:
                hl, kind, question = None, "study:summary", "Summary"
            answer_id = store.start_answer(video_id, hl, None, kind, question, question, "claude-test")
            words = " ".join(talk.line(rng) for _ in range(rng.randint(4, 10)))
            store.save_answer(answer_id, words, [], "complete", usage={"input_tokens": 9000, "output_tokens": 400})
        for k in range(CARDS):
            seq = rng.randrange(LINES - 3)
            start, end = transcript.cues[seq].start_ms, transcript.cues[seq + 2].end_ms
            cards.make_card(store, video_id, f"What is said about {rng.choice(talk.topic_words)} here?",
                            rng.choice(talk.topic_words).title() + ".", start, end)
    return video_id


def build(path, videos: int, seed: int = 0, progress=None) -> Path:
    """Make the library at `path` hold `videos` benchmark videos (adding only those it lacks: a library
    already built to 100 grows to 1,000). The same seed makes the same words. `progress(done, total)`
    is called after each video."""
    path = Path(path)
    store = Store(path)
    try:
        have = store.count()
        for number in range(have, videos):
            _add_video(store, random.Random(seed * 1_000_003 + number), number)
            if progress:
                progress(number + 1, videos)
    finally:
        store.close()
    return path


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Build a benchmark library through Reader's Store.")
    parser.add_argument("out", type=Path, help="the library file to make (or grow)")
    parser.add_argument("--videos", type=int, default=100, help="how many one-hour videos it holds (default 100)")
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args(argv)
    if args.videos < 0 or args.videos > 1_000_000:
        print("library_builder: --videos must be between 0 and 1,000,000", file=sys.stderr)
        return 2
    started = time.perf_counter()

    def report(done: int, total: int) -> None:
        if done % 50 == 0 or done == total:
            print(f"{done}/{total} videos, {time.perf_counter() - started:.0f} s", file=sys.stderr, flush=True)

    build(args.out, args.videos, args.seed, report)
    size = args.out.stat().st_size / 1e6
    print(f"{args.out}: {args.videos} videos, {size:.0f} MB, {time.perf_counter() - started:.1f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
