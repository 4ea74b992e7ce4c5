"""Synthetic news articles for the benchmarks: N distinct ``.txt`` files, deterministic.

Four story templates in ``article_templates.txt`` (bridge repairs, factory
closure, hospital funding, water restrictions) are filled with names,
places, organisations and numbers drawn from small lists by a seeded
generator. A number derived from the article's index goes into every story,
so no two articles are the same text and the batch store's cache (keyed by
content) never collapses two of them.

Each article is written the way the offline engine (the simulator's brain)
expects a news story: a title line, then 7-8 paragraphs with attributed
statements, direct quotes, dates, numbers and hedges ("has not said",
"still pending"), about 195-255 words.

    python bench/articles.py 200 /tmp/articles    # writes 200 files, prints the folder
"""

from __future__ import annotations

import random
import sys
from functools import cache
from pathlib import Path

FIRST = [
    "Hanna", "Per", "Amir", "Lucia", "Tomas", "Ingrid", "Kofi", "Mira", "Jonas", "Elif",
    "Rafael", "Signe", "Omar", "Greta", "Pavel", "Noor", "Anton", "Lea", "Viktor", "Saga",
]  # fmt: skip
LAST = [
    "Sorel", "Lind", "Haddad", "Ferreira", "Novak", "Berg", "Mensah", "Okafor", "Holm", "Demir",
    "Castillo", "Dahl", "Rahman", "Strand", "Kowalski", "Aziz", "Weber", "Moreau", "Ek", "Larsen",
]  # fmt: skip
TOWNS = [
    "Almsby", "Karrow", "Vellinge", "Dunmore", "Osterby", "Halvik", "Brennan Falls", "Marlow",
    "Tessby", "Runvik", "Ashford", "Kelso", "Norrvik", "Eastwick", "Lindholm", "Saltmarsh",
]  # fmt: skip
RIVERS = ["Riverside", "Millbrook", "Northgate", "Stonebridge", "Eldon", "Harbour", "Kingsway", "Westfield"]
WEEKDAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday"]
MONTHS = ["January", "February", "March", "April", "May", "June", "September", "October", "November"]
COMPANIES = ["Nordal Steel", "Vika Foods", "Halden Paper", "Brightwell Plastics", "Ostra Textiles"]
REGIONS = ["the county", "the regional council", "the province", "the district"]


TEMPLATE_FILE = Path(__file__).with_name("article_templates.txt")


@cache
def templates() -> dict[str, str]:
    """The story templates in ``article_templates.txt``, by name."""
    found: dict[str, str] = {}
    name = None
    lines: list[str] = []
    for line in TEMPLATE_FILE.read_text(encoding="utf-8").splitlines():
        if line.startswith("#") and name is None:
            continue
        if line.startswith("=== "):
            if name is not None:
                found[name] = "\n".join(lines).strip() + "\n"
            name, lines = line[4:].strip(), []
        else:
            lines.append(line)
    if name is not None:
        found[name] = "\n".join(lines).strip() + "\n"
    return found


def _name(rng: random.Random) -> tuple[str, str]:
    """A full name and its surname."""
    first, last = rng.choice(FIRST), rng.choice(LAST)
    return f"{first} {last}", last


def _bridge(i: int, rng: random.Random) -> dict[str, object]:
    engineer, engineer_last = _name(rng)
    return {
        "town": rng.choice(TOWNS),
        "bridge": rng.choice(RIVERS),
        "other": rng.choice(RIVERS),
        "engineer": engineer,
        "engineer_last": engineer_last,
        "owner": _name(rng)[0],
        "weeks": rng.randint(3, 12),
        "vehicles": 2_000 + 17 * i,
        "cost": round(0.8 + (i % 40) * 0.15, 2),
        "day": rng.choice(WEEKDAYS),
        "month": rng.choice(MONTHS),
        "date": rng.randint(1, 28),
        "supports": rng.randint(2, 5),
        "minutes": rng.randint(5, 25),
    }


def _factory(i: int, rng: random.Random) -> dict[str, object]:
    manager, manager_last = _name(rng)
    union, union_last = _name(rng)
    return {
        "town": rng.choice(TOWNS),
        "company": rng.choice(COMPANIES),
        "manager": manager,
        "manager_last": manager_last,
        "union": union,
        "union_last": union_last,
        "worker": _name(rng)[0],
        "jobs": 120 + 7 * i,
        "day": rng.choice(WEEKDAYS),
        "month": rng.choice(MONTHS),
        "sites": rng.randint(2, 6),
        "suppliers": rng.randint(100, 900),
        "years": rng.randint(3, 30),
    }


def _hospital(i: int, rng: random.Random) -> dict[str, object]:
    director, director_last = _name(rng)
    nurse, nurse_last = _name(rng)
    return {
        "town": rng.choice(TOWNS),
        "region": rng.choice(REGIONS),
        "director": director,
        "director_last": director_last,
        "nurse": nurse,
        "nurse_last": nurse_last,
        "politician": _name(rng)[0],
        "beds": 40 + (i % 300),
        "amount": 3 + (i % 90),
        "day": rng.choice(WEEKDAYS),
        "nurses": rng.randint(20, 80),
        "months": rng.randint(6, 24),
        "patients": 1_000 + 11 * i,
    }


def _water(i: int, rng: random.Random) -> dict[str, object]:
    official, official_last = _name(rng)
    farmer, farmer_last = _name(rng)
    return {
        "town": rng.choice(TOWNS),
        "river": rng.choice(RIVERS),
        "official": official,
        "official_last": official_last,
        "farmer": farmer,
        "farmer_last": farmer_last,
        "expert": _name(rng)[0],
        "level": 30 + (i % 50),
        "households": 5_000 + 13 * i,
        "day": rng.choice(WEEKDAYS),
        "meeting_day": rng.choice(WEEKDAYS),
        "low_years": rng.randint(10, 40),
        "leaks": rng.randint(10, 35),
    }


FILLERS = {"bridge": _bridge, "factory": _factory, "hospital": _hospital, "water": _water}


def article(i: int, seed: int = 0) -> str:
    """Article number ``i`` (deterministic for a given seed)."""
    rng = random.Random(f"{seed}:{i}")
    name = list(FILLERS)[i % len(FILLERS)]
    return templates()[name].format(**FILLERS[name](i, rng))


def write_articles(folder: Path, count: int, seed: int = 0) -> list[Path]:
    """Write ``count`` distinct articles as ``folder/a00000.txt`` …; returns their paths."""
    folder.mkdir(parents=True, exist_ok=True)
    seen: set[str] = set()
    paths: list[Path] = []
    for i in range(count):
        text = article(i, seed)
        if text in seen:  # cannot happen (index-derived numbers), but the benchmarks rely on it
            raise AssertionError(f"article {i} duplicates an earlier one")
        seen.add(text)
        path = folder / f"a{i:05d}.txt"
        path.write_text(text, encoding="utf-8")
        paths.append(path)
    return paths


def main() -> None:
    count = int(sys.argv[1]) if len(sys.argv) > 1 else 10
    folder = Path(sys.argv[2]) if len(sys.argv) > 2 else Path("bench-articles")
    write_articles(folder, count)
    print(folder)


if __name__ == "__main__":
    main()
