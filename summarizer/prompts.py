"""Prompt templates: loading, rendering, and the data block that holds the article.

Templates are files in ``prompts/`` (shipped inside the wheel as
``summarizer/prompts``): a front matter with ``name`` and ``version`` between
``---`` lines, then Jinja2 with a ``system`` and a ``user`` block.

Untrusted text is data. The article is passed to Jinja as a variable, never
compiled as template source, so ``{{ 7*7 }}`` in an article reaches the model
literally. It is placed only in the user message, between two boundary lines
carrying an id derived from the article's hash; the id is re-drawn if the
article happens to contain it, so the article cannot close its own block.
The system message depends on the template alone, so it (with the schema) is
a byte-identical prefix across articles and provider prompt caching applies.
"""

from __future__ import annotations

import functools
import hashlib
import re
from dataclasses import dataclass
from functools import cache
from importlib import resources
from pathlib import Path

import jinja2

from summarizer.errors import ConfigError

_FRONT_MATTER = re.compile(r"\A---\n(?P<meta>.*?)\n---\n", re.DOTALL)
BOUNDARY_RE = re.compile(
    r"^<<<ARTICLE (?P<id>[0-9a-f]{16})>>>\n(?P<body>.*)\n<<<END ARTICLE (?P=id)>>>$",
    re.DOTALL | re.MULTILINE,
)


@dataclass(frozen=True)
class Messages:
    system: str
    user: str

    def as_openai(self) -> list[dict[str, str]]:
        return [{"role": "system", "content": self.system}, {"role": "user", "content": self.user}]


@dataclass(frozen=True)
class PromptTemplate:
    name: str
    version: str
    source: str
    """The template file's full text; its hash identifies the prompt."""

    @functools.cached_property
    def hash(self) -> str:
        return hashlib.sha256(self.source.encode("utf-8")).hexdigest()[:16]

    def render(self, article_text: str) -> Messages:
        template = _compiled(self.source)
        ctx = template.new_context({})
        system = "".join(template.blocks["system"](ctx)).strip()
        boundary = boundary_id(article_text)
        user_ctx = template.new_context(
            {
                "article": article_text,
                "boundary_open": f"<<<ARTICLE {boundary}>>>",
                "boundary_close": f"<<<END ARTICLE {boundary}>>>",
            }
        )
        user = "".join(template.blocks["user"](user_ctx)).strip()
        return Messages(system=system, user=user)

    def render_blocks(self, blocks: list[tuple[str, str]]) -> Messages:
        """Render a template whose user block loops over ``blocks``: (id, body) pairs, each body data.

        One boundary token for all blocks, absent from every body, so no
        source can close its own block or forge another's.
        """
        template = _compiled(self.source)
        system = "".join(template.blocks["system"](template.new_context({}))).strip()
        token = boundary_id("\n".join(body for _, body in blocks))
        rendered = [
            {
                "open": f"<<<SOURCE {sid} {token}>>>",
                "body": body,
                "close": f"<<<END SOURCE {sid} {token}>>>",
            }
            for sid, body in blocks
        ]
        user = "".join(template.blocks["user"](template.new_context({"blocks": rendered}))).strip()
        return Messages(system=system, user=user)


SOURCE_BLOCK_RE = re.compile(
    r"^<<<SOURCE (?P<id>S\d+) (?P<token>[0-9a-f]{16})>>>\n(?P<body>.*?)\n"
    r"<<<END SOURCE (?P=id) (?P=token)>>>$",
    re.DOTALL | re.MULTILINE,
)


def extract_blocks(user_message: str) -> dict[str, str]:
    """The (id → body) data blocks of a rendered multi-source message (used by the simulator)."""
    return {m.group("id"): m.group("body") for m in SOURCE_BLOCK_RE.finditer(user_message)}


def boundary_id(text: str) -> str:
    """A 16-hex id absent from ``text``; deterministic so requests replay from cassettes."""
    seed = hashlib.sha256(text.encode("utf-8")).hexdigest()
    while True:
        candidate = seed[:16]
        if candidate not in text:
            return candidate
        seed = hashlib.sha256(seed.encode("ascii")).hexdigest()


def extract_article(user_message: str) -> str | None:
    """The article inside a rendered user message's data block (used by the simulator)."""
    match = BOUNDARY_RE.search(user_message)
    return match.group("body") if match else None


@cache
def _compiled(source: str) -> jinja2.Template:
    return _environment().from_string(_FRONT_MATTER.sub("", source))


@cache
def _environment() -> jinja2.Environment:
    return jinja2.Environment(
        undefined=jinja2.StrictUndefined,
        autoescape=False,
        keep_trailing_newline=False,
    )


def _prompt_dirs() -> list[Path]:
    dirs: list[Path] = []
    packaged = resources.files("summarizer") / "prompts"
    if packaged.is_dir():
        dirs.append(Path(str(packaged)))
    dirs.append(Path(__file__).resolve().parent.parent / "prompts")
    return dirs


def parse_template(text: str, *, origin: str) -> PromptTemplate:
    match = _FRONT_MATTER.match(text)
    if not match:
        raise ConfigError(f"prompt template {origin} has no front matter (--- name/version ---)")
    meta: dict[str, str] = {}
    for line in match.group("meta").splitlines():
        key, sep, value = line.partition(":")
        if sep:
            meta[key.strip()] = value.strip()
    if "name" not in meta or "version" not in meta:
        raise ConfigError(f"prompt template {origin} front matter needs name and version")
    try:
        _environment().parse(_FRONT_MATTER.sub("", text))
    except jinja2.TemplateSyntaxError as exc:
        raise ConfigError(f"prompt template {origin} is not valid Jinja: {exc}") from exc
    return PromptTemplate(name=meta["name"], version=meta["version"], source=text)


@cache
def load(name: str = "summarize") -> PromptTemplate:
    """Load ``prompts/NAME.j2`` from the installed package or the source tree."""
    for folder in _prompt_dirs():
        path = folder / f"{name}.j2"
        if path.is_file():
            return parse_template(path.read_text(encoding="utf-8"), origin=str(path))
    raise ConfigError(f"prompt template {name!r} not found in {', '.join(map(str, _prompt_dirs()))}")
