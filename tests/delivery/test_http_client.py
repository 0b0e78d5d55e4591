"""The outbound HTTP client, against a real HTTP server on 127.0.0.1."""

from __future__ import annotations

import ipaddress
import socket
import threading
import time
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime

import pytest

from apps.delivery import http_client
from apps.delivery.http_client import SendResult, clean_url, parse_retry_after, send
from tests.sink import Reply

HEADERS = {"Content-Type": "application/json"}


@pytest.fixture(autouse=True)
def loopback_allowed(settings):
    settings.DESTINATION_ALLOWED_NETWORKS = [ipaddress.ip_network("127.0.0.0/8")]


@pytest.fixture(autouse=True)
def fresh_client():
    """Each test gets its own pool: no keep-alive connection to an earlier test's sink."""
    yield
    http_client.close_client()


@pytest.fixture
def closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def trickling_server():
    """A server that answers one byte every 50 ms: each read is quick, the whole is not."""
    listener = socket.create_server(("127.0.0.1", 0))
    stop = threading.Event()

    def serve() -> None:
        connection, _ = listener.accept()
        with connection:
            connection.recv(65536)
            for byte in b"HTTP/1.1 200 OK\r\nX-Slow: " + b"z" * 200:
                if stop.wait(0.05):
                    return
                try:
                    connection.sendall(bytes([byte]))
                except OSError:
                    return

    thread = threading.Thread(target=serve, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{listener.getsockname()[1]}/hook"
    stop.set()
    listener.close()
    thread.join(timeout=5)


def test_it_posts_the_body_and_reports_success(sink):
    result = send(sink.url, b'{"id": 1}', {**HEADERS, "X-Event": "push"}, timeout=5)

    assert result.ok
    assert result.status_code == 200
    assert result.error == ""
    assert result.response_body == '{"ok": true}'
    assert result.response_headers["content-length"] == "12"
    assert result.duration_ms > 0
    [request] = sink.wait_for(1)
    assert request.method == "POST"
    assert request.path == "/hook"
    assert request.json() == {"id": 1}
    assert request.headers["x-event"] == "push"
    assert request.headers["user-agent"] == "RelayCore/0.1 (+webhook gateway)"


def test_it_keeps_its_own_user_agent(sink):
    send(sink.url, b"{}", {"User-Agent": "curl/8"}, timeout=5)

    assert sink.wait_for(1)[0].headers["user-agent"] == "RelayCore/0.1 (+webhook gateway)"


@pytest.mark.parametrize(
    ("status", "retryable"),
    [(500, True), (503, True), (408, True), (409, True), (425, True), (429, True),
     (400, False), (401, False), (404, False), (410, False), (422, False)],
)  # fmt: skip
def test_it_says_which_failures_are_worth_retrying(sink, status, retryable):
    sink.respond(Reply(status=status, body=b"nope"))

    result = send(sink.url, b"{}", HEADERS, timeout=5)

    assert not result.ok
    assert result.status_code == status
    assert result.retryable is retryable
    assert result.error.startswith(f"HTTP {status}")
    assert result.response_body == "nope"


def test_it_reads_retry_after_in_seconds(sink):
    sink.respond(Reply(status=429, headers={"Retry-After": "7"}))

    result = send(sink.url, b"{}", HEADERS, timeout=5)

    assert result.retryable
    assert result.retry_after == 7.0


def test_it_does_not_follow_redirects(sink):
    location = "http://admin:secret@169.254.169.254/latest/meta-data?token=x"
    sink.respond(Reply(status=302, headers={"Location": location}))

    result = send(sink.url, b"{}", HEADERS, timeout=5)

    assert result.status_code == 302
    assert not result.ok
    assert not result.retryable
    assert result.error == "redirect to http://169.254.169.254/latest/meta-data not followed"
    time.sleep(0.2)
    assert len(sink.requests) == 1


def test_it_gives_up_on_a_slow_destination_at_its_timeout(sink):
    sink.respond(Reply(delay=3))

    result = send(sink.url, b"{}", HEADERS, timeout=0.3)

    assert result.status_code is None
    assert result.error == "timed out after 0.3 s"
    assert result.retryable
    assert result.duration_ms < 1500


def test_a_trickling_destination_cannot_outlast_the_timeout(trickling_server):
    started = time.monotonic()

    result = send(trickling_server, b"{}", HEADERS, timeout=0.5)

    assert result.error == "timed out after 0.5 s"
    assert result.retryable
    assert time.monotonic() - started < 1.5


def test_it_reports_a_refused_connection(closed_port):
    result = send(f"http://127.0.0.1:{closed_port}/hook", b"{}", HEADERS, timeout=5)

    assert result.status_code is None
    assert result.error == "connection refused"
    assert result.retryable


def test_it_keeps_only_an_excerpt_of_the_response(sink):
    sink.respond(Reply(body=b"a" * 10_000), Reply(body=b"b" * 2_000_000))

    first = send(sink.url, b"{}", HEADERS, timeout=5)
    second = send(sink.url, b"{}", HEADERS, timeout=5)

    assert first.response_body == "a" * 4096
    assert second.ok
    assert second.response_body == "b" * 4096


def test_it_decodes_the_excerpt_without_failing_on_bad_utf8(sink):
    sink.respond(Reply(body=b"caf\xc3\xa9 \xff"))

    assert send(sink.url, b"{}", HEADERS, timeout=5).response_body == "café \ufffd"


def test_it_refuses_an_unsafe_destination_before_sending_anything(sink, settings):
    settings.DESTINATION_ALLOWED_NETWORKS = []

    result = send(sink.url, b"{}", HEADERS, timeout=5)

    assert result.status_code is None
    assert not result.retryable
    assert "127.0.0.1 is a loopback address" in result.error
    assert sink.requests == []


@pytest.mark.parametrize(
    "url", ["ftp://127.0.0.1/hook", "http://user:pw@127.0.0.1/hook", "not a url", ""]
)
def test_it_answers_bad_urls_with_a_permanent_error(url):
    result = send(url, b"{}", HEADERS, timeout=5)

    assert result.status_code is None
    assert result.error
    assert not result.retryable


def test_it_reports_names_that_do_not_resolve(monkeypatch):
    def getaddrinfo(*args, **kwargs):
        raise socket.gaierror(socket.EAI_NONAME, "Name or service not known")

    monkeypatch.setattr(socket, "getaddrinfo", getaddrinfo)

    result = send("https://nowhere.example/hook", b"{}", HEADERS, timeout=5)

    assert result.error == "could not resolve nowhere.example"
    assert result.retryable


def test_it_connects_to_the_address_it_checked_and_never_looks_up_twice(sink, monkeypatch):
    # A rebinding name: allowed on the first lookup, somewhere else afterwards.
    real_getaddrinfo = socket.getaddrinfo
    lookups = []

    def getaddrinfo(host, port, *args, **kwargs):
        if host != "rebind.test":
            return real_getaddrinfo(host, port, *args, **kwargs)
        lookups.append(host)
        address = "127.0.0.1" if len(lookups) == 1 else "192.0.2.1"
        return [(socket.AF_INET, socket.SOCK_STREAM, 6, "", (address, port))]

    monkeypatch.setattr(socket, "getaddrinfo", getaddrinfo)
    url = f"http://rebind.test:{sink.port}/hook"

    first = send(url, b"{}", HEADERS, timeout=5)

    assert first.ok, first.error
    assert lookups == ["rebind.test"]
    assert sink.wait_for(1)[0].headers["host"] == f"rebind.test:{sink.port}"

    # Every request is checked again, even with a pooled connection to the first address.
    second = send(url, b"{}", HEADERS, timeout=5)

    assert "rebind.test resolves to 192.0.2.1" in second.error
    assert not second.retryable
    assert len(sink.requests) == 1


def test_it_reuses_one_client_per_process():
    assert http_client.get_client() is http_client.get_client()


def test_each_destination_gets_a_pool_of_its_own_and_keeps_it():
    assert http_client.get_client(1) is http_client.get_client(1)
    assert http_client.get_client(1) is not http_client.get_client(2)
    assert http_client.get_client(1) is not http_client.get_client()


def test_a_pool_left_unused_is_closed_when_another_is_used(sink, monkeypatch):
    assert send(sink.url, b"{}", HEADERS, timeout=5, pool=1).ok
    first = http_client.get_client(1)
    monkeypatch.setattr(http_client, "IDLE_POOL_SECONDS", 0.0)
    time.sleep(0.01)

    assert send(sink.url, b"{}", HEADERS, timeout=5, pool=2).ok

    assert first.is_closed
    assert http_client.get_client(1) is not first


def test_a_cookie_a_destination_sets_is_not_sent_back(sink):
    sink.respond(Reply(headers={"Set-Cookie": "session=abc; Path=/"}))

    assert send(sink.url, b"{}", HEADERS, timeout=5, pool=1).ok
    assert send(sink.url, b"{}", HEADERS, timeout=5, pool=1).ok

    first, second = sink.wait_for(2)
    assert "cookie" not in second.headers
    # The request as it went out, header for header, is what it always was.
    assert list(first.headers) == list(second.headers)
    assert [name for name in first.headers if name in ("accept", "connection")] == [
        "accept",
        "connection",
    ]


def test_a_result_is_ok_only_for_2xx():
    def result(status):
        return SendResult(status, 1.0, "", {}, "", False, None)

    assert result(204).ok
    assert not result(302).ok
    assert not result(None).ok


def test_it_reads_retry_after_as_an_http_date():
    when = datetime.now(UTC) + timedelta(seconds=120)

    assert 115 <= parse_retry_after(format_datetime(when, usegmt=True)) <= 120


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("0", 0.0),
        (" 30 ", 30.0),
        ("999999999", 86400.0),
        ("Wed, 21 Oct 2015 07:28:00 GMT", 0.0),
        ("-5", None),
        ("1.5", None),
        ("soon", None),
        ("", None),
        (None, None),
    ],
)
def test_it_reads_retry_after_defensively(value, expected):
    assert parse_retry_after(value) == expected


@pytest.mark.parametrize(
    ("url", "cleaned"),
    [
        ("https://user:pw@example.com:8443/hook?token=abc#x", "https://example.com:8443/hook"),
        ("http://[::1]:8000/a?b=c", "http://[::1]:8000/a"),
        ("https://example.com", "https://example.com"),
        ("http://example.com:99999/", "<invalid URL>"),
    ],
)
def test_it_cleans_urls_for_messages(url, cleaned):
    assert clean_url(url) == cleaned
