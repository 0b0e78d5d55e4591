"""Ordered delivery end to end: HTTP in, a real Celery worker (with Beat's dispatcher),
HTTP out to a real local server that fails some requests."""

from __future__ import annotations

import pytest

from apps.core.models import Outcome, OutcomeStatus
from tests.e2e.conftest import GitHub, wait_until
from tests.factories import make_destination, make_route
from tests.sink import Reply

pytestmark = pytest.mark.e2e
GITHUB = GitHub("gh-ordered", "e2e-ordered-secret")
KEYS, PER_KEY = 20, 50


def send(client, n: int) -> None:
    payload = {"repository": {"full_name": f"acme/repo-{n % KEYS}"}, "n": n}
    GITHUB.send(client, payload, f"delivery-{n}")


@pytest.mark.timeout(600)
def test_twenty_keys_arrive_in_receipt_order_per_key_while_the_other_keys_flow(
    client, worker, sink
):
    source = GITHUB.source()
    make_route(source, make_destination(sink.url), ordering_key="$.repository.full_name")
    sink.respond(Reply(503), Reply(503), Reply(503))  # the first requests fail, then retry
    total = KEYS * PER_KEY

    for n in range(total):
        send(client, n)
    wait_until(
        lambda: Outcome.objects.filter(status=OutcomeStatus.DELIVERED).count() == total,
        timeout=300,
        message="not every event was delivered",
    )

    got = [request.json()["n"] for request in sink.requests]
    for key in range(KEYS):
        seen = [n for n in got if n % KEYS == key]
        in_turn = [n for i, n in enumerate(seen) if i == 0 or seen[i - 1] != n]
        assert in_turn == list(range(key, total, KEYS)), f"key {key} out of order"
    # While the first failed event waited for its retry, other keys' events went on.
    failed = got[0]
    again = got.index(failed, 1)
    assert any(n % KEYS != failed % KEYS for n in got[1:again])
