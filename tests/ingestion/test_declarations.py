"""What a scheme or a producer quirk declares is what ingest does: schemes and quirks
registered here, unknown to service.py and parsing.py, change what is redacted, keyed,
folded into the payload and typed."""

from __future__ import annotations

import dataclasses
import hashlib
import hmac
import re
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import pytest

from apps.core.models import Event, EventStatus
from apps.ingestion import parsing
from apps.ingestion.declarations import reading_of
from apps.ingestion.producers import PRODUCERS, Producer
from apps.ingestion.schemes.base import OK, Scheme, Verdict, header_value
from apps.ingestion.verification import SCHEMES
from tests.factories import make_source
from tests.ingestion.test_receive import post

pytestmark = pytest.mark.django_db
TOKEN = "token-0123456789abcdef"


class TokenScheme(Scheme):
    """A header equal to the secret, under a name no code outside this test knows."""

    name = "test_token"
    label = "Test token"
    description = "X-Test-Token equal to the secret."

    def secret_headers(self, options: Mapping[str, Any]) -> tuple[str, ...]:
        return ("X-Test-Token",)

    def check(
        self,
        headers: Mapping[str, str],
        body: bytes,
        secrets: Sequence[str],
        options: Mapping[str, Any],
        now: float,
    ) -> Verdict:
        value = header_value(headers, "X-Test-Token") or ""
        ok = any(hmac.compare_digest(value.encode(), s.encode()) for s in secrets)
        return OK if ok else Verdict(False, "token does not match")


class KeyedScheme(TokenScheme):
    name = "test_keyed"
    default_idempotency_header = "X-Test-Id"


class BodySignedScheme(TokenScheme):
    name = "test_body_signed"
    signs_only_body = True


class Relay(Producer):
    """A producer that says everything in X-Relay-* headers."""

    name = "test_relay"
    idempotency_header = "X-Relay-Id"
    secret_headers = ("X-Relay-Session",)

    def metadata(self, headers: Mapping[str, str]) -> dict[str, str] | None:
        meta = {k[len("x-relay-") :]: v for k, v in headers.items() if k.startswith("x-relay-")}
        return meta or None

    def fold(self, payload: Any, meta: dict[str, str]) -> Any:
        return {"body": payload, "relay": meta}

    def event_type(self, meta: dict[str, str]) -> str:
        return meta.get("kind", "")


@pytest.fixture
def schemes(monkeypatch):
    for scheme in (TokenScheme(), KeyedScheme(), BodySignedScheme()):
        monkeypatch.setitem(SCHEMES, scheme.name, scheme)


@pytest.fixture
def relay(monkeypatch):
    monkeypatch.setitem(PRODUCERS, Relay.name, Relay())


def test_a_registered_schemes_secret_header_is_redacted_when_accepted_or_refused(client, schemes):
    make_source(slug="t", verification_scheme="test_token", secret=TOKEN)

    assert post(client, "t", b"{}", **{"X-Test-Token": TOKEN}).status_code == 200
    assert post(client, "t", b"{}", **{"X-Test-Token": "wrong-" + TOKEN}).status_code == 401

    rows = Event.objects.order_by("pk")
    assert [row.status for row in rows] == [EventStatus.RECEIVED, EventStatus.SIG_FAILED]
    assert {row.headers["x-test-token"] for row in rows} == {"[redacted]"}


def test_the_same_header_is_kept_for_a_scheme_that_does_not_declare_it(client):
    make_source(slug="n", verification_scheme="none")

    post(client, "n", b"{}", **{"X-Test-Token": TOKEN})

    assert Event.objects.get().headers["x-test-token"] == TOKEN


def test_a_schemes_default_idempotency_header_is_the_key(client, schemes):
    make_source(slug="k", verification_scheme="test_keyed", secret=TOKEN)

    first = post(client, "k", b'{"n": 1}', **{"X-Test-Token": TOKEN, "X-Test-Id": "id-1"})
    again = post(client, "k", b'{"n": 2}', **{"X-Test-Token": TOKEN, "X-Test-Id": "id-1"})

    assert first.json()["status"] == "accepted"
    assert again.json() == {"status": "duplicate"}
    assert {row.idempotency_key for row in Event.objects.all()} == {"id-1"}


def test_the_sources_own_idempotency_header_wins_over_the_schemes(client, schemes):
    make_source(
        slug="k", verification_scheme="test_keyed", secret=TOKEN, idempotency_header="X-Mine"
    )

    post(client, "k", b"{}", **{"X-Test-Token": TOKEN, "X-Test-Id": "theirs", "X-Mine": "mine"})

    assert Event.objects.get().idempotency_key == "mine"


def test_a_scheme_that_signs_only_the_body_is_keyed_by_the_body(client, schemes):
    make_source(slug="b", verification_scheme="test_body_signed", secret=TOKEN)
    body = b'{"n": 1}'

    post(client, "b", body, **{"X-Test-Token": TOKEN, "Idempotency-Key": "one"})
    again = post(client, "b", body, **{"X-Test-Token": TOKEN, "Idempotency-Key": "two"})

    assert again.json() == {"status": "duplicate"}
    expected = "sha256:" + hashlib.sha256(body).hexdigest()
    assert {row.idempotency_key for row in Event.objects.all()} == {expected}


