from __future__ import annotations

from rest_framework import viewsets


class ModelViewSet(viewsets.ModelViewSet):
    """Numeric ids only, so /api/routes/operators/ is never read as an id."""

    lookup_value_regex = r"[0-9]+"


class ReadOnlyModelViewSet(viewsets.ReadOnlyModelViewSet):
    lookup_value_regex = r"[0-9]+"
