"""The registry, the shared input/output types and the passthrough transformer."""

from __future__ import annotations

import json

import pytest

from apps.core.models import Event, EventStatus, Source
from apps.transformers.base import Outbound, Transformer, TransformInput, UnknownTransformer
from apps.transformers.registry import (
    TRANSFORMERS,
    get_transformer,
    transform,
    transformer_choices,
    validate_transformer,
)
from tests.transformers.payloads import RECEIVED_AT


def test_every_transformer_is_registered_under_its_name():
    assert set(TRANSFORMERS) == {
        "passthrough",
        "github_to_slack",
        "github_to_discord",
        "calendar_to_database",
        "form_to_email",
    }
    for name, transformer in TRANSFORMERS.items():
        assert isinstance(transformer, Transformer)
        assert transformer.name == name and transformer.description


def test_an_unknown_name_raises_unknown_transformer_naming_the_choices():
    with pytest.raises(UnknownTransformer) as raised:
        get_transformer("nope")
    assert isinstance(raised.value, LookupError)
    assert str(raised.value).startswith("unknown transformer 'nope'; expected one of passthrough")


def test_choices_pair_names_with_descriptions():
    choices = dict(transformer_choices())
    assert choices["passthrough"] == "The original body and content type, unchanged"
    assert len(choices) == len(TRANSFORMERS)


def test_validate_transformer_checks_name_and_options():
    assert validate_transformer("passthrough", {}) == []
    assert validate_transformer("nope", {})[0].startswith("unknown transformer 'nope'")
    assert validate_transformer("passthrough", []) == ["options must be an object"]
    assert validate_transformer("form_to_email", {}) == [
        'form_to_email needs the route option "to" (an e-mail address)'
    ]
    assert validate_transformer("calendar_to_database", {"table": "x; drop"}) == [
        'option "table" must be a table name such as calendar_notifications'
    ]


def test_passthrough_returns_the_original_bytes_and_content_type():
    body = b"a=1&b=%C3%A9"
    data = TransformInput(
        "", {"a": "1"}, body=body, content_type="application/x-www-form-urlencoded"
    )
    out = transform("passthrough", data)
    assert out == Outbound(body=body, content_type="application/x-www-form-urlencoded")


def test_passthrough_without_a_content_type_sends_octet_stream():
    out = transform("passthrough", TransformInput("", None, body=b"\x00\x01", content_type=""))
    assert (out.body, out.content_type) == (b"\x00\x01", "application/octet-stream")


def test_outbound_json_encodes_compact_utf8():
    out = Outbound.json({"text": "héllo"}, headers={"X-Test": "1"})
    assert out.body == '{"text":"héllo"}'.encode()
    assert out.content_type == "application/json"
    assert out.headers == {"X-Test": "1"}
    assert out.parsed() == {"text": "héllo"}


@pytest.mark.django_db
def test_input_is_built_from_a_stored_event():
    source = Source.objects.create(name="GitHub", slug="github")
    event = Event.objects.create(
        source=source,
        received_at=RECEIVED_AT,
        headers={"x-github-event": "ping"},
        body=json.dumps({"zen": "hi"}).encode(),
        content_type="application/json",
        payload={"zen": "hi"},
        event_type="ping",
        status=EventStatus.RECEIVED,
    )
    event = Event.objects.select_related("source").get(pk=event.pk)
    data = TransformInput.from_event(event, {"table": "t"})
    assert data == TransformInput(
        event_type="ping",
        payload={"zen": "hi"},
        headers={"x-github-event": "ping"},
        body=b'{"zen": "hi"}',
        content_type="application/json",
        source_slug="github",
        event_id=event.pk,
        received_at=RECEIVED_AT,
        options={"table": "t"},
    )
    assert isinstance(data.body, bytes)
