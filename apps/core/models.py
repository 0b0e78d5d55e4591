"""The data every stage shares.

Source -> Route -> Destination is the configuration. An inbound event is a
Event (immutable once written); each route it matched gets an Outcome
with its own status and retry schedule; each HTTP try is an Attempt. Failed attempts
are grouped into Issues, one per destination and error kind (apps/delivery/issues.py).

Configuration is deleted softly (apps/core/deletion.py): `delete()` sets `deleted_at`,
the default manager (`objects`) hides such rows from every list and lookup, while the
history that points at them (`event.source`, `outcome.route`, `outcome.destination`,
through Django's base manager) still reads them, names included. Those history links
PROTECT, so not even a hard delete can take events or outcomes with it.

A configuration model's clean() runs the rules that apps.config registers in
apps/core/validators.py: they belong to the stages, which core does not import.
"""

from __future__ import annotations

import secrets
from datetime import datetime

from django.db import models, transaction
from django.utils import timezone

from apps.core import validators
from apps.core.fields import EncryptedTextField


class SoftDeleteQuerySet(models.QuerySet):
    def delete(self) -> tuple[int, dict[str, int]]:
        """Soft-delete each row through its model's delete() (which does the rest)."""
        count = 0
        for obj in self:
            obj.delete()
            count += 1
        return count, {self.model._meta.label: count}


class LiveManager(models.Manager.from_queryset(SoftDeleteQuerySet)):
    """The default manager of configuration: deleted rows are not there."""

    def get_queryset(self) -> SoftDeleteQuerySet:
        return super().get_queryset().filter(deleted_at__isnull=True)


def _live_unique(field: str, name: str) -> models.UniqueConstraint:
    # A deleted row keeps its name or slug for history; a new one may take it.
    return models.UniqueConstraint(
        fields=[field], condition=models.Q(deleted_at__isnull=True), name=name
    )


class SoftDeletable(models.Model):
    deleted_at = models.DateTimeField(null=True, blank=True, editable=False)

    objects = LiveManager()
    # Every row, deleted ones included (the base manager, used by related access, too).
    all_objects = models.Manager()  # noqa: DJ012 (a manager, not a field)

    class Meta:
        abstract = True
        base_manager_name = "all_objects"

    @property
    def is_deleted(self) -> bool:
        return self.deleted_at is not None

    def delete(self, using=None, keep_parents=False) -> tuple[int, dict[str, int]]:
        """Mark deleted (history stays readable); see apps/core/deletion.py."""
        from apps.core.deletion import soft_delete

        soft_delete(self)
        return 1, {self._meta.label: 1}


