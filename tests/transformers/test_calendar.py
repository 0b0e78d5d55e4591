"""calendar_to_database: Google Calendar push notifications as a database row."""

from __future__ import annotations

import json

import pytest

from apps.transformers.base import TransformError, TransformInput
from apps.transformers.registry import transform
from tests.transformers.payloads import CALENDAR_EVENT, GOOG_META, RECEIVED_AT

CALENDAR_COLUMNS = (
    "calendar_event_id",
    "summary",
    "start",
    "end",
    "status",
    "html_link",
    "organizer_email",
    "attendee_emails",
)


def to_row(payload, options=None, headers=None) -> dict:
    data = TransformInput(
        "sync",
        payload,
        headers=headers or {},
        body=b"",
        content_type="",
        source_slug="calendar",
        event_id=7,
        received_at=RECEIVED_AT,
        options=options or {},
    )
    out = transform("calendar_to_database", data)
    assert out.content_type == "application/json"
    return json.loads(out.body)


def test_a_bare_notification_becomes_a_row_of_channel_facts():
    row = to_row({"__goog_meta": GOOG_META})
    assert row == {
        "table": "calendar_notifications",
        "record": {
            "channel_id": "01234567-89ab-cdef-0123456789ab",
            "resource_id": "ret08u3rv24htgh289g",
            "resource_state": "exists",
            "resource_uri": GOOG_META["resource-uri"],
            "message_number": 10,
            "channel_expiration": "2024-11-19T01:13:52+00:00",
            "received_at": "2024-05-01T12:30:00+00:00",
            "event": None,
            **dict.fromkeys(CALENDAR_COLUMNS),
        },
    }


def test_the_channel_token_is_not_stored():
    assert "to=calendar-sync" not in json.dumps(to_row({"__goog_meta": GOOG_META}))


def test_the_table_comes_from_the_route_options():
    assert to_row({"__goog_meta": GOOG_META}, {"table": "cal_sync"})["table"] == "cal_sync"


def test_a_calendar_event_resource_fills_the_event_columns():
    record = to_row({"__goog_meta": GOOG_META, **CALENDAR_EVENT})["record"]
    assert record["event"] == CALENDAR_EVENT
    assert {key: record[key] for key in CALENDAR_COLUMNS} == {
        "calendar_event_id": "evt_8a1b2c",
        "summary": "Quarterly planning",
        "start": "2024-05-02T09:00:00+02:00",
        "end": "2024-05-02T10:00:00+02:00",
        "status": "confirmed",
        "html_link": "https://www.google.com/calendar/event?eid=ZXZ0",
        "organizer_email": "lead@example.com",
        "attendee_emails": ["ana@example.com", "bo@example.com"],
    }


def test_an_all_day_event_uses_its_dates():
    event = {**CALENDAR_EVENT, "start": {"date": "2024-05-02"}, "end": {"date": "2024-05-03"}}
    record = to_row({"__goog_meta": GOOG_META, **event})["record"]
    assert (record["start"], record["end"]) == ("2024-05-02", "2024-05-03")


def test_other_content_is_kept_as_the_event_without_event_columns():
    record = to_row({"__goog_meta": GOOG_META, "note": "hi"})["record"]
    assert record["event"] == {"note": "hi"}
    assert record["summary"] is None


def test_meta_is_read_from_the_headers_when_ingestion_did_not_merge_it():
    headers = {f"x-goog-{key}": value for key, value in GOOG_META.items()}
    record = to_row(None, headers=headers)["record"]
    assert record["channel_id"] == GOOG_META["channel-id"]
    assert record["message_number"] == 10


def test_odd_meta_values_become_null_or_stay_as_sent():
    meta = {**GOOG_META, "message-number": "ten", "channel-expiration": "someday"}
    record = to_row({"__goog_meta": meta})["record"]
    assert (record["message_number"], record["channel_expiration"]) == (None, "someday")


@pytest.mark.parametrize("payload", [None, {}, {"summary": "x"}, {"__goog_meta": "nope"}])
def test_missing_meta_is_a_transform_error(payload):
    with pytest.raises(TransformError, match="not a Google Calendar push notification"):
        to_row(payload)


def test_meta_without_a_channel_id_names_what_is_missing():
    meta = {key: value for key, value in GOOG_META.items() if key != "channel-id"}
    with pytest.raises(TransformError, match="X-Goog-channel-id missing"):
        to_row({"__goog_meta": meta})


def test_a_bad_table_option_is_a_transform_error():
    with pytest.raises(TransformError, match='option "table" must be a table name'):
        to_row({"__goog_meta": GOOG_META}, {"table": "x; drop table y"})
