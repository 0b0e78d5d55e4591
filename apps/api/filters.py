"""django-filter FilterSets: the query parameters of every list."""

from __future__ import annotations

from datetime import UTC, datetime

from auditlog.models import LogEntry
from django import forms
from django.core.exceptions import ValidationError
from django.db.models import Exists, F, OuterRef, Q, QuerySet
from django_filters import rest_framework as filters
from django_filters.fields import IsoDateTimeField
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field

from apps.api.roles import Role, has_role
from apps.core.models import (
    Destination,
    Event,
    EventStatus,
    Outcome,
    OutcomeStatus,
    Route,
    Source,
)

# The audit log's object_type -> the (app label, model) of its entries.
AUDITED_TYPES: dict[str, tuple[str, str]] = {
    "source": ("core", "source"),
    "destination": ("core", "destination"),
    "route": ("core", "route"),
    "transformation": ("core", "transformation"),
    "channel": ("notifications", "channel"),
    "apitoken": ("api", "apitoken"),
}
# As with /api/tokens/ itself: even who holds which token is for admins only.
ADMIN_ONLY_TYPES = frozenset({"apitoken"})
MAX_ID = 2**63 - 1


class IdField(forms.IntegerField):
    def __init__(self, *args, **kwargs) -> None:
        kwargs.setdefault("min_value", 1)
        kwargs.setdefault("max_value", MAX_ID)
        super().__init__(*args, **kwargs)


class UTCDateTimeField(IsoDateTimeField):
    """ISO 8601, handed to the database in UTC: PostgreSQL refuses offsets past 15:59."""

    def to_python(self, value):
        parsed = super().to_python(value)
        if parsed is None:
            return None
        try:
            return parsed.astimezone(UTC)
        except OverflowError:
            raise ValidationError("Date and time out of range.", code="overflow") from None


class DateTimeFilter(filters.IsoDateTimeFilter):
    field_class = UTCDateTimeField


class StrictBooleanField(forms.Field):
    """true/false (or 1/0); anything else is an error rather than "no filter"."""

    VALUES = {"true": True, "1": True, "false": False, "0": False}

    def to_python(self, value):
        if value in (None, ""):
            return None
        try:
            return self.VALUES[str(value).lower()]
        except KeyError:
            raise ValidationError("Must be true or false.", code="invalid") from None


@extend_schema_field(OpenApiTypes.BOOL)
class BooleanFilter(filters.BooleanFilter):
    field_class = StrictBooleanField

    def __init__(self, *args, **kwargs) -> None:
        kwargs.setdefault("widget", forms.TextInput)
        super().__init__(*args, **kwargs)


@extend_schema_field(OpenApiTypes.INT)
class IdFilter(filters.NumberFilter):
    """An object id: a whole number in the database's range (else 400, never a 500)."""

    field_class = IdField


def search_events(events: QuerySet[Event], term: str) -> QuerySet[Event]:
    """Free text in the parsed body (as JSON text), the event type or the idempotency key;
    in the raw body, byte for byte, when it was not JSON (no parsed payload)."""
    term = term.strip()
    if not term:
        return events
    return events.filter(
        Q(payload__icontains=term)
        | Q(payload__isnull=True, body__bytes_contains=term.encode())
        | Q(event_type__icontains=term)
        | Q(idempotency_key__icontains=term)
    )


def with_outcome(events: QuerySet[Event], **fields) -> QuerySet[Event]:
    """Events having at least one outcome with these fields (a subquery: no join to skew
    counts), e.g. status="dead_lettered", destination_id=3."""
    outcomes = Outcome.objects.filter(event=OuterRef("pk"), **fields)
    return events.filter(Exists(outcomes))


def newest_dead_letter(fields: dict) -> datetime | None:
    """The receipt time of the newest event with a dead letter of these fields:
    NO_DEAD_LETTER when there is none, None when the newest outcome predates the copied
    time (migration 0022) and the time is not known here.

    The event list walks the events newest first and asks of each whether it has a dead
    letter: on a healthy gateway every event since the last dead letter was probed for
    nothing (554 ms a page at 5 million events; docs/performance.md, "Growth"). Bounded
    by this time, the page's walk starts at the newest dead letter; the bound holds by
    construction, so the rows are the same. The count does not carry it: bounded, it
    fetched each counted event from the table for its time."""
    newest = list(
        Outcome.objects.filter(**fields)
        .order_by(F("event_received_at").desc(nulls_first=True))
        .values_list("event_received_at", flat=True)[:1]
    )
    return newest[0] if newest else NO_DEAD_LETTER


# newest_dead_letter()'s answer when there is none at all.
NO_DEAD_LETTER = datetime.min.replace(tzinfo=UTC)


class SourceFilter(filters.FilterSet):
    is_active = BooleanFilter()
    search = filters.CharFilter(method="filter_search", label="Name or slug contains")

    class Meta:
        model = Source
        fields = ["is_active", "verification_scheme"]

    def filter_search(self, queryset, name, value):
        return queryset.filter(Q(name__icontains=value) | Q(slug__icontains=value))


