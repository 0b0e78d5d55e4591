"""Admin for what flowed through: events, their per-route outcomes and attempts, and
the issues their failures are grouped into.

Events are read-only (they are immutable). Actions: replay outcomes, re-route events;
both skip events refused at ingest (apps.delivery.refused) and say how many they skipped.
Issues: acknowledge, resolve, replay their dead letters (apps.delivery.issues).
"""

from __future__ import annotations

import json

from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest
from django.urls import reverse
from django.utils.html import format_html, format_html_join

from apps.core.models import Attempt, Event, Issue, Outcome, Replay, ReplayVia, Route
from apps.delivery import issues
from apps.delivery.refused import NEVER_DELIVERED
from apps.delivery.replay import Requester, refused_count, replay_outcomes, reroute_event
from apps.routing.matching import RoutingError

REFUSED_WHY = "refused at ingest (signature failed or duplicate), never deliverable."


def _requester(request: HttpRequest) -> Requester:
    return Requester(request.user.get_username(), ReplayVia.ADMIN)


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request: HttpRequest, obj=None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj=None) -> bool:
        return False


class AttemptInline(admin.TabularInline):
    model = Attempt
    extra = 0
    can_delete = False
    fields = (
        "number",
        "started_at",
        "request_method",
        "request_url",
        "status_code",
        "duration_ms",
        "error",
        "response_body",
    )
    readonly_fields = fields

    def has_add_permission(self, request: HttpRequest, obj=None) -> bool:
        return False


class ReplayInline(admin.TabularInline):
    """Who replayed the outcome, when, and the attempt each replay started at."""

    model = Replay
    extra = 0
    can_delete = False
    fields = ("requested_at", "requested_by", "via", "first_attempt")
    readonly_fields = fields

    def has_add_permission(self, request: HttpRequest, obj=None) -> bool:
        return False


class OutcomeInline(admin.TabularInline):
    model = Outcome
    extra = 0
    can_delete = False
    fields = (
        "outcome_link",
        "route",
        "destination",
        "status",
        "ordering_key",
        "waiting_for",
        "attempt_count",
        "next_attempt_at",
        "last_status_code",
        "last_error",
    )
    readonly_fields = fields

    def has_add_permission(self, request: HttpRequest, obj=None) -> bool:
        return False

    @admin.display(description="outcome")
    def outcome_link(self, obj: Outcome):
        url = reverse("admin:core_outcome_change", args=[obj.pk])
        return format_html('<a href="{}">#{}</a>', url, obj.pk)


@admin.register(Event)
class EventAdmin(ReadOnlyAdmin):
    list_display = ("id", "received_at", "source", "event_type", "status", "idempotency_key")
    list_filter = ("status", "source", "event_type")
    search_fields = ("idempotency_key", "event_type")
    date_hierarchy = "received_at"
    list_select_related = ("source",)
    inlines = (OutcomeInline,)
    actions = ("reroute",)
    exclude = ("body", "headers", "payload", "routing")
    readonly_fields = (
        "source",
        "received_at",
        "event_type",
        "status",
        "error",
        "idempotency_key",
        "content_type",
        "routed_at",
        "routing_verdicts",
        "pretty_headers",
        "raw_body",
        "pretty_payload",
    )

    @admin.display(description="routing")
    def routing_verdicts(self, obj: Event):
        """Each route's verdict (apps.routing.verdicts), by the route's name now."""
        verdicts = [item for item in obj.routing or [] if isinstance(item, dict)]
        if not verdicts:
            return "—" if obj.routing is None else "the source had no routes"
        ids = {item.get("route") for item in verdicts}
        names = dict(Route.all_objects.filter(pk__in=ids).values_list("pk", "name"))
        rows = (
            (names.get(item.get("route"), f"route {item.get('route')}"), item.get("reason", ""))
            for item in verdicts
        )
        return format_html("<ul>{}</ul>", format_html_join("", "<li>{}: {}</li>", rows))

    @admin.display(description="headers")
    def pretty_headers(self, obj: Event):
        return format_html("<pre>{}</pre>", json.dumps(obj.headers, indent=2, sort_keys=True))

    @admin.display(description="body")
    def raw_body(self, obj: Event):
        return format_html("<pre>{}</pre>", obj.body_text())

    @admin.display(description="parsed payload")
    def pretty_payload(self, obj: Event):
        return format_html("<pre>{}</pre>", json.dumps(obj.payload, indent=2))

    @admin.action(description="Re-route selected events against today's routes")
    def reroute(self, request: HttpRequest, queryset: QuerySet[Event]) -> None:
        refused = queryset.filter(status__in=NEVER_DELIVERED).count()
        deliverable = queryset.exclude(status__in=NEVER_DELIVERED).select_related("source")
        queued = 0
        for event in deliverable:
            try:
                queued += reroute_event(event, by=_requester(request))
            except RoutingError as exc:
                self.message_user(request, f"Event {event.pk}: {exc}", messages.WARNING)
        self.message_user(request, f"{queued} deliveries queued.", messages.SUCCESS)
        if refused:
            note = f"{refused} event(s) skipped: {REFUSED_WHY}"
            self.message_user(request, note, messages.WARNING)