class Source(SoftDeletable):
    name = models.CharField(max_length=200)
    slug = models.SlugField(max_length=100)
    # No default: accepting unsigned requests must be a choice someone made ("none").
    verification_scheme = models.CharField(max_length=32)
    secret = EncryptedTextField(blank=True, default="")
    previous_secret = EncryptedTextField(blank=True, default="")
    previous_secret_expires_at = models.DateTimeField(null=True, blank=True)
    # Scheme-specific settings: header name, algorithm, encoding, prefix, username.
    verification_options = models.JSONField(default=dict, blank=True)
    event_type_header = models.CharField(max_length=100, blank=True, default="X-GitHub-Event")
    event_type_path = models.CharField(
        max_length=300, blank=True, default="", help_text="JSONPath into the body, e.g. $.type"
    )
    idempotency_header = models.CharField(
        max_length=100,
        blank=True,
        default="",
        help_text="Empty: X-GitHub-Delivery, Idempotency-Key or webhook-id, else a body hash",
    )
    # For schemes that sign only the body: the body's hash is the idempotency key, so a
    # captured request replayed with a fresh unsigned id header is still a duplicate.
    dedupe_by_body = models.BooleanField(
        default=True,
        help_text="For body-only signatures (GitHub, Shopify, HMAC): identical bodies are "
        "duplicates whatever their id header. Turn off for producers that resend "
        "identical bodies as new events.",
    )
    rate_limit_per_minute = models.PositiveIntegerField(default=0, help_text="0 = unlimited")
    is_active = models.BooleanField(default=True)
    # Paused: events are accepted, stored and routed, into held outcomes: nothing is sent
    # until it resumes (apps/delivery/holding.py).
    paused = models.BooleanField(default=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta(SoftDeletable.Meta):
        ordering = ["name"]
        constraints = [_live_unique("slug", "source_slug_unique_live")]

    def __str__(self) -> str:
        return f"{self.name} ({self.slug})"

    def clean(self) -> None:
        validators.validate(self)

    def verification_secrets(self, now: datetime | None = None) -> list[str]:
        """The secrets a signature may be made with: the current one, and the previous
        one while its overlap window lasts."""
        now = now or timezone.now()
        found = [self.secret] if self.secret else []
        if self.previous_secret and (
            self.previous_secret_expires_at is None or self.previous_secret_expires_at > now
        ):
            found.append(self.previous_secret)
        return found


class Destination(SoftDeletable):
    name = models.CharField(max_length=200)
    # Encrypted at rest: Slack, Discord and many other URLs carry their token.
    url = EncryptedTextField()
    # "Header-Name: value"; encrypted at rest, decrypted only in memory when sending.
    auth_header = EncryptedTextField(blank=True, default="")
    timeout_seconds = models.FloatField(default=10.0)
    signing_secret = EncryptedTextField(blank=True, default="")
    previous_signing_secret = EncryptedTextField(blank=True, default="")
    previous_signing_secret_expires_at = models.DateTimeField(null=True, blank=True)
    # Inactive (by hand or by auto-disable) or paused: its outcomes are held, not sent.
    is_active = models.BooleanField(default=True)
    paused = models.BooleanField(default=False)
    # Set by auto-disable (apps/delivery/health.py), cleared when it is enabled again.
    disabled_at = models.DateTimeField(null=True, blank=True)
    disabled_reason = models.TextField(blank=True, default="")
    consecutive_failures = models.PositiveIntegerField(default=0)
    # When the current run of consecutive failures began (null while it succeeds).
    failing_since = models.DateTimeField(null=True, blank=True)
    # The breaker's rest (a short pause after DESTINATION_BREAKER_THRESHOLD failures).
    disabled_until = models.DateTimeField(null=True, blank=True)
    last_error = models.TextField(blank=True, default="")
    last_success_at = models.DateTimeField(null=True, blank=True)
    last_failure_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta(SoftDeletable.Meta):
        ordering = ["name"]
        constraints = [_live_unique("name", "destination_name_unique_live")]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        validators.validate(self)

    def signing_secrets(self, now: datetime | None = None) -> list[str]:
        now = now or timezone.now()
        found = [self.signing_secret] if self.signing_secret else []
        if self.previous_signing_secret and (
            self.previous_signing_secret_expires_at is None
            or self.previous_signing_secret_expires_at > now
        ):
            found.append(self.previous_signing_secret)
        return found


class Transformation(SoftDeletable):
    """A user's JavaScript defining ``transform(event)`` (apps/transformers/javascript.py).

    ``version`` goes up by one with every change of ``code``, and each version's code is
    kept as a TransformationVersion, so an attempt can name the code that shaped it.
    """

    name = models.CharField(max_length=200)
    description = models.TextField(blank=True, default="")
    code = models.TextField()
    version = models.PositiveIntegerField(default=0, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta(SoftDeletable.Meta):
        ordering = ["name"]
        constraints = [_live_unique("name", "transformation_name_unique_live")]

    def __str__(self) -> str:
        return f"{self.name} (v{self.version})"

    def save(self, *args, **kwargs) -> None:
        """A new row or new code is a new version, kept beside the row."""
        stored = None
        if self.pk and not self._state.adding:
            rows = type(self).all_objects.filter(pk=self.pk)
            stored = rows.values_list("code", flat=True).first()
        changed = self._state.adding or stored is None or stored != self.code
        fields = kwargs.get("update_fields")
        if changed and fields is not None:
            kwargs["update_fields"] = {*fields, "version"}
        with transaction.atomic():
            if changed:
                self.version += 1
            super().save(*args, **kwargs)
            if changed:
                TransformationVersion.objects.create(
                    transformation=self, version=self.version, code=self.code
                )

    def clean(self) -> None:
        validators.validate(self)


class TransformationVersion(models.Model):
    """The code of one version of a transformation, as it was saved; never changed."""

    transformation = models.ForeignKey(
        Transformation, on_delete=models.PROTECT, related_name="versions"
    )
    version = models.PositiveIntegerField()
    code = models.TextField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["transformation", "-version"]
        constraints = [
            models.UniqueConstraint(
                fields=["transformation", "version"], name="one_row_per_transformation_version"
            )
        ]

    def __str__(self) -> str:
        return f"{self.transformation} version {self.version}"


def default_event_types() -> list[str]:
    return ["*"]


class Route(SoftDeletable):
    name = models.CharField(max_length=200)
    source = models.ForeignKey(Source, on_delete=models.CASCADE, related_name="routes")
    destination = models.ForeignKey(Destination, on_delete=models.PROTECT, related_name="routes")
    event_types = models.JSONField(default=default_event_types, blank=True)
    # [{"path": "$.ref", "op": "equals", "value": "refs/heads/main"}, ...]; all must pass.
    conditions = models.JSONField(default=list, blank=True)
    # A built-in transformer by name, or (then `transformer` is empty) a user's
    # JavaScript transformation.
    transformer = models.CharField(max_length=64, default="passthrough", blank=True)
    transformation = models.ForeignKey(
        Transformation, on_delete=models.PROTECT, null=True, blank=True, related_name="routes"
    )
    transformer_options = models.JSONField(default=dict, blank=True)
    priority = models.IntegerField(default=100, help_text="Higher runs first")
    rate_limit_per_minute = models.PositiveIntegerField(default=0, help_text="0 = unlimited")
    is_active = models.BooleanField(default=True)
    # Paused: its outcomes are held, not sent, until it is resumed.
    paused = models.BooleanField(default=False)
    # Ordered delivery (apps/delivery/ordering.py): a JSONPath into the body or
    # `headers.<name>`; events with the same value go one after another, in receipt order.
    ordering_key = models.CharField(
        max_length=300,
        blank=True,
        default="",
        help_text="Empty: unordered. $.repository.full_name or headers.x-shopify-shop-domain",
    )
    # Whether a dead letter holds back the later events of its key until it is replayed.
    ordering_dead_letter_blocks = models.BooleanField(
        default=False, help_text="A dead letter blocks its key until replayed"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta(SoftDeletable.Meta):
        ordering = ["-priority", "id"]
        constraints = [_live_unique("name", "route_name_unique_live")]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        validators.validate(self)


class EventStatus(models.TextChoices):
    RECEIVED = "received"
    SIG_FAILED = "sig_failed"
    DUPLICATE = "duplicate"
    ROUTED = "routed"
    # The source has routes and none took the event: `routing` says why for each one.
    # (An outcome's `filtered` is another thing: a transformation that returned null.)
    FILTERED = "filtered"
    # The source has no active route at all.
    NO_ROUTE = "no_route"
    # Routing it failed or timed out ROUTING_MAX_FAILURES times; the reason is in `error`.
    # Never swept again; a re-route (API, admin) tries once more.
    ROUTING_FAILED = "routing_failed"


class Event(models.Model):
    """One inbound event, as received. Its content never changes after the insert."""

    IMMUTABLE_FIELDS = (
        "source_id",
        "received_at",
        "headers",
        "body",
        "payload",
        "event_type",
        "query_string",
    )

    source = models.ForeignKey(Source, on_delete=models.PROTECT, related_name="events")
    received_at = models.DateTimeField(default=timezone.now)
    headers = models.JSONField(default=dict)
    body = models.BinaryField()
    content_type = models.CharField(max_length=200, blank=True, default="")
    payload = models.JSONField(null=True, blank=True)
    event_type = models.CharField(max_length=200, blank=True, default="")
    idempotency_key = models.CharField(max_length=300, blank=True, default="")
    status = models.CharField(max_length=20, choices=EventStatus.choices)
    error = models.CharField(max_length=500, blank=True, default="")
    # Set on sig_failed rows, whose body is kept only up to SIG_FAILED_BODY_BYTES: the
    # size and SHA-256 of the whole body as received.
    body_size = models.PositiveBigIntegerField(null=True, blank=True)
    # db_default: raw INSERTs that predate the column (bench/views.py) still work.
    body_sha256 = models.CharField(max_length=64, blank=True, default="", db_default="")
    routed_at = models.DateTimeField(null=True, blank=True)
    # Each route's verdict when it was routed, apps.routing.verdicts: [{"route": 3,
    # "matched": false, "reason": "condition 1 failed: ..."}]. Written in the UPDATE that
    # sets the status; null for events not routed yet, or routed before verdicts were kept.
    routing = models.JSONField(null=True, blank=True)
    # Failed or timed-out routing attempts; reset by a successful re-route.
    # db_default: ingest inserts rows with its own INSERT, which does not name this column.
    routing_failures = models.PositiveSmallIntegerField(default=0, db_default=0)
    # The request's query string as received ("a=1&b=2"), for `query.<name>` conditions.
    # db_default: raw INSERTs that predate the column (bench/views.py) still work.
    query_string = models.CharField(max_length=2000, blank=True, default="", db_default="")
    # Set when retention emptied body, headers and payload; such an event cannot replay.
    purged_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-received_at", "-id"]
        db_table = "core_webhookdelivery"  # the model's first name; no data moved
        indexes = [
            models.Index(fields=["source", "-received_at"]),
            models.Index(fields=["status", "received_at"]),
            models.Index(fields=["-received_at"]),
        ]

    def __str__(self) -> str:
        return f"event {self.pk} ({self.event_type or 'untyped'})"

    def save(self, *args, **kwargs) -> None:
        fields = kwargs.get("update_fields")
        if (
            self.pk
            and not self._state.adding
            and (fields is None or set(fields) & set(self.IMMUTABLE_FIELDS))
        ):
            raise ValueError("a stored event is immutable; only its status may change")
        super().save(*args, **kwargs)

    @property
    def body_truncated(self) -> bool:
        return self.body_size is not None and self.body_size > len(bytes(self.body))

    def body_text(self) -> str:
        return bytes(self.body).decode("utf-8", errors="replace")


class OutcomeStatus(models.TextChoices):
    PENDING = "pending"
    DELIVERING = "delivering"
    RETRYING = "retrying"
    DELIVERED = "delivered"
    DEAD_LETTERED = "dead_lettered"
    # Its destination or route is paused or disabled: nothing sent, nothing counted,
    # released (pending again) on resume or enable. apps/delivery/holding.py.
    HELD = "held"
    # The route's transformation returned null: nothing sent, by design, not a failure.
    FILTERED = "filtered"
    # Behind an earlier event of the same ordering key (`waiting_for`); made pending when
    # that one is finished. apps/delivery/ordering.py.
    WAITING = "waiting"


# Statuses after which an outcome never changes by itself (a replay may start it again).
FINISHED = (OutcomeStatus.DELIVERED, OutcomeStatus.FILTERED, OutcomeStatus.DEAD_LETTERED)


def new_message_id() -> str:
    return "msg_" + secrets.token_hex(12)


class Outcome(models.Model):
    """What happened to one event on one route: its status and retry schedule."""

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="outcomes")
    # Null only on rows from before deletes were soft (the link was cleared then).
    route = models.ForeignKey(Route, on_delete=models.PROTECT, null=True, related_name="outcomes")
    destination = models.ForeignKey(
        Destination, on_delete=models.PROTECT, null=True, related_name="outcomes"
    )
    status = models.CharField(
        max_length=20, choices=OutcomeStatus.choices, default=OutcomeStatus.PENDING
    )
    # Attempts in the current series (a replay starts a new one), and over all series.
    attempt_count = models.PositiveIntegerField(default=0)
    total_attempts = models.PositiveIntegerField(default=0)
    next_attempt_at = models.DateTimeField(null=True, blank=True)
    # While DELIVERING: when a worker's claim runs out (it died; the dispatcher re-runs it).
    lease_expires_at = models.DateTimeField(null=True, blank=True)
    last_status_code = models.PositiveIntegerField(null=True, blank=True)
    last_error = models.TextField(blank=True, default="")
    delivered_at = models.DateTimeField(null=True, blank=True)
    # Outbound webhook-id: the same for every retry of this outcome.
    message_id = models.CharField(max_length=40, default=new_message_id, editable=False)
    # The value of its route's ordering key for this event ("" = unordered), and while
    # WAITING the outcome it waits for. apps/delivery/ordering.py.
    ordering_key = models.CharField(max_length=200, blank=True, default="", db_default="")
    waiting_for = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        db_constraint=False,  # a link for the eye; retention may take the row it names
    )
    # The event's receipt time, copied so the dead letters can be read in the order the
    # event list shows them (index below). Null on rows older than the copy.
    event_received_at = models.DateTimeField(null=True, blank=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        db_table = "core_routeoutcome"  # the model's first name
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["event", "route"], name="one_outcome_per_route")
        ]
        indexes = [
            models.Index(fields=["status", "next_attempt_at"]),
            models.Index(fields=["destination", "status"]),
            models.Index(fields=["route", "status"]),
            # An ordering key's unfinished outcomes, in receipt order (dead letters too:
            # a route may let them block the key).
            models.Index(
                fields=["route", "ordering_key", "event"],
                name="outcome_ordering_chain",
                condition=~models.Q(ordering_key="")
                & ~models.Q(status__in=["delivered", "filtered"]),
            ),
            # The overview's recent failures, newest first, without sorting every dead
            # letter. Partial: only failing rows are written to it (status changes make
            # outcome updates non-HOT already, so the others cost nothing).
            models.Index(
                fields=["-updated_at", "-id"],
                name="outcome_recent_failures",
                condition=models.Q(status__in=["dead_lettered", "retrying"]),
            ),
            # The events having a dead letter (the deliveries page's filter, bulk
            # replay): read from this index alone, where the status index sent the
            # count to every dead letter's row. Written only as an outcome dies.
            models.Index(
                fields=["event"],
                name="outcome_dead_letters",
                condition=models.Q(status="dead_lettered"),
            ),
            # The newest dead letter's event time: the event list's dead-letter filter
            # starts its walk of the events there (apps/api/filters.py).
            models.Index(
                fields=["event_received_at"],
                name="outcome_dead_letters_by_time",
                condition=models.Q(status="dead_lettered"),
            ),
        ]

    def __str__(self) -> str:
        return f"event {self.event_id} -> {self.destination or 'deleted destination'}"

    def save(self, *args, **kwargs) -> None:
        if self.event_received_at is None and self.event_id is not None:
            self.event_received_at = self.event.received_at
        super().save(*args, **kwargs)


