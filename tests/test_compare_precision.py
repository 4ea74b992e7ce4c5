"""Different counts that share a noun are not a conflict (issue 12, round three: precision).

What a number counts beyond its noun (when, how badly, whether it still
stands, where, how exactly), and the day that belongs to an event rather than
to the meeting or announcement about it. Each case has a control that must
still be a conflict. Sentences written for these tests.
"""

from __future__ import annotations

from summarizer.article import Article
from summarizer.comparison.claims import event_dates
from summarizer.comparison.model import ComparisonReport
from summarizer.comparison.qualifiers import compatible, rounding, scope_of
from summarizer.comparison.quantity import quantities
from summarizer.comparison.run import compare_articles
from summarizer.settings import Settings


def _report(*stories: list[str]) -> ComparisonReport:
    articles = [
        Article(f"s{i}.txt", 0, lines[0], "\n\n".join(lines)) for i, lines in enumerate(stories, start=1)
    ]
    return compare_articles(articles, Settings(_env_file=None, engine="offline"))


def _kinds(*stories: list[str]) -> list[str]:
    return [c.kind.value for c in _report(*stories).comparison.conflicts]


ROOF = "Storm tears roof off Harle school"


def test_a_severity_is_part_of_what_is_counted() -> None:
    hurt = [ROOF, "Nineteen pupils were hurt when the gym roof collapsed in Harle."]
    badly = [ROOF, "Six pupils were badly hurt when the gym roof collapsed in Harle."]
    more = [ROOF, "Twenty-five pupils were hurt when the gym roof collapsed in Harle."]
    assert _kinds(hurt, badly) == []
    assert _kinds(hurt, more) == ["number"]
    s = "Nineteen pupils were hurt, two of them critically."
    assert scope_of(s, 0, 8).severity == ""


def test_a_running_total_and_one_days_count_are_different_counts() -> None:
    title = "Busy winter for the Corran lifeboat"
    total = [title, "The Corran lifeboat crew has made 31 call-outs so far this winter."]
    day = [title, "The Corran lifeboat crew made 9 call-outs on Saturday."]
    other = [title, "The Corran lifeboat crew has made 44 call-outs so far this winter."]
    assert _kinds(total, day) == []
    assert _kinds(total, other) == ["number"]


def test_a_count_at_two_times_is_not_a_conflict() -> None:
    title = "Snow traps flocks on Dunmere hills"
    friday = [title, "By Friday evening, 120 ewes had died in the drifts on the Dunmere hills."]
    sunday = [title, "By Sunday 210 ewes had died in the drifts on the Dunmere hills."]
    assert _kinds(friday, sunday) == []
    assert not compatible(scope_of(friday[1], 19, 22), scope_of(sunday[1], 8, 11))


def test_a_range_holds_the_points_inside_it() -> None:
    (q,) = quantities("Between 30 and 40 trawlers were tied up in the harbour.")
    assert (q.low, q.high, q.key) == (30, 40, "trawler")
    title = "Trawlers stay in port at Ness"
    assert _kinds([title, "Between 30 and 40 trawlers were tied up in Ness harbour."],
                  [title, "Some 35 trawlers were tied up in Ness harbour."]) == []  # fmt: skip


def test_an_unhedged_round_number_stands_for_a_small_range() -> None:
    assert rounding(8000) == 50 and rounding(300) == 5 and rounding(40) == 0 and rounding(4970) == 0
    title = "Coat drive beats its target"
    round_ = [title, "The Fellside coat drive collected 8,000 coats for the night shelter."]
    exact = [title, "The Fellside coat drive collected 7,970 coats for the night shelter."]
    short = [title, "The Fellside coat drive collected 7,400 coats for the night shelter."]
    assert _kinds(round_, exact) == []
    assert _kinds(round_, short) == ["number"]


def test_one_measure_in_two_units() -> None:
    (t,), (k,) = quantities("2.5 tonnes of cheese"), quantities("2,500 kg of cheese")
    assert t.key == k.key and t.value == k.value
    title, lead = "Lorry fire closes the M9", "A lorry caught fire on the M9 near Drumlee on Friday."
    tail = "The tailback behind the burning lorry stretched for"
    km = [title, lead, f"{tail} 8 kilometres.", "Firefighters put out the blaze within an hour."]
    miles = [title, lead, f"{tail} five miles.", "The driver escaped unhurt."]
    far = [title, lead, f"{tail} twelve miles.", "The driver escaped unhurt."]
    assert _kinds(km, miles) == []
    assert _kinds(km, far) == ["number"]


def test_a_figure_the_outlet_reports_as_revised_is_not_its_figure() -> None:
    title = "Hikers stranded on Scarra ridge"
    revised = [
        title,
        "Rescuers initially said 40 hikers were stranded on Scarra ridge, but later revised that to 28.",
    ]
    plain = [title, "Twenty-eight hikers were stranded on Scarra ridge overnight."]
    assert _kinds(revised, plain) == []
    values = {q.value: q.scope.superseded for q in quantities(revised[1])}
    assert values == {40: True, 28: False}


def test_a_part_counts_what_its_whole_counts() -> None:
    title = "Climbers rescued from Bentor glacier"
    whole = [
        title,
        "Doctors examined 16 climbers on the Bentor glacier, and three of them were flown to hospital.",
    ]
    part = [title, "Three climbers were flown to hospital from the Bentor glacier."]
    assert _kinds(whole, part) == []


def test_a_number_about_another_year_or_place() -> None:
    title = "Gales cut power across Lomm"
    now = [title, "The gales cut power to 3,000 farms around Lomm."]
    then = [
        title,
        "Gales hit Lomm overnight.",
        "In 2009 a similar storm cut power to 12,000 farms around Lomm.",
    ]
    there = [title, "Gales hit Lomm overnight.", "In neighbouring Brisca, 12,000 farms lost power."]
    assert _kinds(now, then) == []
    assert _kinds(now, there) == []


def test_one_noun_counting_different_things() -> None:
    title = "Gas leak in Odley"
    lead = "A gas main burst under Odley high street on Tuesday."
    evacuated = [title, lead, "About 150 homes in Odley were evacuated after the gas leak."]
    cold = [title, lead, "Some 2,000 homes in Odley were left without heating, the network operator said."]
    more = [title, lead, "More than 400 homes in Odley were evacuated after the gas leak."]
    assert _kinds(evacuated, cold) == []  # the town is the story's word, not a telling one
    assert _kinds(evacuated, more) == ["number"]


def test_the_day_of_a_vote_or_an_announcement_is_not_the_day_of_the_event() -> None:
    (ed,) = [e for e in event_dates("The board voted on Tuesday to shut the swimming pool from Saturday.")
             if e.event == "closed"]  # fmt: skip
    assert ed.day == "saturday"
    (ed,) = event_dates("On Tuesday the trust announced that the clinic would be closed on Friday.")
    assert ed.day == "friday"
    title = "Pool to shut for repairs"
    vote = [title, "The board voted on Tuesday to shut the Millbank swimming pool from Saturday."]
    plain = [title, "The Millbank swimming pool will shut on Saturday."]
    other = [title, "The Millbank swimming pool will shut on Sunday."]
    assert _kinds(vote, plain) == []
    assert _kinds(plain, other) == ["date"]


def test_two_closures_in_one_outlet_are_told_apart() -> None:
    title = "Works at Tarn ferry terminal"
    both = [
        title,
        "The Tarn ferry terminal was closed on Monday.",
        "The terminal car park will close on Thursday.",
    ]
    one = [title, "The terminal car park at Tarn will close on Thursday."]
    assert _kinds(both, one) == []
