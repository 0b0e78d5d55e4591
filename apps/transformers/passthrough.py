"""The event as it arrived: same bytes, same content type."""

from __future__ import annotations

from apps.transformers.base import Outbound, Transformer, TransformInput

FALLBACK_CONTENT_TYPE = "application/octet-stream"


class Passthrough(Transformer):
    name = "passthrough"
    description = "The original body and content type, unchanged"

    def transform(self, data: TransformInput) -> Outbound:
        return Outbound(body=data.body, content_type=data.content_type or FALLBACK_CONTENT_TYPE)
