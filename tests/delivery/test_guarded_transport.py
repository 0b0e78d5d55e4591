"""GuardedTransport replaces httpx's private connection pool (httpx offers no public way
to choose httpcore's network backend). These tests pin that contract against the httpx
and httpcore installed: if an upgrade renames the attribute or stops sending requests
through it, the SSRF guard's "connect only to the checked address" would silently be
gone, so they fail loudly instead."""

from __future__ import annotations

import ipaddress

import httpcore
import httpx
import pytest

from apps.delivery.ssrf import DestinationError
from apps.delivery.transport import GuardedTransport, _PinnedBackend


@pytest.fixture(autouse=True)
def loopback_allowed(settings):
    settings.DESTINATION_ALLOWED_NETWORKS = [ipaddress.ip_network("127.0.0.0/8")]


@pytest.fixture
def transport():
    guarded = GuardedTransport()
    yield guarded
    guarded.close()


def test_httpx_still_keeps_its_connection_pool_where_the_transport_replaces_it():
    plain = httpx.HTTPTransport()
    try:
        assert isinstance(vars(plain).get("_pool"), httpcore.ConnectionPool), (
            f"httpx {httpx.__version__} moved HTTPTransport._pool: GuardedTransport "
            "(apps/delivery/transport.py) must be adapted before this upgrade"
        )
    finally:
        plain.close()


def test_the_transport_pool_dials_through_the_pinned_backend(transport):
    pool = vars(transport)["_pool"]
    assert type(pool) is httpcore.ConnectionPool
    assert isinstance(pool._network_backend, _PinnedBackend)


def test_a_request_through_the_transport_uses_that_pool_and_reaches_the_checked_address(
    transport, sink
):
    client = httpx.Client(transport=transport)
    response = client.post(sink.url, content=b"{}")

    assert response.status_code == 200
    assert len(sink.requests) == 1
    [connection] = transport._pool.connections  # kept alive in our pool, nowhere else
    assert connection.can_handle_request(httpcore.URL(sink.url).origin)


def test_the_pool_refuses_to_connect_where_the_guard_did_not_check(transport, sink):
    # Straight to the pool, past handle_request's check: the backend fails closed.
    with pytest.raises(DestinationError, match="was not checked"):
        transport._pool.handle_request(httpcore.Request("POST", sink.url, content=b"{}"))
    assert sink.requests == []
