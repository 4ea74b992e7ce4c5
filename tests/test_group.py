"""Story grouping's similarity (issue 12): background weights for common words, name forms, title and
lead weight, neighbour expansion for ranking but not for linking. Texts written for these tests."""

from __future__ import annotations

from summarizer.comparison import group
from summarizer.comparison.group import clusters, links, scores, similarities


def test_a_shared_common_word_counts_less_than_a_shared_rare_one() -> None:
    texts = [
        "Ferry news\n\nThe ferry ran late last night near the harbour wall.",
        "Council news\n\nThe council met late last night to discuss the budget.",
        "Storm news\n\nA flood swept the harbour road and the pier.",
        "River news\n\nA flood closed the riverside school and the market.",
    ]
    sims = similarities(texts)
    assert sims[2, 3] > sims[0, 1]
    assert group._common_weight("night") < group._common_weight("flood") <= 1.0


def test_a_demonym_counts_as_its_country() -> None:
    texts = [
        "Talks\n\nOfficials from Ostria met the delegation on Monday.",
        "Border\n\nThe Ostrian delegation crossed the border on Tuesday.",
        "Weather\n\nRain fell across the valley for a third day.",
    ]
    direct, _ = scores(texts)
    assert direct[0, 1] > direct[0, 2]
    assert group._name_forms({"ostria", "ostrian", "delegation"}) == {"ostrian": "ostria"}


def test_neighbours_bring_two_reports_closer_but_do_not_link_them() -> None:
    texts = [
        "Quay fire\n\nFire crews fought a blaze at the Lanmere grain quay overnight.",
        "Quay fire\n\nThe grain quay blaze at Lanmere injured two fire crews and closed the port road.",
        "Port road\n\nThe port road reopened, and two injured firemen left hospital.",
    ]
    direct, expanded = scores(texts)
    assert expanded[0, 2] > direct[0, 2]
    assert links(texts) == [pair for pair, sim in direct.items() if sim >= group.STORY_THRESHOLD]
    assert all(0.0 <= s <= 1.0 for s in expanded.values())


def test_title_and_lead_weigh_more_than_the_tail() -> None:
    lead_shared = [
        "Causeway shut\n\nThe Lanmere causeway shut after cracks were found.\n\nBakers sold bread.",
        "Causeway shut\n\nCracks shut the Lanmere causeway.\n\nFishermen mended nets.",
    ]
    tail_shared = [
        "Bakery news\n\nBakers sold bread.\n\nThe Lanmere causeway shut after cracks were found.",
        "Harbour news\n\nFishermen mended nets.\n\nCracks shut the Lanmere causeway.",
    ]
    assert similarities(lead_shared)[0, 1] > similarities(tail_shared)[0, 1]
    assert clusters(lead_shared) == [[0, 1]]
