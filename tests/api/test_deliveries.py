from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

from apps.core.models import Event, EventStatus, Outcome, OutcomeStatus
from tests.api.conftest import assert_error
from tests.api.factories import make_attempt, make_event, make_outcome
from tests.factories import make_destination, make_route, make_source


def ids(response) -> list[int]:
    assert response.status_code == 200, response.content
    return [item["id"] for item in response.json()["results"]]


def test_it_lists_events_with_their_outcome_counts(api, route):
    event = make_event(route.source, idempotency_key="abc")
    make_outcome(event, route, OutcomeStatus.DEAD_LETTERED)
    other_route = make_route(route.source, route.destination)
    make_outcome(event, other_route, OutcomeStatus.DELIVERED)

    [item] = api.get("/api/deliveries/").json()["results"]

    assert item == {
        "id": event.pk,
        "source": route.source_id,
        "source_slug": "github",
        "source_name": "GitHub",
        "source_deleted": False,
        "received_at": item["received_at"],
        "event_type": "push",
        "status": "routed",
        "error": "",
        "idempotency_key": "abc",
        "outcome_counts": {
            "pending": 0,
            "delivering": 0,
            "retrying": 0,
            "delivered": 1,
            "dead_lettered": 1,
            "filtered": 0,
            "held": 0,
            "waiting": 0,
        },
        "delivery_state": "partly_delivered",
    }


def test_it_shows_an_event_with_outcomes_and_attempts(api, route):
    event = make_event(route.source, {"ref": "refs/heads/main", "n": 1})
    outcome = make_outcome(
        event, route, attempt_count=2, last_status_code=500, last_error="HTTP 500"
    )
    make_attempt(outcome, 1, 500)
    make_attempt(outcome, 2, None)

    detail = api.get(f"/api/deliveries/{event.pk}/").json()

    assert detail["payload"] == {"ref": "refs/heads/main", "n": 1}
    assert '"n": 1' in detail["body"]
    assert detail["headers"]["x-github-event"] == "push"
    assert detail["content_type"] == "application/json"
    [shown] = detail["outcomes"]
    assert shown["route_name"] == route.name
    assert shown["destination_name"] == route.destination.name
    assert shown["status"] == "dead_lettered"
    assert shown["last_status_code"] == 500
    assert [a["number"] for a in shown["attempts"]] == [1, 2]
    assert shown["attempts"][1]["error"] == "connection refused"


def test_it_shows_an_outcome_whose_route_was_deleted(api, route):
    event = make_event(route.source)
    make_outcome(event, route)
    route.delete()

    [shown] = api.get(f"/api/deliveries/{event.pk}/").json()["outcomes"]

    assert shown["route"] == route.pk
    assert shown["route_name"] == "pushes"
    assert shown["route_deleted"] is True
    assert shown["destination_deleted"] is False


def test_it_shows_an_outcome_whose_route_link_was_cleared_before_deletes_were_soft(api, route):
    event = make_event(route.source)
    outcome = make_outcome(event, route)
    Outcome.objects.filter(pk=outcome.pk).update(route=None)

    [shown] = api.get(f"/api/deliveries/{event.pk}/").json()["outcomes"]

    assert shown["route"] is None
    assert shown["route_name"] == ""
    assert shown["route_deleted"] is True


def test_it_filters_events(api, route):
    source = route.source
    other = make_source(slug="stripe")
    old = make_event(source, received_at=timezone.now() - timedelta(days=2), event_type="issues")
    failed = make_event(source, status=EventStatus.SIG_FAILED, event_type="push")
    dead = make_event(source, {"ref": "refs/heads/needle"})
    make_outcome(dead, route, OutcomeStatus.DEAD_LETTERED)
    elsewhere = make_event(other, event_type="charge.succeeded")

    since = (timezone.now() - timedelta(days=1)).isoformat()
    assert ids(api.get(f"/api/deliveries/?source={other.pk}")) == [elsewhere.pk]
    assert ids(api.get("/api/deliveries/?source_slug=stripe")) == [elsewhere.pk]
    assert ids(api.get("/api/deliveries/?status=sig_failed")) == [failed.pk]
    assert ids(api.get("/api/deliveries/?outcome_status=dead_lettered")) == [dead.pk]
    assert ids(api.get("/api/deliveries/?event_type=issues")) == [old.pk]
    assert old.pk not in ids(api.get("/api/deliveries/", {"received_after": since}))
    assert ids(api.get("/api/deliveries/", {"received_before": since})) == [old.pk]
    assert ids(api.get("/api/deliveries/?search=needle")) == [dead.pk]
    assert ids(api.get("/api/deliveries/?ordering=received_at"))[0] == old.pk


