"""The stream's pieces that need no server: how an event is framed, and what a slow
subscriber may hold (apps/api/stream/)."""

from __future__ import annotations

import json

import pytest

from apps.api.stream.feed import Subscriber
from apps.api.stream.reads import Framed, frame, read_range
from tests.api.factories import make_event


def framed(event_id: int, kind: str = "push", size: int = 10) -> Framed:
    return Framed(1, event_id, kind, frame({"id": event_id, "body_base64": "x" * size}))


def test_an_event_is_one_server_sent_event_with_its_id_and_one_data_line():
    text = frame({"id": 7, "event_type": "push", "body_base64": "a\nb"}).decode()

    lines = text.split("\n")

    assert lines[:2] == ["id: 7", "event: event"]
    assert json.loads(lines[2].removeprefix("data: ")) == {
        "id": 7,
        "event_type": "push",
        "body_base64": "a\nb",
    }
    assert text.endswith("\n\n") and len(lines) == 5  # the line break stayed escaped


def test_a_subscriber_gets_what_it_wants_after_its_position_once():
    sub = Subscriber(1, frozenset({"push"}), after=5)

    for event in (framed(4), framed(5), framed(6), framed(7, "issues"), framed(8), framed(8)):
        sub.offer(event)

    assert sub.take() == framed(6).frame + framed(8).frame
    assert sub.after == 8 and not sub.ended


def test_a_subscriber_that_falls_too_far_behind_is_dropped_and_holds_nothing(settings):
    settings.STREAM_MAX_BUFFER_BYTES = 1000
    sub = Subscriber(1, frozenset(), after=0)

    for n in range(1, 20):
        sub.offer(framed(n, size=100))

    assert sub.ended == "dropped"
    assert sub.buffered == 0 and not sub.frames
    assert sub.wake.is_set()  # its writer wakes up to close the connection


@pytest.mark.django_db
def test_a_catch_up_reads_up_to_the_feed_cursor_and_leaves_refused_events_out(source):
    from apps.core.models import EventStatus

    kept = make_event(source)
    make_event(source, status=EventStatus.SIG_FAILED)
    later = make_event(source)

    found, reached = read_range(source.pk, kept.pk - 1, later.pk - 1, limit=10)

    assert [f.id for f in found] == [kept.pk]
    assert reached == later.pk - 1
