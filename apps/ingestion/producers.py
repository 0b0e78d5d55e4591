"""Producer quirks: what a producer sends the same way whichever scheme verifies it.

    github           X-GitHub-Delivery names each delivery (an idempotency header)
    google_calendar  X-Goog-* channel headers carry the news (the body is empty): folded
                     into the payload as "__goog_meta", resource-state is the event type

A registry keyed by name, like the schemes: ingest asks every quirk for its
declarations and names no producer. A quirk applies to every source, so it may only
add what a request carries anyway (an id header to try, metadata to fold).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, ClassVar


class Producer:
    """One producer's habits. The defaults declare nothing."""

    name: ClassVar[str]
    # Its own delivery id header: tried after the source's and the scheme's.
    idempotency_header: ClassVar[str | None] = None
    # Headers that carry a secret of this producer's: redacted before storing.
    secret_headers: ClassVar[tuple[str, ...]] = ()

    def metadata(self, headers: Mapping[str, str]) -> dict[str, str] | None:
        """What this producer says in headers (lower-case names), or None when the
        request is not one of its own."""
        return None

    def fold(self, payload: Any, meta: dict[str, str]) -> Any:
        """The payload with this producer's metadata added."""
        return payload

    def event_type(self, meta: dict[str, str]) -> str:
        """The event type its metadata names, when neither the source's path nor its
        header gave one."""
        return ""


class GitHub(Producer):
    name = "github"
    idempotency_header = "x-github-delivery"


class GoogleCalendar(Producer):
    name = "google_calendar"
    PREFIX = "x-goog-"
    KEY = "__goog_meta"

    def metadata(self, headers: Mapping[str, str]) -> dict[str, str] | None:
        meta = {
            name[len(self.PREFIX) :]: value
            for name, value in headers.items()
            if name.startswith(self.PREFIX)
        }
        return meta or None

    def fold(self, payload: Any, meta: dict[str, str]) -> Any:
        # Push notifications have an empty body: the headers are the whole message.
        if payload is None:
            return {self.KEY: meta}
        if isinstance(payload, dict):
            return {**payload, self.KEY: meta}
        return {"data": payload, self.KEY: meta}

    def event_type(self, meta: dict[str, str]) -> str:
        return meta.get("resource-state", "")


PRODUCERS: dict[str, Producer] = {
    producer.name: producer for producer in (GitHub(), GoogleCalendar())
}
