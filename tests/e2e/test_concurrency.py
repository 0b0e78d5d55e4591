"""Idempotency under real concurrency: many identical requests to a real gunicorn."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

import httpx
import pytest

from apps.core.models import Event, EventStatus
from tests.factories import make_source


@pytest.mark.django_db(transaction=True)
def test_fifty_concurrent_identical_requests_store_exactly_one_event(web_server):
    make_source(slug="race")
    url = f"{web_server}/webhooks/receive/race/"

    def post(_: int) -> httpx.Response:
        return httpx.post(
            url,
            content=b'{"order": 42}',
            headers={"Content-Type": "application/json", "Idempotency-Key": "order-42"},
            timeout=30,
        )

    with ThreadPoolExecutor(max_workers=50) as pool:
        answers = list(pool.map(post, range(50)))

    statuses = sorted(answer.json()["status"] for answer in answers)
    assert {answer.status_code for answer in answers} == {200}
    assert statuses.count("accepted") == 1
    assert statuses.count("duplicate") == 49
    assert Event.objects.filter(status=EventStatus.RECEIVED).count() == 1