def test_the_dead_letter_filter_finds_every_dead_letter_newest_first(api, route):
    now = timezone.now()
    at = [now - timedelta(minutes=m) for m in (50, 40, 30, 20, 10)]
    older, old, newest = (make_event(route.source, received_at=at[i]) for i in (0, 1, 3))
    for event in (older, old, newest):
        make_outcome(event, route, OutcomeStatus.DEAD_LETTERED)
    make_outcome(make_event(route.source, received_at=at[2]), route, OutcomeStatus.DELIVERED)
    # Healthy events since the newest dead letter: the walk starts after them.
    for _ in range(3):
        make_outcome(make_event(route.source, received_at=at[4]), route, OutcomeStatus.DELIVERED)

    listed = api.get("/api/deliveries/?outcome_status=dead_lettered&ordering=-received_at")

    assert ids(listed) == [newest.pk, old.pk, older.pk]
    assert listed.json()["count"] == 3
    assert Outcome.objects.get(event=newest).event_received_at == newest.received_at


def test_the_dead_letter_count_counts_events_not_outcomes(api, route):
    twice = make_event(route.source)
    make_outcome(twice, route, OutcomeStatus.DEAD_LETTERED)
    make_outcome(twice, make_route(route.source, route.destination), OutcomeStatus.DEAD_LETTERED)
    make_outcome(make_event(route.source), route, OutcomeStatus.DEAD_LETTERED)
    elsewhere = make_event(make_source(slug="stripe"))
    make_outcome(elsewhere, make_route(elsewhere.source, route.destination))

    everywhere = api.get("/api/deliveries/?outcome_status=dead_lettered&page_size=1").json()
    one_source = api.get(
        "/api/deliveries/", {"outcome_status": "dead_lettered", "source": route.source_id}
    ).json()

    assert (everywhere["count"], len(everywhere["results"])) == (3, 1)
    assert everywhere["next"] is not None
    assert one_source["count"] == 2


def test_the_dead_letter_filter_finds_outcomes_older_than_the_copied_receipt_time(api, route):
    dead = make_event(route.source, received_at=timezone.now() - timedelta(hours=1))
    make_outcome(dead, route, OutcomeStatus.DEAD_LETTERED)
    newer = make_event(route.source)
    make_outcome(newer, route, OutcomeStatus.DEAD_LETTERED)
    # A row from before migration 0022 copied the time onto the outcomes.
    Outcome.objects.filter(event=newer).update(event_received_at=None)

    assert ids(api.get("/api/deliveries/?outcome_status=dead_lettered")) == [newer.pk, dead.pk]


def test_the_dead_letter_filter_of_a_destination_is_bounded_by_its_own(api, route):
    other = make_route(route.source, make_destination("http://127.0.0.1:9/other"))
    mine = make_event(route.source, received_at=timezone.now() - timedelta(hours=1))
    make_outcome(mine, route, OutcomeStatus.DEAD_LETTERED)
    make_outcome(make_event(route.source), other, OutcomeStatus.DEAD_LETTERED)

    query = {"outcome_status": "dead_lettered", "destination": route.destination_id}
    assert ids(api.get("/api/deliveries/", query)) == [mine.pk]
    assert ids(api.get("/api/deliveries/?outcome_status=dead_lettered&source=999999")) == []
    Outcome.objects.filter(status=OutcomeStatus.DEAD_LETTERED).update(
        status=OutcomeStatus.DELIVERED
    )
    assert ids(api.get("/api/deliveries/?outcome_status=dead_lettered")) == []


def test_search_finds_words_inside_bodies_that_are_not_json(api, route):
    source = route.source

    def raw(body: bytes) -> Event:
        return Event.objects.create(
            source=source, payload=None, body=body, content_type="application/xml"
        )

    xml = raw(b"<order><sku>needle-42</sku></order>")
    raw(b"<order><sku>hay</sku></order>")
    raw(b"\xff\xfe not UTF-8, and nothing to find")
    # A JSON event is searched through its parsed payload, not its raw bytes twice.
    json_event = make_event(source, {"sku": "needle-7"})

    assert sorted(ids(api.get("/api/deliveries/?search=needle"))) == sorted([xml.pk, json_event.pk])
    assert ids(api.get("/api/deliveries/", {"search": "<sku>needle-42"})) == [xml.pk]
    assert ids(api.get("/api/deliveries/?search=absent")) == []


def test_it_refuses_bad_filter_values(api):
    error = assert_error(
        api.get("/api/deliveries/?status=lost&received_after=yesterday"), 400, "validation_error"
    )

    assert {"status", "received_after"} <= set(error["fields"])


def test_it_counts_outcomes_correctly_when_filtering_by_outcome_status(api, route):
    event = make_event(route.source)
    make_outcome(event, route, OutcomeStatus.DEAD_LETTERED)
    make_outcome(event, make_route(route.source, route.destination), OutcomeStatus.DELIVERED)

    [item] = api.get("/api/deliveries/?outcome_status=dead_lettered").json()["results"]

    assert item["outcome_counts"]["delivered"] == 1
    assert item["outcome_counts"]["dead_lettered"] == 1