class ErrorKind(models.TextChoices):
    """What went wrong in a failed attempt: failures of one destination and one kind
    are one Issue. The sender decides it where the error is known (http_client, rules)."""

    HTTP_4XX = "http_4xx", "HTTP 4xx"
    HTTP_5XX = "http_5xx", "HTTP 5xx"
    TIMEOUT = "timeout", "Timeout"
    CONNECTION = "connection", "Connection failed"
    SSRF_REFUSED = "ssrf_refused", "Refused by the SSRF guard"
    TRANSFORM_ERROR = "transform_error", "Transformation failed"
    OTHER = "other", "Other"


class Attempt(models.Model):
    outcome = models.ForeignKey(Outcome, on_delete=models.CASCADE, related_name="attempts")
    # The outcome's destination, copied so that a destination's figures over a window
    # (apps/api/destination_stats.py) read one range of the (destination, started_at)
    # index instead of every attempt of every outcome it ever had.
    destination = models.ForeignKey(
        Destination, on_delete=models.PROTECT, null=True, db_index=False, related_name="+"
    )
    number = models.PositiveIntegerField()
    started_at = models.DateTimeField()
    duration_ms = models.FloatField()
    status_code = models.PositiveIntegerField(null=True, blank=True)
    response_body = models.TextField(blank=True, default="")
    error = models.TextField(blank=True, default="")
    # The JavaScript transformation (and its version) that shaped this attempt's body;
    # null for built-in transformers. Its code: TransformationVersion(transformation,
    # version). db_default: raw INSERTs that predate the columns still work.
    transformation = models.ForeignKey(
        Transformation, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    transformation_version = models.PositiveIntegerField(null=True, blank=True)
    # Empty for a success; otherwise which Issue the failure counts in.
    error_kind = models.CharField(
        max_length=20, choices=ErrorKind.choices, blank=True, default="", db_default=""
    )
    # The request as sent, masked before it is stored (apps/delivery/recorded.py): the
    # signature, the auth header and a URL's credential never reach these columns. The
    # method is "" when nothing was sent (a transformation failed, the route was
    # deleted); the body is cut at ATTEMPT_BODY_LIMIT_BYTES, its whole size kept.
    request_method = models.CharField(max_length=10, blank=True, default="")
    request_url = models.TextField(blank=True, default="")
    request_headers = models.JSONField(default=dict, blank=True)
    request_body = models.TextField(blank=True, default="")
    request_body_size = models.PositiveIntegerField(null=True, blank=True)
    request_body_truncated = models.BooleanField(default=False)
    response_headers = models.JSONField(default=dict, blank=True)

    class Meta:
        db_table = "core_deliveryattempt"  # the model's first name
        ordering = ["outcome", "number"]
        indexes = [
            # Carries what a destination's figures read (apps/api/destination_stats.py),
            # so a window is counted from the index alone.
            models.Index(
                fields=["destination", "started_at"],
                include=["duration_ms", "status_code"],
                name="attempt_destination_window",
            )
        ]

    def __str__(self) -> str:
        return f"attempt {self.number} of outcome {self.outcome_id}"

    @property
    def succeeded(self) -> bool:
        return self.status_code is not None and 200 <= self.status_code < 300


class IssueStatus(models.TextChoices):
    OPEN = "open"
    ACKNOWLEDGED = "acknowledged"
    RESOLVED = "resolved"


class Issue(models.Model):
    """The failures of one destination of one kind, grouped: counted as they are
    recorded (apps.core.storage.upsert_issues), so a new failure of a resolved issue
    opens it again with its counts going on. Acknowledging or resolving deletes nothing."""

    destination = models.ForeignKey(Destination, on_delete=models.PROTECT, related_name="issues")
    kind = models.CharField(max_length=20, choices=ErrorKind.choices)
    status = models.CharField(max_length=20, choices=IssueStatus.choices, default=IssueStatus.OPEN)
    count = models.PositiveIntegerField(default=0, help_text="Failed attempts, all time")
    first_seen = models.DateTimeField()
    last_seen = models.DateTimeField()
    last_error = models.TextField(blank=True, default="")
    last_status_code = models.PositiveIntegerField(null=True, blank=True)
    acknowledged_at = models.DateTimeField(null=True, blank=True)
    acknowledged_by = models.CharField(max_length=150, blank=True, default="")
    resolved_at = models.DateTimeField(null=True, blank=True)
    resolved_by = models.CharField(max_length=150, blank=True, default="")
    reopened_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-last_seen", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["destination", "kind"], name="one_issue_per_kind")
        ]
        indexes = [models.Index(fields=["status", "last_seen"])]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} at destination {self.destination_id}"