@admin.register(Outcome)
class OutcomeAdmin(ReadOnlyAdmin):
    list_display = (
        "id",
        "event_link",
        "route",
        "destination",
        "status",
        "attempt_count",
        "last_status_code",
        "next_attempt_at",
        "updated_at",
    )
    list_filter = ("status", "destination", "route")
    list_select_related = ("route", "destination")
    date_hierarchy = "created_at"
    inlines = (ReplayInline, AttemptInline)
    actions = ("replay",)

    @admin.display(description="event")
    def event_link(self, obj: Outcome):
        url = reverse("admin:core_event_change", args=[obj.event_id])
        return format_html('<a href="{}">#{}</a>', url, obj.event_id)

    @admin.action(description="Replay selected outcomes (dead letters and others)")
    def replay(self, request: HttpRequest, queryset: QuerySet[Outcome]) -> None:
        # Counted before the replay: it changes their status, and the changelist's
        # queryset may be filtered by status (a dead_lettered filter then read -1).
        selected = queryset.count()
        refused = refused_count(queryset)
        queued = replay_outcomes(queryset, by=_requester(request))
        skipped = selected - queued - refused
        note = f" {skipped} skipped (pending or in flight)." if skipped else ""
        self.message_user(request, f"{queued} outcomes queued for replay.{note}", messages.SUCCESS)
        if refused:
            note = f"{refused} outcome(s) skipped: their events were {REFUSED_WHY}"
            self.message_user(request, note, messages.WARNING)


admin.site.site_header = "RelayCore"
admin.site.site_title = "RelayCore admin"
admin.site.index_title = "Webhook gateway"


@admin.register(Attempt)
class AttemptAdmin(ReadOnlyAdmin):
    list_display = (
        "id",
        "outcome_link",
        "number",
        "started_at",
        "status_code",
        "duration_ms",
        "error",
    )
    list_filter = ("status_code", "destination")  # the (destination, started_at) index
    list_select_related = ("outcome",)
    date_hierarchy = "started_at"
    search_fields = ("error", "response_body")

    @admin.display(description="outcome")
    def outcome_link(self, obj: Attempt):
        url = reverse("admin:core_outcome_change", args=[obj.outcome_id])
        return format_html('<a href="{}">#{}</a>', url, obj.outcome_id)


@admin.register(Issue)
class IssueAdmin(ReadOnlyAdmin):
    list_display = (
        "id",
        "destination",
        "kind",
        "status",
        "count",
        "first_seen",
        "last_seen",
        "last_error",
    )
    list_filter = ("status", "kind", "destination")
    list_select_related = ("destination",)
    date_hierarchy = "last_seen"
    actions = ("acknowledge", "resolve", "replay_dead_letters")

    @admin.action(description="Acknowledge selected issues")
    def acknowledge(self, request: HttpRequest, queryset: QuerySet[Issue]) -> None:
        done = 0
        for issue in queryset:
            try:
                issues.acknowledge(issue, request.user.get_username())
                done += 1
            except issues.IssueStateError as exc:
                self.message_user(request, f"Issue {issue.pk}: {exc}", messages.WARNING)
        self.message_user(request, f"{done} issue(s) acknowledged.", messages.SUCCESS)

    @admin.action(description="Resolve selected issues (a new failure opens one again)")
    def resolve(self, request: HttpRequest, queryset: QuerySet[Issue]) -> None:
        for issue in queryset:
            issues.resolve(issue, request.user.get_username())
        self.message_user(request, f"{queryset.count()} issue(s) resolved.", messages.SUCCESS)

    @admin.action(description="Replay the dead letters of selected issues")
    def replay_dead_letters(self, request: HttpRequest, queryset: QuerySet[Issue]) -> None:
        answers = [issues.replay_dead_letters(issue, _requester(request)) for issue in queryset]
        queued = sum(answer["queued"] for answer in answers)
        self.message_user(request, f"{queued} dead letters queued for replay.", messages.SUCCESS)
        if any(answer["capped"] for answer in answers):
            note = "Some issues had more than BULK_REPLAY_MAX dead letters: run it again."
            self.message_user(request, note, messages.WARNING)
