"""An unknown name and a KeyError inside a transformer are two different failures."""

from __future__ import annotations

import json

import pytest

from apps.core.models import Event, EventStatus, Outcome, OutcomeStatus
from apps.delivery import batch, tasks
from apps.transformers import registry
from apps.transformers.base import Outbound, Transformer, TransformError, TransformInput
from tests.factories import make_destination, make_route, make_source


class ReadsAMissingKey(Transformer):
    name = "reads_a_missing_key"
    description = "Reads payload['missing'], which no test event has"

    def transform(self, data: TransformInput) -> Outbound:
        return Outbound.json({"text": data.payload["missing"]})


@pytest.fixture
def reads_a_missing_key(monkeypatch):
    monkeypatch.setitem(registry.TRANSFORMERS, ReadsAMissingKey.name, ReadsAMissingKey())
    return ReadsAMissingKey.name


def test_a_key_error_inside_a_transformer_is_a_transform_error_naming_the_key(
    reads_a_missing_key,
):
    with pytest.raises(TransformError) as raised:
        registry.transform(reads_a_missing_key, TransformInput(event_type="push", payload={}))
    assert not isinstance(raised.value, LookupError)
    assert str(raised.value) == "KeyError: 'missing'"


@pytest.mark.django_db(transaction=True)
def test_a_transformer_raising_key_error_is_dead_lettered_with_its_own_message(
    sink, reads_a_missing_key
):
    source = make_source()
    make_route(source, make_destination(sink.url), transformer=reads_a_missing_key)
    event = Event.objects.create(
        source=source,
        body=json.dumps({}).encode(),
        payload={},
        content_type="application/json",
        event_type="push",
        status=EventStatus.RECEIVED,
    )
    try:
        tasks.process_events([event.pk])
        assert batch.wait_idle(timeout=30)
    finally:
        batch.close_connection()  # the sender's recorder thread has its own connection

    outcome = Outcome.objects.get()
    assert outcome.status == OutcomeStatus.DEAD_LETTERED
    assert "KeyError: 'missing'" in outcome.last_error
    assert "unknown transformer" not in outcome.last_error
    assert sink.requests == []
