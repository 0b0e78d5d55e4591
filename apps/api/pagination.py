"""Pages of every list: `?page=N&page_size=M`, 50 by default, at most 500.

Counts are capped: a list counts at most COUNT_CAP rows (`count_capped` says when it
stopped there), since counting millions of events or outcomes costs a scan of them all
on every page (docs/performance.md, "Growth"). Pages past the cap answer 404; the event
list goes on with `?cursor=` (EventPagination), and its `next` link switches to a cursor
there, so following `next` still reaches every row.
"""

from __future__ import annotations

from functools import cached_property, partial
from typing import Any

from django.core.paginator import Paginator
from django.db.models import Q, QuerySet
from rest_framework import pagination
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.utils.urls import remove_query_param, replace_query_param

from apps.api.cursor import decode_after, encode_after

COUNT_CAP = 10_000


class CappedPaginator(Paginator):
    """Django's paginator, counting no further than COUNT_CAP rows. `page_rows`, when
    given, is the same rows narrowed for reading a page (a bound that helps the page's
    walk and would slow the count); `count_rows`, a query with as many rows that costs
    less to count."""

    capped = False

    def __init__(
        self, object_list, per_page, *args, page_rows=None, count_rows=None, **kwargs
    ) -> None:
        super().__init__(object_list, per_page, *args, **kwargs)
        self.page_rows = object_list if page_rows is None else page_rows
        self.count_rows = count_rows

    def page(self, number):
        number = self.validate_number(number)
        bottom = (number - 1) * self.per_page
        top = bottom + self.per_page
        if top + self.orphans >= self.count:
            top = self.count
        return self._get_page(self.page_rows[bottom:top], number, self)

    @cached_property
    def count(self) -> int:
        rows = self.object_list
        if not isinstance(rows, QuerySet):
            return len(rows)
        # count_rows: as many rows, cheaper to count.
        rows = rows.order_by().values("pk") if self.count_rows is None else self.count_rows
        counted = rows[: COUNT_CAP + 1].count()
        self.capped = counted > COUNT_CAP
        return min(counted, COUNT_CAP)


class PageNumberPagination(pagination.PageNumberPagination):
    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 500
    django_paginator_class = CappedPaginator

    def get_paginated_response(self, data: Any) -> Response:
        paginator = self.page.paginator
        return Response(
            {
                "count": paginator.count,
                "count_capped": paginator.capped,
                "next": self.get_next_link(),
                "previous": self.get_previous_link(),
                "results": data,
            }
        )

    def get_paginated_response_schema(self, schema: dict) -> dict:
        found = super().get_paginated_response_schema(schema)
        found["properties"]["count_capped"] = {
            "type": "boolean",
            "description": f"True when the list holds more than {COUNT_CAP:,} rows: `count` "
            "stops there, and so do page numbers.",
        }
        found["required"] = [*found.get("required", []), "count_capped"]
        return found


class EventPagination(PageNumberPagination):
    """Pages by number as every list, or by `?cursor=` (the position after a row, in
    received_at order, newest first unless `ordering=received_at`): one range of the
    received_at index however deep, where a page number reads every row before it."""

    cursor_query_param = "cursor"

    def paginate_queryset(self, queryset: QuerySet, request: Request, view=None):
        self.request = request
        self.cursor = request.query_params.get(self.cursor_query_param)
        # Set by EventFilter: a bound for the page's rows that the count must not carry.
        bound = getattr(request, "page_bound", None)
        page_rows = queryset.filter(bound) if bound is not None else queryset
        # Also from EventFilter: the same number of rows, counted from another table.
        count_rows = getattr(request, "count_rows", None)
        if not self.cursor:
            self.django_paginator_class = partial(
                CappedPaginator, page_rows=page_rows, count_rows=count_rows
            )
            rows = super().paginate_queryset(queryset, request, view)
            self.last = rows[-1] if rows else None
            return rows
        after = decode_after(self.cursor)
        self.size = self.get_page_size(request)
        self.counter = CappedPaginator(queryset, self.size, count_rows=count_rows)
        newest_first = _newest_first(queryset)
        earlier = "lt" if newest_first else "gt"
        # The range first (an index condition), the tie on received_at broken by id.
        position = Q(**{f"received_at__{earlier}e": after.received_at}) & (
            Q(**{f"received_at__{earlier}": after.received_at}) | Q(**{f"pk__{earlier}": after.pk})
        )
        order = ("-received_at", "-id") if newest_first else ("received_at", "id")
        rows = list(page_rows.filter(position).order_by(*order)[: self.size + 1])
        self.more = len(rows) > self.size
        rows = rows[: self.size]
        self.last = rows[-1] if rows else None
        return rows

    def get_paginated_response(self, data: Any) -> Response:
        if not self.cursor:
            return super().get_paginated_response(data)
        return Response(
            {
                "count": self.counter.count,
                "count_capped": self.counter.capped,
                "next": self._cursor_link() if self.more else None,
                "previous": None,
                "results": data,
            }
        )

    def get_next_link(self) -> str | None:
        if self.page.has_next():
            return super().get_next_link()
        full = len(self.page.object_list) == self.page.paginator.per_page
        return self._cursor_link() if self.page.paginator.capped and full else None

    def _cursor_link(self) -> str | None:
        if self.last is None:
            return None
        url = remove_query_param(self.request.build_absolute_uri(), self.page_query_param)
        cursor = encode_after(self.last.received_at, self.last.pk)
        return replace_query_param(url, self.cursor_query_param, cursor)

    def get_schema_operation_parameters(self, view) -> list[dict]:
        return [
            *super().get_schema_operation_parameters(view),
            {
                "name": self.cursor_query_param,
                "required": False,
                "in": "query",
                "description": "The position after a row, from a `next` link: the page "
                "that follows it, in received_at order (`page` is ignored).",
                "schema": {"type": "string"},
            },
        ]


def _newest_first(queryset: QuerySet) -> bool:
    """The list's ordering, by its first field: only its direction is kept."""
    ordering = queryset.query.order_by or queryset.model._meta.ordering
    return not ordering or str(ordering[0]).startswith("-")