def test_a_source_can_still_key_a_body_signed_scheme_by_its_id_header(client, schemes):
    make_source(
        slug="b", verification_scheme="test_body_signed", secret=TOKEN, dedupe_by_body=False
    )

    post(client, "b", b"{}", **{"X-Test-Token": TOKEN, "Idempotency-Key": "one"})
    again = post(client, "b", b"{}", **{"X-Test-Token": TOKEN, "Idempotency-Key": "two"})

    assert again.json()["status"] == "accepted"


def test_a_registered_producers_metadata_id_type_and_secret_are_used(client, relay):
    make_source(slug="r", event_type_header="")
    headers = {"X-Relay-Id": "r-1", "X-Relay-Kind": "ping", "X-Relay-Session": "s3cret"}

    first = post(client, "r", b'{"n": 1}', **headers)
    again = post(client, "r", b'{"n": 2}', **headers)

    assert first.json()["status"] == "accepted"
    assert again.json() == {"status": "duplicate"}
    event = Event.objects.get(pk=first.json()["delivery_id"])
    assert event.payload == {
        "body": {"n": 1},
        "relay": {"id": "r-1", "kind": "ping", "session": "s3cret"},
    }
    assert event.event_type == "ping"
    assert event.idempotency_key == "r-1"
    assert event.headers["x-relay-session"] == "[redacted]"


def test_a_producers_event_type_comes_after_the_sources_header(client, relay):
    make_source(slug="r", event_type_header="X-Type")

    post(client, "r", b"{}", **{"X-Type": "from-header", "X-Relay-Kind": "ping"})

    assert Event.objects.get().event_type == "from-header"


def test_a_request_without_the_producers_headers_is_left_as_it_came(client, relay):
    make_source(slug="r", event_type_header="")

    post(client, "r", b'{"n": 1}')

    event = Event.objects.get()
    assert event.payload == {"n": 1}
    assert event.event_type == ""


def test_a_changed_source_is_read_with_its_new_declarations(client):
    source = make_source(slug="k", verification_scheme="api_key", secret=TOKEN)
    post(client, "k", b'{"n": 1}', **{"X-API-Key": TOKEN, "X-Key": "kept"})

    source.verification_options = {"header": "X-Key"}
    source.save()  # in this process: the cached source and its Reading are dropped
    post(client, "k", b'{"n": 2}', **{"X-API-Key": "old", "X-Key": TOKEN})

    first, second = Event.objects.order_by("pk")
    assert first.headers["x-key"] == "kept"
    assert second.headers["x-key"] == "[redacted]"


# Every built-in scheme: what it declares is what is redacted

OPTIONS = {"basic_auth": {"username": "u"}, "hmac": {"header": "X-Sig"}}


@pytest.mark.parametrize("name", sorted(SCHEMES))
def test_each_schemes_declared_secret_headers_and_only_those_are_redacted(client, name):
    options = OPTIONS.get(name, {})
    make_source(slug="s", verification_scheme=name, secret=TOKEN, verification_options=options)
    declared = {h.lower() for h in SCHEMES[name].secret_headers(options)}
    sent = {header: "sent-value" for header in declared | {"x-test-token"}}

    post(client, "s", b"{}", **sent)  # refused or not, the row is stored

    stored = Event.objects.get().headers
    assert {h for h in sent if stored[h] == "[redacted]"} == declared


# The built-in quirks and conventions, in their order of preference


@pytest.mark.parametrize(
    ("headers", "key"),
    [
        ({"X-GitHub-Delivery": "gh", "Idempotency-Key": "ik", "Webhook-Id": "wh"}, "gh"),
        ({"Idempotency-Key": "ik", "Webhook-Id": "wh"}, "ik"),
        ({"Idempotency-Key": "  ", "Webhook-Id": "wh"}, "wh"),
    ],
)
def test_an_unsigned_source_is_keyed_by_the_first_known_id_header(client, headers, key):
    make_source(slug="n")

    post(client, "n", b"{}", **headers)

    assert Event.objects.get().idempotency_key == key


# The parsed value itself


def test_parsing_gives_one_frozen_value_with_every_stored_field():
    source = make_source(event_type_header="X-GitHub-Event")
    headers = {"x-github-event": "push", "cookie": "c=1", "content-type": "application/json"}

    event = parsing.parse_event(
        headers, b'{"a": 1}', "application/json", reading_of(source), "key-1"
    )

    assert event == parsing.ParsedEvent(
        headers={**headers, "cookie": "[redacted]"},
        body=b'{"a": 1}',
        content_type="application/json",
        payload={"a": 1},
        event_type="push",
        idempotency_key="key-1",
    )
    with pytest.raises(dataclasses.FrozenInstanceError):
        event.payload = None  # type: ignore[misc]


def test_a_source_is_read_once_while_it_is_cached():
    source = make_source()

    assert reading_of(source) is reading_of(source)


def test_the_orchestrator_and_parsing_name_no_scheme_and_no_producer():
    names = (set(SCHEMES) | set(PRODUCERS)) - {"none"}
    words = names | {"goog", "x-github", "webhook-id", "idempotency-key"}
    pattern = re.compile("|".join(re.escape(word) for word in sorted(words)), re.IGNORECASE)
    for module in ("service.py", "parsing.py"):
        text = (Path(parsing.__file__).parent / module).read_text()
        assert pattern.findall(text) == [], module
