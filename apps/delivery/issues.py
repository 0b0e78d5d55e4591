"""Issues: failed attempts grouped by destination and error kind, and what an operator
does with one.

The grouping is written where attempts are recorded (apps.delivery.batch.record_many,
through apps.core.storage.upsert_issues): one statement per batch that has failures,
none for a batch of successes, and an issue is up to date the moment its attempt is.
(A Beat scan behind a watermark would add a lag and a second reading of every failed
attempt, for no saving on the path that matters: successes cost nothing either way.)

    affected_outcomes   the outcomes to the issue's destination with a failed attempt of
                        its kind (the events an operator looks at)
    acknowledge         open -> acknowledged: someone is on it; new failures keep it so
    resolve             open/acknowledged -> resolved; a new failure opens it again
    replay_dead_letters the affected outcomes that are dead letters, replayed (bounded,
                        oldest first, as every bulk replay: apps.delivery.replay)

Nothing here deletes or rewrites history: counts, first and last seen stay as they were.
"""

from __future__ import annotations

from django.db.models import Exists, OuterRef, QuerySet
from django.utils import timezone

from apps.core.models import Attempt, Issue, IssueStatus, Outcome, OutcomeStatus
from apps.delivery.replay import Requester, bounded_replay


class IssueStateError(Exception):
    """The issue is not in a state that allows this action."""


def affected_outcomes(issue: Issue) -> QuerySet[Outcome]:
    failed_of_kind = Attempt.objects.filter(outcome_id=OuterRef("pk"), error_kind=issue.kind)
    return Outcome.objects.filter(destination_id=issue.destination_id).filter(
        Exists(failed_of_kind)
    )


def acknowledge(issue: Issue, by: str) -> Issue:
    """Mark an open issue acknowledged (again: a no-op); a resolved one cannot be."""
    if issue.status == IssueStatus.RESOLVED:
        raise IssueStateError("this issue is resolved; it opens again on its next failure")
    if issue.status == IssueStatus.OPEN:
        # Conditional: a concurrent resolve is not overwritten.
        Issue.objects.filter(pk=issue.pk, status=IssueStatus.OPEN).update(
            status=IssueStatus.ACKNOWLEDGED, acknowledged_at=timezone.now(), acknowledged_by=by
        )
    issue.refresh_from_db()
    return issue


def resolve(issue: Issue, by: str) -> Issue:
    """Mark the issue resolved (a resolved one stays as it is)."""
    Issue.objects.filter(pk=issue.pk).exclude(status=IssueStatus.RESOLVED).update(
        status=IssueStatus.RESOLVED, resolved_at=timezone.now(), resolved_by=by
    )
    issue.refresh_from_db()
    return issue


def replay_dead_letters(issue: Issue, by: Requester) -> dict:
    """Replay the issue's dead letters: {queued, matched, capped, limit}."""
    dead = affected_outcomes(issue).filter(status=OutcomeStatus.DEAD_LETTERED)
    return bounded_replay(dead, by=by)
