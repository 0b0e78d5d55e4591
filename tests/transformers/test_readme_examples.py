"""The README's two transformation examples run as the README says."""

from __future__ import annotations

import re
from pathlib import Path

from apps.transformers import javascript

README = Path(__file__).resolve().parents[2] / "README.md"


def examples() -> list[str]:
    text = README.read_text()
    section = text.split("## Write your own transformation", 1)[1].split("\n## ", 1)[0]
    return re.findall(r"```javascript\n(.*?)```", section, flags=re.S)


def event(body: dict, **headers: str) -> dict:
    return {"body": body, "headers": headers, "event_type": "", "source": "s", "received_at": ""}


def test_the_teams_card_example_shapes_a_push_and_skips_the_rest():
    teams, _ = examples()
    push = {
        "ref": "refs/heads/main",
        "compare": "https://github.com/acme/api/compare/a...b",
        "pusher": {"name": "ada"},
        "repository": {"full_name": "acme/api"},
        "commits": [{"id": "abcdef1234", "message": "Fix it\n\nlong text"}],
    }
    result = javascript.run(teams, event(push, **{"x-github-event": "push"}))
    card = result.output["body"]
    assert card["summary"] == "ada pushed to acme/api"
    assert card["sections"][0]["facts"] == [{"name": "abcdef1", "value": "Fix it"}]
    assert javascript.run(teams, event(push, **{"x-github-event": "ping"})).skipped


def test_the_stripe_example_makes_a_row_and_skips_other_events():
    _, stripe = examples()
    charge = {
        "id": "evt_1",
        "type": "charge.succeeded",
        "created": 1700000000,
        "data": {
            "object": {
                "id": "ch_1",
                "customer": "cus_1",
                "amount": 1250,
                "currency": "eur",
                "status": "succeeded",
            }
        },
    }
    result = javascript.run(stripe, event(charge))
    assert result.error is None, result.error
    assert result.output["body"]["amount_cents"] == 1250
    assert result.output["body"]["created_at"] == "2023-11-14T22:13:20.000Z"
    assert result.output["headers"] == {"Prefer": "resolution=merge-duplicates"}
    assert result.logs == ["stripe charge.succeeded ch_1"]
    other = {**charge, "type": "customer.created"}
    assert javascript.run(stripe, event(other)).skipped