def test_it_replays_one_outcome(api, route, django_capture_on_commit_callbacks):
    outcome = make_outcome(make_event(route.source), route, OutcomeStatus.DEAD_LETTERED)

    with django_capture_on_commit_callbacks() as callbacks:
        response = api.post(f"/api/outcomes/{outcome.pk}/replay/")

    assert response.json() == {"queued": 1}
    assert len(callbacks) == 1
    outcome.refresh_from_db()
    assert outcome.status == OutcomeStatus.PENDING


def test_it_does_not_replay_an_outcome_in_flight(api, route):
    outcome = make_outcome(make_event(route.source), route, OutcomeStatus.DELIVERING)

    assert api.post(f"/api/outcomes/{outcome.pk}/replay/").json() == {"queued": 0}


def test_it_reroutes_an_event(api, route, django_capture_on_commit_callbacks):
    event = make_event(route.source, status=EventStatus.NO_ROUTE)

    with django_capture_on_commit_callbacks() as callbacks:
        response = api.post(f"/api/deliveries/{event.pk}/reroute/")

    assert response.json() == {"queued": 1}
    assert len(callbacks) == 1
    assert Outcome.objects.get(event=event).route == route


def test_it_bulk_replays_the_dead_letters_of_a_source_since_a_time(api, route, sink):
    source = route.source
    recent = [make_outcome(make_event(source), route) for _ in range(3)]
    old = make_outcome(make_event(source, received_at=timezone.now() - timedelta(days=3)), route)
    delivered = make_outcome(make_event(source), route, OutcomeStatus.DELIVERED)
    other_source = make_source()
    elsewhere = make_outcome(
        make_event(other_source), make_route(other_source, make_destination(sink.url))
    )
    criteria = {
        "source": source.pk,
        "received_after": (timezone.now() - timedelta(days=1)).isoformat(),
    }

    dry = api.post("/api/deliveries/bulk_replay/", {**criteria, "dry_run": True}, format="json")
    bounds = {"matched": 3, "capped": False, "limit": 10_000}
    assert dry.json() == {"would_queue": 3, **bounds}

    done = api.post("/api/deliveries/bulk_replay/", criteria, format="json")
    assert done.json() == {"queued": 3, **bounds}

    statuses = {o.pk: o.status for o in Outcome.objects.all()}
    assert {statuses[o.pk] for o in recent} == {OutcomeStatus.PENDING}
    assert statuses[old.pk] == statuses[elsewhere.pk] == OutcomeStatus.DEAD_LETTERED
    assert statuses[delivered.pk] == OutcomeStatus.DELIVERED


def test_it_bulk_replays_by_destination(api, route, sink):
    other_destination = make_destination(sink.url)
    other_route = make_route(route.source, other_destination)
    make_outcome(make_event(route.source), route)
    make_outcome(make_event(route.source), other_route)

    response = api.post(
        "/api/deliveries/bulk_replay/",
        {"destination": other_destination.pk, "dry_run": True},
        format="json",
    )

    assert response.json() == {"would_queue": 1, "matched": 1, "capped": False, "limit": 10_000}


def test_it_refuses_a_bad_bulk_replay(api):
    response = api.post(
        "/api/deliveries/bulk_replay/",
        {"outcome_status": "pending", "received_after": "soon"},
        format="json",
    )

    error = assert_error(response, 400, "validation_error")
    assert {"outcome_status", "received_after"} <= set(error["fields"])


def test_it_lists_and_filters_outcomes(api, route, sink):
    dead = make_outcome(make_event(route.source), route)
    other_route = make_route(route.source, make_destination(sink.url))
    ok = make_outcome(make_event(route.source), other_route, OutcomeStatus.DELIVERED)

    assert ids(api.get("/api/outcomes/?status=dead_lettered")) == [dead.pk]
    assert ids(api.get(f"/api/outcomes/?route={other_route.pk}")) == [ok.pk]
    assert ids(api.get(f"/api/outcomes/?destination={route.destination_id}")) == [dead.pk]
    assert set(ids(api.get(f"/api/outcomes/?source={route.source_id}"))) == {dead.pk, ok.pk}
    future = (timezone.now() + timedelta(minutes=5)).isoformat()
    assert ids(api.get("/api/outcomes/", {"since": future})) == []
    assert api.get(f"/api/outcomes/{dead.pk}/").json()["event"] == dead.event_id


def test_it_answers_404_for_a_missing_event(api):
    assert_error(api.get("/api/deliveries/999999/"), 404, "not_found")
    assert_error(api.post("/api/deliveries/999999/reroute/"), 404, "not_found")
    assert_error(api.post("/api/outcomes/999999/replay/"), 404, "not_found")
