"""GET /api/sources/<slug>/listen/: the poll that `relaycore listen` follows.

A thin view over apps/api/listening.py, where the cursor, the settle delay and the
bounded wait are explained.
"""

from __future__ import annotations

from django.conf import settings
from django.utils.dateparse import parse_datetime
from django.utils.timezone import make_aware
from drf_spectacular.utils import extend_schema
from rest_framework.authentication import SessionAuthentication
from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from apps.api import listening
from apps.api.authentication import CachedTokenAuthentication
from apps.api.serializers.listen import ListenBatchSerializer, ListenQuerySerializer
from apps.ingestion.sources import active_source


class ListenView(APIView):
    # Token first, remembered briefly (a listener polls every second); sessions as usual.
    authentication_classes = [CachedTokenAuthentication, SessionAuthentication]

    @extend_schema(
        tags=["sources"],
        summary="Follow a source's accepted events after a cursor (relaycore listen)",
        description="Events with an id above `after`, oldest first, refused ones "
        "(`sig_failed`, `duplicate`) left out, each with the request as received. "
        "Poll again with the answered `cursor`, after `poll_after_seconds`.",
        parameters=[ListenQuerySerializer],
        responses=ListenBatchSerializer,
    )
    def get(self, request: Request, slug: str) -> Response:
        query = parse_query(request.query_params)
        source = active_source(slug)  # cached for SOURCE_CACHE_SECONDS, as ingest does
        if source is None:
            raise NotFound(f"No active source with slug {slug!r}.")
        if "after" not in query:
            cursor = listening.start_cursor(source, query.get("since"))
            answer = _answer([], cursor, more=query.get("since") is not None, pause=0)
            if settings.LISTEN_STREAM_URL:  # the stream process: follow it instead
                answer["stream_url"] = f"{settings.LISTEN_STREAM_URL}/api/sources/{slug}/stream/"
            return Response(answer)
        batch = listening.poll(
            source,
            query["after"],
            query.get("events", []),
            query.get("limit", settings.LISTEN_MAX_BATCH),
            query["wait"],
        )
        # At once only for a cut batch, or after a wait (the poll already took its time);
        # else the next poll in LISTEN_POLL_SECONDS, events answered or not: each poll
        # is a request of the web tier, and a listener must not make ten a second.
        pause = 0.0 if batch.more or batch.waited else settings.LISTEN_POLL_SECONDS
        return Response(_answer(batch.events, batch.cursor, more=batch.more, pause=pause))


def _number(params, name: str, kind: type, low: float, high: float | None = None):
    text = params.get(name)
    try:
        value = kind(text)
    except (TypeError, ValueError):
        raise ValidationError({name: [f"must be a number, not {text!r}"]}) from None
    if value < low or (high is not None and value > high):
        bound = f"from {low} to {high}" if high is not None else f"at least {low}"
        raise ValidationError({name: [f"must be {bound}"]})
    return value


def parse_query(params) -> dict:
    """ListenQuerySerializer's rules, by hand: DRF's serializer cost an idle poll a
    quarter of its time (its fields are copied for every instance)."""
    query: dict = {"wait": 0.0}
    if "after" in params:
        query["after"] = _number(params, "after", int, 0)
    if params.get("since"):
        since = parse_datetime(params["since"])
        if since is None:
            raise ValidationError({"since": ["must be an ISO 8601 time"]})
        query["since"] = since if since.tzinfo else make_aware(since)
    if "events" in params:
        query["events"] = [n.strip() for n in params["events"].split(",") if n.strip()]
    if "wait" in params:
        query["wait"] = _number(params, "wait", float, 0, 60)
    if "limit" in params:
        query["limit"] = min(_number(params, "limit", int, 1, 1000), settings.LISTEN_MAX_BATCH)
    return query


def _answer(events: list[dict], cursor: int, *, more: bool, pause: float) -> dict:
    # ListenBatchSerializer's shape, built directly: an idle poll is the common one, and
    # rendering plain values (datetimes as DRF's encoder writes them) costs it least.
    return {"events": events, "cursor": cursor, "more": more, "poll_after_seconds": pause}
