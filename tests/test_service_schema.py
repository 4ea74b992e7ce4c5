"""schemathesis against the service's own OpenAPI document: every operation, bounded examples.

For each operation, examples generated from ``/openapi.json`` are sent to a
real server on loopback (offline engine, temporary store), and each answer
is checked: no 5xx, a status, content type, headers and body that the
document declares. Rules the schema cannot express (an article needs 20
words) are 4xx answers, which the document declares as problem documents.
"""

from __future__ import annotations

import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis.checks import (
    content_type_conformance,
    not_a_server_error,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from .service_support import app_for, live_server


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    app = app_for(tmp_path_factory.mktemp("schema"), queue_size=10_000)
    with live_server(app) as url:
        yield url


# The document the served app publishes at /openapi.json (made without starting a service).
schema = schemathesis.openapi.from_dict(app_for(Path(tempfile.gettempdir())).openapi())

CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
]


@schema.parametrize()
@settings(max_examples=20, deadline=None, suppress_health_check=list(HealthCheck), derandomize=True)
def test_every_operation_answers_as_its_schema_says(case: Any, server: str) -> None:
    case.call_and_validate(base_url=server, checks=CHECKS, timeout=30)
