"""The evaluator against the real pipeline: a destination at a local server that fails,
is disabled, heals and is enabled; dead letters; a burst of refused signatures."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from apps.core.models import Outcome, OutcomeStatus
from apps.ingestion import refusals
from apps.notifications import sending
from apps.notifications.evaluate import evaluate
from apps.notifications.models import Notification
from tests.factories import github_signature, make_destination, make_source
from tests.notifications.conftest import bodies, webhook_channel

pytestmark = pytest.mark.django_db(transaction=True)


def types_sent() -> list[str]:
    return list(Notification.objects.order_by("id").values_list("type", flat=True))


def test_a_failing_destination_is_told_once_then_disabled_then_recovered(pipe, hooks, settings):
    webhook_channel(hooks.url)
    pipe.deliver(4, status=500)
    evaluate()
    assert types_sent() == []  # 4 < NOTIFY_FAILING_CONSECUTIVE

    pipe.deliver(1, status=500)
    evaluate()
    evaluate()
    assert types_sent() == ["destination.failing"]

    pipe.deliver(3, status=500)
    evaluate()
    assert types_sent() == ["destination.failing"]

    pipe.destination.is_active = False
    pipe.destination.save()
    evaluate()
    evaluate()
    assert types_sent() == ["destination.failing", "destination.disabled"]

    pipe.destination.is_active = True
    pipe.destination.save()
    assert pipe.deliver(1, status=200) == ["delivered"]
    evaluate()
    evaluate()
    assert types_sent() == [
        "destination.failing",
        "destination.disabled",
        "destination.recovered",
    ]
    assert sending.send_due() == 3
    failing, disabled, recovered = bodies(hooks)
    subject = {"kind": "destination", "id": pipe.destination.pk, "name": "billing"}
    assert failing["subject"] == subject
    assert failing["data"]["consecutive_failures"] == 5
    assert failing["data"]["reason"] == "consecutive_failures"
    assert failing["summary"] == "Destination billing is failing: 5 consecutive failures."
    assert failing["links"]["dashboard"].startswith(settings.PUBLIC_URL)
    assert disabled["data"]["is_active"] is False
    assert recovered["data"]["after"] == "disabled"


def test_a_failure_ratio_over_the_window_is_failing_too(pipe, hooks, settings):
    settings.NOTIFY_FAILING_CONSECUTIVE = 100
    webhook_channel(hooks.url)
    for _ in range(3):
        pipe.deliver(3, status=500)
        pipe.deliver(1, status=200)
    evaluate()

    [notice] = Notification.objects.all()
    assert notice.type == "destination.failing"
    assert notice.body["data"]["reason"] == "failure_ratio"
    assert notice.body["data"]["attempts_in_window"] == 12
    assert notice.body["data"]["failures_in_window"] == 9


def test_a_flapping_destination_gives_no_storm(pipe, hooks):
    webhook_channel(hooks.url)
    for _ in range(4):
        pipe.deliver(5, status=500)
        evaluate()
        pipe.deliver(1, status=200)
        evaluate()

    assert types_sent() == ["destination.failing", "destination.recovered"]


def test_after_the_debounce_window_a_new_failure_is_told(pipe, hooks, settings):
    webhook_channel(hooks.url)
    pipe.deliver(5, status=500)
    evaluate()
    pipe.deliver(1, status=200)
    evaluate()
    pipe.deliver(5, status=500)
    evaluate()
    assert types_sent() == ["destination.failing", "destination.recovered"]

    evaluate(timezone.now() + timedelta(seconds=settings.NOTIFY_DEBOUNCE_SECONDS + 1))

    assert types_sent() == ["destination.failing", "destination.recovered", "destination.failing"]


def test_a_channel_limited_to_other_destinations_gets_nothing(pipe, hooks):
    other = make_destination("http://127.0.0.1:9/", name="other")
    limited = webhook_channel(hooks.url, name="limited", destinations=[other.pk])
    everything = webhook_channel(hooks.url, name="everything")
    pipe.deliver(5, status=500)

    evaluate()

    assert not Notification.objects.filter(channel=limited).exists()
    assert Notification.objects.get(channel=everything).type == "destination.failing"


def test_a_channel_not_subscribed_to_the_type_gets_nothing(pipe, hooks):
    only_dead = webhook_channel(hooks.url, types=["dead_letters"])
    pipe.deliver(5, status=500)

    evaluate()

    assert not Notification.objects.filter(channel=only_dead).exists()


def test_an_inactive_channel_gets_nothing(pipe, hooks):
    webhook_channel(hooks.url, is_active=False)
    pipe.deliver(5, status=500)

    evaluate()

    assert not Notification.objects.exists()


def test_the_dead_letter_digest_counts_those_since_the_last_one(pipe, hooks, settings):
    settings.NOTIFY_FAILING_CONSECUTIVE = 1000
    webhook_channel(hooks.url, types=["dead_letters"])
    pipe.deliver(3, status=400)  # a 4xx is permanent: dead-lettered at once
    assert Outcome.objects.filter(status=OutcomeStatus.DEAD_LETTERED).count() == 3

    evaluate()
    pipe.deliver(2, status=400)
    evaluate()  # within NOTIFY_DIGEST_SECONDS: waits
    [first] = Notification.objects.all()
    assert first.body["data"]["count"] == 3
    assert first.body["summary"].startswith("3 events dead-lettered to billing in the last")
    assert len(first.body["data"]["outcome_ids"]) == 3

    evaluate(timezone.now() + timedelta(seconds=settings.NOTIFY_DIGEST_SECONDS + 1))

    second = Notification.objects.exclude(pk=first.pk).get()
    assert second.body["data"]["count"] == 2
    assert "api" in second.body["links"]


def test_a_signature_burst_is_told_once_counting_unstored_refusals(client, hooks, settings):
    settings.SIG_FAILED_RECORDS_PER_MINUTE = 8  # the rest are counted in Redis only
    settings.NOTIFY_SIGNATURE_BURST = 20
    source = make_source(slug="gh", verification_scheme="github", secret="right")
    webhook_channel(hooks.url, types=["source.signature_failures"])
    body = b'{"a": 1}'
    for _ in range(19):
        response = client.post(
            "/webhooks/receive/gh/",
            data=body,
            content_type="application/json",
            HTTP_X_HUB_SIGNATURE_256=github_signature("wrong", body),
        )
        assert response.status_code == 401
    evaluate()
    assert not Notification.objects.exists()

    refusals.count_unstored(source.pk)
    evaluate()
    evaluate()

    [notice] = Notification.objects.all()
    assert notice.subject == f"source:{source.pk}"
    assert (notice.body["data"]["stored"], notice.body["data"]["unstored"]) == (8, 12)
    assert notice.body["data"]["count"] == 20


def test_overlapping_passes_do_not_both_notify(pipe, hooks, clean_redis):
    from apps.notifications import tasks

    webhook_channel(hooks.url)
    pipe.deliver(5, status=500)
    held = clean_redis.lock(tasks.EVALUATE_LOCK, timeout=30)
    assert held.acquire(blocking=False)

    assert tasks.evaluate_notifications() == 0
    assert not Notification.objects.exists()

    held.release()
    assert tasks.evaluate_notifications() == 1
