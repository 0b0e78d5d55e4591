"""github_to_discord: one embed per GitHub event, cut to Discord's limits."""

from __future__ import annotations

import json

import pytest

from apps.transformers.base import TransformInput
from apps.transformers.discord import build_embed
from apps.transformers.github import Summary
from apps.transformers.registry import transform
from tests.transformers.payloads import (
    GITHUB_EVENTS,
    ISSUE_OPENED,
    PING,
    PULL_REQUEST_OPENED,
    PUSH,
    RECEIVED_AT,
    RELEASE_PUBLISHED,
    STAR_CREATED,
    pull_request_closed,
)


def discord(event_type: str, payload, options=None) -> dict:
    data = TransformInput(event_type, payload, received_at=RECEIVED_AT, options=options or {})
    out = transform("github_to_discord", data)
    assert out.content_type == "application/json"
    message = json.loads(out.body)
    assert message["allowed_mentions"] == {"parse": []}
    [embed] = message["embeds"]
    return embed


def fields(embed: dict) -> dict[str, str]:
    return {field["name"]: field["value"] for field in embed["fields"]}


@pytest.mark.parametrize("event_type", sorted(GITHUB_EVENTS))
def test_every_known_event_gives_a_full_embed(event_type):
    embed = discord(event_type, GITHUB_EVENTS[event_type])
    assert embed["title"].startswith("[octo-org/hello-world] ")
    assert embed["url"].startswith("https://github.com/octo-org/hello-world")
    assert isinstance(embed["color"], int)
    assert embed["author"] == {
        "name": "octocat",
        "url": "https://github.com/octocat",
        "icon_url": "https://avatars.githubusercontent.com/u/583231?v=4",
    }
    assert embed["timestamp"]


def test_the_username_is_relaycore_unless_the_route_says_otherwise():
    data = TransformInput("ping", PING)
    assert transform("github_to_discord", data).parsed()["username"] == "RelayCore"
    renamed = TransformInput("ping", PING, options={"username": "CI"})
    assert transform("github_to_discord", renamed).parsed()["username"] == "CI"


def test_push_lists_five_commits_and_counts_the_rest():
    embed = discord("push", PUSH)
    assert embed["title"] == "[octo-org/hello-world] mona pushed 7 commits to main"
    assert fields(embed) == {"Branch": "main", "Pusher": "mona", "Commits": "7"}
    lines = embed["description"].splitlines()
    sha = PUSH["commits"][0]["id"]
    assert lines[0] == f"[`{sha[:7]}`]({PUSH['commits'][0]['url']}) Fix login redirect"
    assert len(lines) == 6 and lines[-1] == "… and 2 more"
    assert embed["timestamp"] == "2024-05-01T12:29:00+02:00"


def test_ping_describes_the_zen():
    embed = discord("ping", PING)
    assert embed["title"] == "[octo-org/hello-world] Webhook 482190 is set up"
    assert embed["description"] == "Keep it logically awesome."


def test_issue_shows_action_number_title_user_and_body():
    embed = discord("issues", ISSUE_OPENED)
    assert embed["title"].endswith(
        "Issue #1347 opened: Crash when title has <b>tags</b> & ampersands"
    )
    assert embed["url"] == "https://github.com/octo-org/hello-world/issues/1347"
    assert fields(embed) == {"Action": "opened", "Author": "hubot"}
    assert embed["description"].startswith("Steps to reproduce:")
    assert embed["color"] == 0x2DA44E


def test_pull_request_shows_branches_and_merges():
    assert fields(discord("pull_request", PULL_REQUEST_OPENED))["Branches"] == (
        "feature/dark-mode → main"
    )
    merged = discord("pull_request", pull_request_closed(merged=True))
    assert "Pull request #42 merged: Add dark mode" in merged["title"]
    assert merged["color"] == 0x8250DF
    closed = discord("pull_request", pull_request_closed(merged=False))
    assert "Pull request #42 closed" in closed["title"]


def test_release_shows_tag_and_name():
    embed = discord("release", RELEASE_PUBLISHED)
    assert embed["title"] == "[octo-org/hello-world] Release Spring release published"
    assert fields(embed)["Tag"] == "v2.1.0"
    assert embed["timestamp"] == "2024-05-01T09:00:00+00:00"


def test_an_unknown_event_falls_back_to_a_generic_embed():
    embed = discord("star", STAR_CREATED)
    assert embed["title"] == "[octo-org/hello-world] star on octo-org/hello-world"
    assert fields(embed) == {"Action": "created"}
    assert embed["author"]["name"] == "octocat"


@pytest.mark.parametrize("payload", [None, {}, ["x"]])
def test_empty_payloads_fall_back_with_the_receive_time(payload):
    embed = discord("deployment", payload)
    assert embed == {
        "title": "[unknown repository] deployment on unknown repository",
        "color": 0x6E7781,
        "fields": [],
        "timestamp": RECEIVED_AT.isoformat(),
    }


@pytest.mark.parametrize("event_type", sorted(GITHUB_EVENTS))
def test_known_events_with_broken_payloads_never_raise(event_type):
    broken = {"issue": "x", "pull_request": [], "release": None, "commits": [None, 3]}
    assert discord(event_type, broken)["title"]


def test_an_unparseable_timestamp_is_replaced_by_the_receive_time():
    payload = {**RELEASE_PUBLISHED, "release": {**RELEASE_PUBLISHED["release"]}}
    payload["release"]["published_at"] = "last tuesday"
    assert discord("release", payload)["timestamp"] == RECEIVED_AT.isoformat()


def test_long_titles_and_descriptions_are_cut_to_discord_limits():
    issue = {**ISSUE_OPENED["issue"], "title": "t" * 400, "body": "b" * 9000}
    embed = discord("issues", {**ISSUE_OPENED, "issue": issue})
    assert len(embed["title"]) == 256 and embed["title"].endswith("…")
    assert len(embed["description"]) == 4096 and embed["description"].endswith("…")


def test_fields_are_capped_at_25_and_their_texts_cut():
    many = tuple((f"name {n}" + "n" * 300, "v" * 2000) for n in range(40))
    embed = build_embed(Summary(event="x", repo="r", repo_url=None, title="t", fields=many))
    assert len(embed["fields"]) == 25
    assert all(len(f["name"]) == 256 and len(f["value"]) == 1024 for f in embed["fields"])


def test_the_whole_embed_stays_within_6000_characters():
    summary = Summary(
        event="x",
        repo="r",
        repo_url=None,
        title="t" * 300,
        fields=tuple(("n" * 10, "v" * 1000) for _ in range(3)),
        note="d" * 5000,
    )
    embed = build_embed(summary)
    size = len(embed["title"]) + len(embed["description"])
    size += sum(len(f["name"]) + len(f["value"]) for f in embed["fields"])
    assert size == 6000
    assert embed["description"].endswith("…")


def test_commit_messages_cannot_break_the_markdown():
    payload = {**PUSH, "commits": [{**PUSH["commits"][0], "message": "[x](http://evil) *bold*"}]}
    description = discord("push", payload)["description"]
    assert description.endswith(r"\[x\](http://evil) \*bold\*")
