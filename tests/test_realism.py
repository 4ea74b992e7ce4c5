"""The simulator's realism: real-model habits at their documented rates, reproducible, fixed on re-ask.

Rates are checked by counting over many quotes, with bounds of about four
standard deviations of a binomial count, so a correct generator passes and a
rate off by a factor of two fails. No timing anywhere.
"""

from __future__ import annotations

import math
import random
from functools import cache
from pathlib import Path

import pytest
from typer.testing import CliRunner

from summarizer import ingest
from summarizer.article import Article
from summarizer.errors import InputError, OutputInvalidError
from summarizer.grounding import MatchKind, Source, normalise
from summarizer.pipeline import Summarizer
from summarizer.settings import Settings
from summarizer.simulator import SimConfig, default_brain, start
from summarizer.simulator import realism as R

from .conftest import CORPUS


@cache
def corpus() -> tuple[str, ...]:
    texts: list[str] = []
    for path in sorted(CORPUS.glob("*/*")):
        if path.suffix == ".json" or path.name == "README.md":
            continue
        try:
            texts.extend(a.text for a in ingest.load(str(path)))
        except InputError:
            continue
    return tuple(texts)


def within(count: int, n: int, rate: float) -> bool:
    sd = math.sqrt(n * rate * (1 - rate))
    return abs(count - n * rate) <= 4 * sd + 2


def test_realism_is_deterministic_under_a_seed_and_changes_with_it() -> None:
    prof = R.PROFILES["sloppy"]
    text = corpus()[0]
    answer = default_brain(text)
    one = R.first_answer(answer, text, prof, R.rng_for(3, text, 0))
    again = R.first_answer(answer, text, prof, R.rng_for(3, text, 0))
    assert one == again
    others = [R.first_answer(answer, text, prof, R.rng_for(seed, text, 0))[1] for seed in range(4, 12)]
    assert any(changes != one[1] for changes in others)
    assert answer == default_brain(text)  # the brain's answer itself is left alone


@pytest.mark.parametrize("mode", ["typical", "sloppy"])
def test_each_habit_applies_at_its_documented_rate(mode: str) -> None:
    prof = R.PROFILES[mode]
    applicable = dict.fromkeys(R.HABITS, 0)
    applied = dict.fromkeys(R.HABITS, 0)
    probe = random.Random(0)
    for text in corpus():
        quotes = [slot["quote"] for slot in R.quote_slots(default_brain(text))]
        can = {q: [n for n, h in R.HABITS.items() if h(q, text, probe) not in (None, q)] for q in quotes}
        for draw in range(120):
            rng = R.rng_for(draw, text, 0)
            for q in quotes:
                for name in can[q]:
                    applicable[name] += 1
                _, habit = R.corrupt(q, text, prof, rng)
                if habit is not None:
                    assert habit in can[q]
                    applied[habit] += 1
    for name, rate in prof.rates.items():
        if applicable[name] < 1000:
            continue  # the corpus has too few quotes this habit applies to for a tight bound
        assert within(applied[name], applicable[name], rate), (name, applied[name], applicable[name], rate)
    assert sum(applicable[n] >= 1000 for n in prof.rates) >= 6


@pytest.mark.parametrize("mode", ["typical", "sloppy"])
def test_inventions_come_at_the_documented_rate_per_answer(mode: str) -> None:
    prof = R.PROFILES[mode]
    answers = invented = 0
    for text in corpus():
        answer = default_brain(text)
        for draw in range(300):
            _, changes = R.first_answer(answer, text, prof, R.rng_for(draw, text, 0))
            answers += 1
            invented += any(c.habit.startswith("invented:") for c in changes)
    assert within(invented, answers, prof.invent), (invented, answers)


def test_every_invention_is_absent_from_its_article_and_refused() -> None:
    rng = random.Random(5)
    kinds: set[str] = set()
    for text in corpus():
        src, plain = Source(text), normalise(text).casefold()
        for _ in range(60):
            made, kind = R.invent(text, rng)
            kinds.add(kind)
            assert normalise(made).casefold() not in plain
            assert src.align(made) is None, (kind, made)
    assert kinds == set(R.INVENTIONS)


def test_a_reask_fixes_the_named_quote_unless_the_profile_repeats_it() -> None:
    previous = {"items": [{"quote": "a wrong quote one"}, {"quote": "a sloppy but accepted quote"}]}
    brain = {"items": [{"quote": "the right quote one"}, {"quote": "the exact quote two"}]}
    feedback = "quote not found in the article: 'a wrong quote one'."
    never = R.Profile("never", R.PROFILES["typical"].rates, invent=0.0, repeat=0.0)
    always = R.Profile("always", R.PROFILES["typical"].rates, invent=0.0, repeat=1.0)
    fixed, _ = R.reasked_answer(brain, previous, feedback, never, random.Random(1))
    kept = "a sloppy but accepted quote"
    assert [s["quote"] for s in R.quote_slots(fixed)] == ["the right quote one", kept]
    repeated, changes = R.reasked_answer(brain, previous, feedback, always, random.Random(1))
    assert [s["quote"] for s in R.quote_slots(repeated)] == ["a wrong quote one", kept]
    assert [c.habit for c in changes] == ["repeated", "kept"]


