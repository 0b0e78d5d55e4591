"""End to end: a signed push with a query string in, a real worker runs the route's
JavaScript transformation, a real local HTTP server receives the shaped request."""

from __future__ import annotations

import json

import pytest

from apps.core.models import Outcome, OutcomeStatus, Transformation
from tests.e2e.conftest import wait_until
from tests.factories import github_signature, make_destination, make_route, make_source

pytestmark = pytest.mark.e2e
SECRET = "e2e-secret"
TEAMS_CARD = """function transform(event) {
  console.log("shaping", event.event_type);
  return {
    body: {
      "@type": "MessageCard",
      summary: event.body.pusher.name + " pushed to " + event.body.repository.full_name,
      text: event.body.commits.map((c) => c.message).join("\\n"),
    },
    headers: {"X-Source": event.source, "X-Event": event.headers["x-github-event"]},
  };
}"""


def test_a_javascript_transformation_shapes_what_the_destination_receives(client, worker, sink):
    source = make_source(slug="gh", verification_scheme="github", secret=SECRET)
    shaper = Transformation.objects.create(name="teams card", code=TEAMS_CARD)
    main_only = [
        {"path": "headers.x-github-event", "op": "equals", "value": "push"},
        {
            "any": [
                {"path": "query.env", "op": "equals", "value": "prod"},
                {"path": "$.forced", "op": "exists"},
            ]
        },
    ]
    make_route(
        source,
        make_destination(sink.url),
        conditions=main_only,
        transformer="",
        transformation=shaper,
    )
    payload = {
        "ref": "refs/heads/main",
        "repository": {"full_name": "acme/api"},
        "pusher": {"name": "ada"},
        "commits": [{"message": "Fix it"}, {"message": "Test it"}],
    }
    body = json.dumps(payload).encode()

    response = client.post(
        "/webhooks/receive/gh/?env=prod",
        data=body,
        content_type="application/json",
        HTTP_X_GITHUB_EVENT="push",
        HTTP_X_HUB_SIGNATURE_256=github_signature(SECRET, body),
    )

    assert response.status_code == 200, response.content
    [received] = sink.wait_for(1)
    assert received.json() == {
        "@type": "MessageCard",
        "summary": "ada pushed to acme/api",
        "text": "Fix it\nTest it",
    }
    assert received.headers["x-source"] == "gh"
    assert received.headers["x-event"] == "push"
    assert received.headers["x-relaycore-event-type"] == "push"
    outcome = wait_until(
        lambda: Outcome.objects.filter(status=OutcomeStatus.DELIVERED).first(),
        message="the outcome was not delivered",
    )
    attempt = outcome.attempts.get()
    assert (attempt.transformation_id, attempt.transformation_version) == (shaper.pk, 1)
