"""Who is asking, for the actions an API view records under a name (replay, re-route)."""

from __future__ import annotations

from rest_framework.request import Request

from apps.core.models import ReplayVia
from apps.delivery.replay import Requester


def requester(request: Request) -> Requester:
    """The API user behind this request, as a replay records them."""
    return Requester(request.user.get_username(), ReplayVia.API)
