"""The grounding validators on the summary schema."""

from __future__ import annotations

from typing import Any

import pytest
from pydantic import ValidationError

from summarizer import scope
from summarizer.grounding import Source
from summarizer.schema import ArticleSummary

ARTICLE = (
    "Ferry service starts on Friday\n\n"
    "A night ferry between Orvik and the outer islands began service on Friday, the harbour office said.\n\n"
    'Harbour director Elin Berg said a decision would depend on passenger numbers. "If people use it, '
    'it stays," she said.\n\n'
    "Ticket prices have not yet been published for the winter season."
)


def summary(quote: str = "the outer islands began service on Friday", **over: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "headline": "Orvik starts a night ferry",
        "gist": "A night ferry to the islands started on Friday.",
        "summary": "Orvik has a night ferry on trial.",
        "key_points": [{"point": "The ferry started.", "evidence": [{"quote": quote}]}],
        "entities": [{"name": "Elin Berg", "kind": "person", "role": "harbour director"}],
        "statements": [
            {
                "speaker": "Elin Berg",
                "claim": "The ferry stays if used.",
                "direct": True,
                "evidence": [{"quote": '"If people use it, it stays," she said.'}],
            }
        ],
        "dates": [],
        "open_questions": [
            {
                "question": "What will tickets cost in winter?",
                "kind": "outcome_unknown",
                "why_open": "Prices are not published.",
                "evidence": [{"quote": "Ticket prices have not yet been published"}],
            }
        ],
    }
    data.update(over)
    return data


def validate(data: dict[str, Any]) -> ArticleSummary:
    return ArticleSummary.model_validate(data, context=scope.context(Source(ARTICLE)))


def test_real_quotes_are_accepted_and_located() -> None:
    result = validate(summary())
    ev = result.key_points[0].evidence[0]
    assert ev.start is not None and ev.end is not None
    assert ARTICLE[ev.start : ev.end] == "the outer islands began service on Friday"
    assert all(e.start is not None for e in result.all_evidence())


def test_invented_quote_is_rejected_and_named() -> None:
    with pytest.raises(ValidationError) as info:
        validate(summary(quote="the ferry was cancelled after one week"))
    assert "the ferry was cancelled after one week" in str(info.value)
    assert "not found in the article" in str(info.value)


def test_every_bad_quote_is_named_at_once() -> None:
    data = summary(quote="an invented first quote")
    data["open_questions"][0]["evidence"] = [{"quote": "an invented second quote"}]
    with pytest.raises(ValidationError) as info:
        validate(data)
    assert "an invented first quote" in str(info.value)
    assert "an invented second quote" in str(info.value)


def test_offsets_sent_by_the_model_are_overwritten() -> None:
    data = summary()
    data["key_points"][0]["evidence"][0].update(start=0, end=3)
    ev = validate(data).key_points[0].evidence[0]
    assert (ev.start, ev.end) != (0, 3)


def test_evidence_is_required() -> None:
    data = summary()
    data["key_points"][0]["evidence"] = []
    with pytest.raises(ValidationError):
        validate(data)


def test_entity_and_speaker_must_occur_in_the_article() -> None:
    with pytest.raises(ValidationError, match="does not occur in the article"):
        validate(summary(entities=[{"name": "Ingrid Holm", "kind": "person", "role": "mayor"}]))
    data = summary()
    data["statements"][0]["speaker"] = "The mayor"
    with pytest.raises(ValidationError, match="speaker"):
        validate(data)


def test_validation_without_context_is_refused() -> None:
    with pytest.raises(ValidationError, match="without grounding context"):
        ArticleSummary.model_validate(summary())


def test_trusted_context_loads_stored_results_without_a_source() -> None:
    stored = validate(summary()).model_dump(mode="json")
    again = ArticleSummary.model_validate(stored, context=scope.trusted())
    assert again.key_points[0].evidence[0].start == stored["key_points"][0]["evidence"][0]["start"]


def test_offsets_are_hidden_from_the_model_facing_schema() -> None:
    schema = ArticleSummary.model_json_schema()
    assert set(schema["$defs"]["Evidence"]["properties"]) == {"quote"}


def test_grounding_scope_checks_without_pydantic_context() -> None:

    with scope.scope(Source(ARTICLE)):
        ok = ArticleSummary.model_validate(summary())
        assert ok.key_points[0].evidence[0].start is not None
        with pytest.raises(ValidationError, match="not found in the article"):
            ArticleSummary.model_validate(summary(quote="a sentence the article never had"))
    with pytest.raises(ValidationError, match="without grounding context"):
        ArticleSummary.model_validate(summary())