class DestinationFilter(filters.FilterSet):
    is_active = BooleanFilter()
    # Names only: URLs are encrypted at rest, and matching them would probe their tokens.
    search = filters.CharFilter(method="filter_search", label="Name contains")

    class Meta:
        model = Destination
        fields = ["is_active"]

    def filter_search(self, queryset, name, value):
        return queryset.filter(name__icontains=value)


class RouteFilter(filters.FilterSet):
    is_active = BooleanFilter()
    source = IdFilter(field_name="source_id")
    destination = IdFilter(field_name="destination_id")

    class Meta:
        model = Route
        fields = ["source", "destination", "is_active"]


class EventFilter(filters.FilterSet):
    source = IdFilter(field_name="source_id")
    source_slug = filters.CharFilter(field_name="source__slug")
    status = filters.ChoiceFilter(choices=EventStatus.choices)
    outcome_status = filters.ChoiceFilter(
        choices=OutcomeStatus.choices, method="by_outcome", label="Has an outcome in this status"
    )
    destination = IdFilter(method="by_outcome", label="Has an outcome to this destination")
    event_type = filters.CharFilter()
    received_after = DateTimeFilter(field_name="received_at", lookup_expr="gte")
    received_before = DateTimeFilter(field_name="received_at", lookup_expr="lt")
    search = filters.CharFilter(method="filter_search", label="Free text in the body")

    class Meta:
        model = Event
        fields = ["source", "status", "event_type"]

    def by_outcome(self, queryset, name, value):
        return queryset  # both are applied together in filter_queryset

    def filter_queryset(self, queryset):
        """With both outcome filters, one outcome must match both: the dead letters of a
        destination, not an event dead-lettered elsewhere that also went to it."""
        queryset = super().filter_queryset(queryset)
        data = self.form.cleaned_data
        wanted = {
            "status": data.get("outcome_status"),
            "destination_id": data.get("destination"),
        }
        wanted = {field: value for field, value in wanted.items() if value not in (None, "")}
        if not wanted:
            return queryset
        if wanted.get("status") == OutcomeStatus.DEAD_LETTERED:
            newest = newest_dead_letter(wanted)
            if newest == NO_DEAD_LETTER:
                return queryset.none()
            if newest is not None and self.request is not None:
                # For the page's rows only (EventPagination), not its count.
                self.request.page_bound = Q(received_at__lte=newest)
        others = [
            value
            for name, value in data.items()
            if name not in ("outcome_status", "destination") and value not in (None, "")
        ]
        if not others and self.request is not None:
            # Filtered by outcome alone: the same number of events as of distinct events
            # among those outcomes, counted from an outcome index without reading an
            # event (10,001 probes of the events took 120-520 ms at 5 million).
            self.request.count_rows = (
                Outcome.objects.filter(**wanted).order_by().values("event_id").distinct()
            )
        return with_outcome(queryset, **wanted)

    def filter_search(self, queryset, name, value):
        return search_events(queryset, value)


class OutcomeFilter(filters.FilterSet):
    status = filters.ChoiceFilter(choices=OutcomeStatus.choices)
    destination = IdFilter(field_name="destination_id")
    route = IdFilter(field_name="route_id")
    source = IdFilter(field_name="event__source_id")
    event = IdFilter(field_name="event_id")
    since = DateTimeFilter(field_name="created_at", lookup_expr="gte")

    class Meta:
        model = Outcome
        fields = ["status", "destination", "route", "source", "event"]


def audit_entries(user) -> QuerySet[LogEntry]:
    """The change-history entries this user may read: configuration, and API tokens for
    admins."""
    admin = has_role(user, Role.ADMIN)
    shown = Q(pk__in=[])
    for object_type, (app_label, model) in AUDITED_TYPES.items():
        if admin or object_type not in ADMIN_ONLY_TYPES:
            shown |= Q(content_type__app_label=app_label, content_type__model=model)
    return LogEntry.objects.filter(shown)


def without_admin_only(entries: QuerySet[LogEntry], user) -> QuerySet[LogEntry]:
    """`entries` less those only admins read, unless the user is one (the admin site's
    log lists every model's entries, so it leaves out rather than picks)."""
    if has_role(user, Role.ADMIN):
        return entries
    for object_type in ADMIN_ONLY_TYPES:
        app_label, model = AUDITED_TYPES[object_type]
        entries = entries.exclude(content_type__app_label=app_label, content_type__model=model)
    return entries


class AuditLogFilter(filters.FilterSet):
    object_type = filters.ChoiceFilter(
        choices=[(name, name) for name in AUDITED_TYPES], field_name="content_type__model"
    )
    object_id = filters.CharFilter(field_name="object_pk")
    actor = filters.CharFilter(method="by_actor")

    class Meta:
        model = LogEntry
        fields = ["object_type", "object_id", "actor"]

    def by_actor(self, queryset, name: str, value: str):
        # A user's name, or the --actor of a command run by someone with no user.
        return queryset.filter(Q(actor__username=value) | Q(additional_data__actor=value))