class ReplayVia(models.TextChoices):
    API = "api", "the dashboard or the API"
    ADMIN = "admin", "the admin"
    CLI = "cli", "the command line"  # manage.py replay


class Replay(models.Model):
    """Someone asked for a fresh series of attempts for an outcome: who, how, when, and
    the number its first attempt gets (attempt numbers run on across series), so the
    timeline can mark where the series starts."""

    outcome = models.ForeignKey(Outcome, on_delete=models.CASCADE, related_name="replays")
    first_attempt = models.PositiveIntegerField()
    # A username, kept as text: the mark stays readable after the user is deleted.
    # Blank for a command run (there is no logged-in user there).
    requested_by = models.CharField(max_length=150, blank=True, default="")
    via = models.CharField(max_length=10, choices=ReplayVia.choices)
    requested_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["outcome", "requested_at", "id"]

    def __str__(self) -> str:
        return f"replay of outcome {self.outcome_id} from attempt {self.first_attempt}"


class MetricPoint(models.Model):
    """One Beat sample. Counters cover the interval since the previous sample."""

    collected_at = models.DateTimeField(default=timezone.now, db_index=True)
    interval_seconds = models.FloatField()
    events_received = models.PositiveIntegerField(default=0)
    events_duplicate = models.PositiveIntegerField(default=0)
    events_sig_failed = models.PositiveIntegerField(default=0)
    deliveries_succeeded = models.PositiveIntegerField(default=0)
    attempts_failed = models.PositiveIntegerField(default=0)
    dead_lettered = models.PositiveIntegerField(default=0, help_text="New in this interval")
    dead_letters_total = models.PositiveIntegerField(default=0)
    queue_depth = models.PositiveIntegerField(default=0)
    # Outcomes held (paused or disabled) at the sample's time.
    held = models.PositiveIntegerField(default=0)
    success_rate = models.FloatField(null=True, blank=True)
    throughput_per_minute = models.FloatField(default=0)
    # Attempts recorded so far (apps/monitoring/tallies.py): the next sample's attempt
    # counts are the difference, with no scan of the attempts table by time.
    attempts_seen = models.BigIntegerField(null=True, blank=True, editable=False)
    attempts_ok_seen = models.BigIntegerField(null=True, blank=True, editable=False)

    class Meta:
        ordering = ["-collected_at"]

    def __str__(self) -> str:
        return f"metrics at {self.collected_at:%Y-%m-%d %H:%M:%S}"


