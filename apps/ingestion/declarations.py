"""How one source's requests are read: its own settings joined with what its scheme
and the producer quirks declare, gathered into a Reading once per cached source.

    source            event type header / JSONPath, idempotency header, dedupe_by_body
    scheme            secret_headers(options), default_idempotency_header, signs_only_body
    producer quirks   idempotency_header, secret_headers, metadata folded into the payload

Ingest (service.py) and parsing (parsing.py) use only the Reading: a new scheme or
quirk changes what is redacted, keyed or folded without either of them naming it.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from apps.ingestion.producers import PRODUCERS, Producer
from apps.ingestion.verification import SCHEMES, secret_headers_of

if TYPE_CHECKING:
    from apps.core.models import Source

# Ids that many producers send under a common name; tried after every declared one.
CONVENTIONAL_IDEMPOTENCY_HEADERS = ("idempotency-key", "webhook-id")


@dataclass(frozen=True)
class Reading:
    # Header names are lower-case, as ingest receives them.
    key_headers: tuple[str, ...]  # the first one present and not blank is the key
    # A body-only signature covers no id header: anyone holding a captured request
    # could resend it under a fresh id, so the signed body's hash is the key.
    key_is_body_hash: bool
    secret_headers: frozenset[str]  # beside parsing.REDACTED_HEADERS
    event_type_header: str  # "" for none
    event_type_path: str  # "" for none
    producers: tuple[Producer, ...]


# Kept on the Source instance, which apps.ingestion.sources caches: built once per
# cached source rather than once per request (the hot path), and gone with it.
_ATTRIBUTE = "_ingest_reading"


def reading_of(source: Source) -> Reading:
    reading = source.__dict__.get(_ATTRIBUTE)
    if reading is None:
        reading = source.__dict__[_ATTRIBUTE] = _read(source)
    return reading


def _read(source: Source) -> Reading:
    """An unknown scheme declares nothing (its requests are refused, then stored)."""
    scheme = SCHEMES.get(source.verification_scheme)
    producers = tuple(PRODUCERS.values())
    declared = [source.idempotency_header]
    secrets = [name for producer in producers for name in producer.secret_headers]
    secrets.extend(secret_headers_of(source.verification_scheme, source.verification_options))
    if scheme is not None:
        declared.append(scheme.default_idempotency_header)
    declared.extend(producer.idempotency_header for producer in producers)
    declared.extend(CONVENTIONAL_IDEMPOTENCY_HEADERS)
    return Reading(
        key_headers=tuple(dict.fromkeys(name.lower() for name in declared if name)),
        key_is_body_hash=bool(scheme and scheme.signs_only_body and source.dedupe_by_body),
        secret_headers=frozenset(name.lower() for name in secrets),
        event_type_header=(source.event_type_header or "").lower(),
        event_type_path=source.event_type_path or "",
        producers=producers,
    )
