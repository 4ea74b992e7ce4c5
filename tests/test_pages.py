"""The HTML page environment: packaged templates, autoescape on every page, strict variables."""

from __future__ import annotations

from importlib import resources
from pathlib import Path

import jinja2
import pytest

from summarizer import pages


def test_templates_are_package_data_found_from_any_directory(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = resources.files("summarizer").joinpath("templates")
    for name in ("base.html.j2", "base.css", "compare/report.html.j2"):
        assert folder.joinpath(*name.split("/")).is_file(), name
    monkeypatch.chdir(tmp_path)
    pages.environment.cache_clear()
    try:
        html = pages.render("base.html.j2", generator="test")
    finally:
        pages.environment.cache_clear()
    assert html.startswith("<!DOCTYPE html>\n") and "box-sizing: border-box" in html


def test_every_page_is_autoescaped() -> None:
    html = pages.render("base.html.j2", generator='"><script>alert(1)</script>')
    assert "<script" not in html
    assert 'content="&#34;&gt;&lt;script&gt;alert(1)&lt;/script&gt;"' in html


def test_a_missing_variable_is_an_error_not_an_empty_string() -> None:
    with pytest.raises(jinja2.UndefinedError):
        pages.render("base.html.j2")


@pytest.mark.parametrize("name", ["../pages.py", "compare/../../pages.py", "/etc/passwd", "nope.html.j2"])
def test_only_templates_inside_the_folder_load(name: str) -> None:
    with pytest.raises(jinja2.TemplateNotFound):
        pages.environment().get_template(name)
