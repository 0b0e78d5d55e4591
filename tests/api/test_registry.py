from __future__ import annotations


def test_it_lists_the_transformers(api):
    results = api.get("/api/transformers/").json()["results"]

    names = {item["name"] for item in results}
    assert {"passthrough", "github_to_slack"} <= names
    assert all(item["description"] for item in results)


def test_it_lists_the_verification_schemes(api):
    results = {item["name"]: item for item in api.get("/api/schemes/").json()["results"]}

    assert {"none", "github", "stripe", "slack", "standard_webhooks", "hmac"} <= set(results)
    assert results["none"]["needs_secret"] is False
    assert results["github"]["needs_secret"] is True
    assert "header" in results["hmac"]["options"]
    assert results["stripe"]["label"]
