"""The source list reads its figures once a page: ten sources cost what one does."""

from __future__ import annotations

from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.factories import make_source


def queries_for_the_list(api) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = api.get("/api/sources/")
    assert response.status_code == 200
    return len(captured.captured_queries)


def test_a_page_of_ten_sources_takes_no_more_queries_than_one(api):
    make_source(slug="first")
    queries_for_the_list(api)  # the token's first use writes its last-used time
    one = queries_for_the_list(api)

    for n in range(9):
        make_source(slug=f"more-{n}")
    response = api.get("/api/sources/")
    assert len(response.json()["results"]) == 10
    assert all("events_total" in item["stats"] for item in response.json()["results"])

    assert queries_for_the_list(api) == one
