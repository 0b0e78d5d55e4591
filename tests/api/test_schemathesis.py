"""Property-based run of the whole API against its own OpenAPI schema (schemathesis).

Every operation is called with generated input, authenticated with a token, through the
WSGI application; no answer may be a 500, use an undocumented status or content type,
or break its response schema. Kept small (20 examples per operation) to stay fast.
"""

from __future__ import annotations

import json

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import HealthCheck, settings
from schemathesis.checks import (
    content_type_conformance,
    not_a_server_error,
    response_schema_conformance,
    status_code_conformance,
)

from apps.core.models import OutcomeStatus
from tests.api.factories import make_attempt, make_event, make_outcome
from tests.factories import make_destination, make_route, make_source

CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
]


def _load_schema():
    """The schema /api/schema/ serves, built in-process: that endpoint needs a role, and
    building it touches no database (so it runs when the module is collected)."""
    from drf_spectacular.generators import SchemaGenerator
    from drf_spectacular.renderers import OpenApiJsonRenderer

    document = SchemaGenerator().get_schema(request=None, public=True)
    loaded = schemathesis.openapi.from_dict(json.loads(OpenApiJsonRenderer().render(document)))
    loaded.app = get_wsgi_application()
    return loaded


schema = _load_schema()


@pytest.fixture
def wsgi_keeps_the_test_connection():
    """Django's WSGI handler closes the database connection after each request, which
    would end the test's transaction; its own test client unhooks the same signals."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.fixture
def stored_objects(db, sink):
    """A little data, so that detail endpoints sometimes find something."""
    source = make_source(verification_scheme="github", secret="github-secret-value-1")
    destination = make_destination(sink.url, timeout_seconds=2)
    route = make_route(source, destination)
    outcome = make_outcome(make_event(source), route, OutcomeStatus.DEAD_LETTERED)
    make_attempt(outcome)


@schema.parametrize()
@settings(max_examples=20, deadline=None, suppress_health_check=list(HealthCheck))
def test_the_api_keeps_to_its_schema(case, token, stored_objects, wsgi_keeps_the_test_connection):
    response = case.call(headers={"Authorization": f"Token {token.key}"})

    case.validate_response(response, checks=CHECKS)
