"""Pause and resume (sources, destinations, routes) and enable (destinations): thin
actions over apps.delivery.holding, for the operator role and above.

Each answers the object as its list and detail pages show it; resume and enable also
answer `released`: how many held outcomes (for a source: stored events) were let go.
"""

from __future__ import annotations

from typing import Any

from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from apps.delivery import holding

OPERATE_ACTIONS = ("pause", "resume")


# Mixed into a ModelViewSet whose model has `paused`. (A comment, not a docstring: the
# schema takes a view's description from the first docstring in its bases.)
class PauseActions:
    def _answer(self, obj: Any, **extra: int) -> Response:
        fresh = self.get_queryset().get(pk=obj.pk)
        return Response({**self.get_serializer(fresh).data, **extra})

    @action(detail=True, methods=["post"])
    def pause(self, request: Request, pk: str | None = None) -> Response:
        obj = self.get_object()
        holding.set_flag(obj, paused=True)
        return self._answer(obj)

    @action(detail=True, methods=["post"])
    def resume(self, request: Request, pk: str | None = None) -> Response:
        obj = self.get_object()
        released = holding.set_flag(obj, paused=False)
        return self._answer(obj, released=released)
