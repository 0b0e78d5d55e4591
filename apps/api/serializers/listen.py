"""Serializers of /api/sources/<slug>/listen/: the poll's parameters and its answer."""

from __future__ import annotations

from rest_framework import serializers


class ListenQuerySerializer(serializers.Serializer):
    """The poll's parameters, for the schema; the view applies the same rules by hand
    (apps/api/views/listen.py parse_query), which costs an idle poll less."""

    after = serializers.IntegerField(
        required=False,
        min_value=0,
        help_text="The cursor: answer events with a higher id. Absent: start now, or at "
        "`since`, with no events in this answer.",
    )
    since = serializers.DateTimeField(
        required=False,
        help_text="Without `after`: start before the first event received at or after "
        "this time (ISO 8601), to replay a backlog.",
    )
    events = serializers.CharField(
        required=False,
        allow_blank=True,
        max_length=2000,
        help_text="Comma-separated event types; only these are answered.",
    )
    wait = serializers.FloatField(
        required=False,
        min_value=0,
        max_value=60,
        default=0,
        help_text="Seconds an empty answer may wait for news (capped by "
        "LISTEN_WAIT_SECONDS, and only while this process has a free wait slot).",
    )
    limit = serializers.IntegerField(required=False, min_value=1, max_value=1000)


class ListenedEventSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    received_at = serializers.DateTimeField()
    event_type = serializers.CharField()
    method = serializers.CharField()
    query_string = serializers.CharField()
    content_type = serializers.CharField()
    headers = serializers.DictField(child=serializers.CharField())
    body_base64 = serializers.CharField()


class ListenBatchSerializer(serializers.Serializer):
    events = ListenedEventSerializer(many=True)
    cursor = serializers.IntegerField(help_text="Send it back as `after` in the next poll.")
    more = serializers.BooleanField(help_text="More events are waiting: poll again at once.")
    poll_after_seconds = serializers.FloatField(
        help_text="How long to pause before the next poll (0: at once)."
    )
    stream_url = serializers.CharField(
        required=False,
        help_text="In the first answer (no `after`), when the gateway runs its stream "
        "process: the URL of this source's server-sent events, to follow instead of "
        "polling (GET with the same token, `after` = this cursor).",
    )