class MetricTally(models.Model):
    """Running totals over one table's rows up to `through_id`, kept by Beat so that a
    scrape reads only the rows after it (apps/monitoring/tallies.py)."""

    name = models.CharField(max_length=40, primary_key=True)
    through_id = models.BigIntegerField(default=0)
    # The highest id seen at `candidate_at`; it becomes `through_id` once every
    # transaction that could still commit a lower id has ended.
    candidate_id = models.BigIntegerField(default=0)
    candidate_at = models.DateTimeField(null=True, blank=True)
    # The xmax of PostgreSQL's snapshot as the candidate was read: a transaction that
    # could still commit a lower id has a transaction id below it.
    candidate_xmax = models.BigIntegerField(null=True, blank=True)
    totals = models.JSONField(default=dict)
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return f"{self.name} through {self.through_id}"


class DestinationHour(models.Model):
    """One destination's attempts started in one hour: how many, how many succeeded, and
    their durations by bucket (apps/monitoring/destination_hours.py), for the 7-day
    figures. Derived: Beat writes each closed hour once."""

    destination = models.ForeignKey(Destination, on_delete=models.CASCADE, related_name="+")
    hour = models.DateTimeField()
    attempts = models.PositiveIntegerField()
    succeeded = models.PositiveIntegerField()
    # Bucket index (str) -> attempts; destination_hours.BOUNDS says what each holds.
    buckets = models.JSONField(default=dict)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["destination", "hour"], name="one_row_per_hour")
        ]

    def __str__(self) -> str:
        return f"destination {self.destination_id} at {self.hour:%Y-%m-%d %H:00}"


class RollupMark(models.Model):
    """How far a roll-up has gone: every hour before `through` is rolled."""

    name = models.CharField(max_length=40, primary_key=True)
    through = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"{self.name} through {self.through}"