def test_repeat_rate_on_reask_is_close_to_the_documented_one() -> None:
    prof = R.PROFILES["sloppy"]
    previous = {"items": [{"quote": f"wrong {i}"} for i in range(50)]}
    brain = {"items": [{"quote": f"right {i}"} for i in range(50)]}
    feedback = " ".join(repr(f"wrong {i}") for i in range(50))
    repeats = total = 0
    for seed in range(100):
        _, changes = R.reasked_answer(brain, previous, feedback, prof, random.Random(seed))
        total += len(changes)
        repeats += sum(c.habit == "repeated" for c in changes)
    assert total == 5000 and within(repeats, total, prof.repeat)


def test_simconfig_and_the_command_refuse_an_unknown_mode() -> None:
    with pytest.raises(ValueError, match="realism"):
        SimConfig(realism="chaotic")
    from summarizer.cli import app

    result = CliRunner().invoke(app, ["simulate", "--port", "0", "--realism", "chaotic"])
    assert result.exit_code == 2
    assert "realism must be one of off, typical, sloppy" in result.output


# --- end to end: the real client against the simulator with realism on --------------------------


def summarizer_for(base_url: str) -> Summarizer:
    settings = Settings(engine="llm", base_url=base_url, model="sim-1", api_key="sim", mode="tools", reasks=2)
    return Summarizer(settings)


def wire_story() -> Article:
    [article] = ingest.load(str(CORPUS / "port-strike" / "meridian-press-wire.txt"))
    return article


def test_a_sloppy_quote_is_accepted_as_fuzzy_without_a_reask() -> None:
    article = wire_story()
    config = SimConfig(realism="typical", script=("sloppy_quote",))
    with start(config) as sim, summarizer_for(sim.base_url) as s:
        result = s.summarize(article)
    assert result.provenance.model_attempts == 1
    evidence = result.summary.all_evidence()
    fuzzy = [e for e in evidence if e.match is MatchKind.fuzzy]
    assert fuzzy, [e.match for e in evidence]
    for e in evidence:
        assert e.quote == article.text[e.start : e.end]  # the article's words


def test_an_invented_quote_under_realism_is_reasked_and_never_shown() -> None:
    article = wire_story()
    # Seed 1: the simulated model fixes the named quote at the first re-ask (with seed 0 it draws the
    # 10 % chance of repeating it once; that rate is checked above).
    with start(SimConfig(realism="typical", seed=1, script=("near_miss_quote", "ok"))) as sim:
        with summarizer_for(sim.base_url) as s:
            result = s.summarize(article)
        bodies = [r.body for r in sim.requests if r.body]
    assert result.provenance.model_attempts == 2
    feedback = bodies[1]["messages"][-1]["content"]
    assert "quote not found in the article" in feedback
    for e in result.summary.all_evidence():
        assert e.quote == article.text[e.start : e.end]


def test_sloppy_realism_end_to_end_shows_only_the_articles_words() -> None:
    texts = [p for p in sorted(CORPUS.glob("*/*.txt")) if p.parent.name != "singles"][:4]
    kinds: set[MatchKind | None] = set()
    with start(SimConfig(realism="sloppy", seed=2)) as sim, summarizer_for(sim.base_url) as s:
        for path in texts:
            for article in ingest.load(str(path)):
                try:
                    result = s.summarize(article)
                except OutputInvalidError:
                    continue  # an invention repeated past the re-ask bound: reported, never shown
                for e in result.summary.all_evidence():
                    kinds.add(e.match)
                    assert e.quote == article.text[e.start : e.end]
    assert MatchKind.exact in kinds and len(kinds) >= 2


def test_realism_off_answers_exactly_as_before() -> None:
    text = Path(CORPUS / "port-strike" / "meridian-press-wire.txt")
    [article] = ingest.load(str(text))
    with start(SimConfig()) as sim, summarizer_for(sim.base_url) as s:
        result = s.summarize(article)
    assert {e.match for e in result.summary.all_evidence()} == {MatchKind.exact}


def test_the_documented_table_is_the_profiles() -> None:
    import re

    assert R.__doc__ is not None
    rows = {
        n: (t, s) for n, t, s in re.findall(r"^\| ``(\w+)`` \| ([\d.]+ %) \| ([\d.]+ %) \|", R.__doc__, re.M)
    }
    assert set(rows) == set(R.HABITS)
    for name, (typical, sloppy) in rows.items():
        assert float(typical[:-2]) / 100 == R.PROFILES["typical"].rates[name]
        assert float(sloppy[:-2]) / 100 == R.PROFILES["sloppy"].rates[name]
    invent = re.search(r"^\| invented \(per answer\) \| ([\d.]+) % \| ([\d.]+) % \|", R.__doc__, re.M)
    repeat = re.search(r"^\| re-ask repeats the mistake \| ([\d.]+) % \| ([\d.]+) % \|", R.__doc__, re.M)
    assert invent and repeat
    typical, sloppy = R.PROFILES["typical"], R.PROFILES["sloppy"]
    assert (float(invent[1]) / 100, float(invent[2]) / 100) == (typical.invent, sloppy.invent)
    assert (float(repeat[1]) / 100, float(repeat[2]) / 100) == (typical.repeat, sloppy.repeat)
