"""The worker's routing table: cached, and reloaded as soon as routes change."""

from __future__ import annotations

import pytest
from django.utils import timezone

from apps.core.models import Destination
from apps.core.redis import get_redis
from apps.routing import table
from tests.factories import make_destination, make_route, make_source

# Changes reach the table after their transaction commits.
pytestmark = pytest.mark.django_db(transaction=True)


def names(source) -> list[str]:
    return [route.name for route in table.routes_of({source.pk})[source.pk]]


def test_a_route_added_or_switched_off_is_seen_by_the_next_batch():
    source = make_source()
    first = make_route(source, make_destination("http://127.0.0.1:9/"), name="first")
    assert names(source) == ["first"]

    make_route(source, make_destination("http://127.0.0.1:9/"), name="second", priority=200)
    assert names(source) == ["second", "first"]

    first.is_active = False
    first.save()
    assert names(source) == ["second"]


def test_the_table_is_reused_while_nothing_changes(django_assert_num_queries):
    source = make_source()
    make_route(source, make_destination("http://127.0.0.1:9/"), name="only")
    names(source)
    with django_assert_num_queries(0):
        assert names(source) == ["only"]


def test_a_failed_delivery_does_not_reload_the_routing_table(django_assert_num_queries):
    # Health is read from the destination's row (apps.delivery.health): a flapping
    # destination must not make every worker reload its routes.
    source = make_source()
    destination = make_destination("http://127.0.0.1:9/")
    make_route(source, destination, name="only")
    names(source)
    version = get_redis().get(table.VERSION_KEY)
    assert version is not None

    from apps.delivery import health
    from apps.delivery.rules import Attempted

    failure = Attempted(503, 1.0, "", "HTTP 503", retryable=True, retry_after=None)
    success = Attempted(200, 1.0, "", "", retryable=False, retry_after=None)
    health.record(destination, failure, timezone.now(), failures=10_000)
    destination.refresh_from_db()
    assert destination.disabled_until is not None  # the breaker opened
    health.record(destination, success, timezone.now())
    assert Destination.objects.get().consecutive_failures == 0  # and closed

    assert get_redis().get(table.VERSION_KEY) == version
    with django_assert_num_queries(0):
        assert names(source) == ["only"]


def test_without_a_version_in_redis_nothing_is_cached(django_assert_num_queries):
    source = make_source()
    make_route(source, make_destination("http://127.0.0.1:9/"), name="only")
    get_redis().delete(table.VERSION_KEY)
    names(source)
    with django_assert_num_queries(1):
        names(source)
