"""The routing verdicts of an event's detail: each route of its source, whether it took
the event and why not (apps.routing.verdicts), with the route's name read now."""

from __future__ import annotations

from typing import Any

from rest_framework import serializers

from apps.core.models import Event, Route
from apps.routing.verdicts import CODES


class RouteVerdictSerializer(serializers.Serializer):
    route = serializers.IntegerField()
    route_name = serializers.CharField(help_text="As the route is named now; kept when deleted.")
    route_deleted = serializers.BooleanField()
    matched = serializers.BooleanField()
    code = serializers.ChoiceField(
        choices=CODES,
        help_text="matched; paused (matched, its outcome held); inactive; event_type (not in "
        "the route's list); condition (one failed).",
    )
    reason = serializers.CharField()


def named_verdicts(event: Event) -> list[dict[str, Any]] | None:
    """The stored verdicts with each route's name (one query); None when the event was
    not routed, or was routed before verdicts were kept."""
    stored = event.routing
    if not isinstance(stored, list):
        return None
    ids = {item.get("route") for item in stored if isinstance(item, dict)}
    routes = {
        pk: (name, deleted_at is not None)
        for pk, name, deleted_at in Route.all_objects.filter(pk__in=ids).values_list(
            "pk", "name", "deleted_at"
        )
    }
    answer = []
    for item in stored:
        if not isinstance(item, dict):
            continue
        name, deleted = routes.get(item.get("route"), ("", True))
        answer.append(
            {
                "route": item.get("route"),
                "route_name": name,
                "route_deleted": deleted,
                "matched": bool(item.get("matched")),
                "code": item.get("code", ""),
                "reason": item.get("reason", ""),
            }
        )
    return answer
