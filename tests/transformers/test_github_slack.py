"""github_to_slack: one message shape per GitHub event, and a fallback for the rest."""

from __future__ import annotations

import json

import pytest

from apps.transformers.base import TransformInput
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


def slack(event_type: str, payload, headers=None) -> dict:
    data = TransformInput(event_type, payload, headers=headers or {}, received_at=RECEIVED_AT)
    out = transform("github_to_slack", data)
    assert out.content_type == "application/json"
    return json.loads(out.body)


def all_text(message: dict) -> str:
    return json.dumps(message, ensure_ascii=False)


def field_texts(message: dict) -> list[str]:
    return [f["text"] for block in message["blocks"] for f in block.get("fields", [])]


@pytest.mark.parametrize("event_type", sorted(GITHUB_EVENTS))
def test_every_known_event_gives_text_and_mrkdwn_blocks(event_type):
    message = slack(event_type, GITHUB_EVENTS[event_type])
    assert "octo-org/hello-world" in message["text"]
    assert message["blocks"][0]["type"] == "section"
    assert message["blocks"][0]["text"]["type"] == "mrkdwn"
    assert message["blocks"][-1]["type"] == "context"
    assert "<https://github.com/octocat|octocat>" in all_text(message)


def test_push_names_repo_branch_pusher_and_count():
    message = slack("push", PUSH)
    assert message["text"] == (
        "[<https://github.com/octo-org/hello-world|octo-org/hello-world>] "
        "*<https://github.com/octo-org/hello-world/compare/000000...777777"
        "|mona pushed 7 commits to main>*"
    )
    assert field_texts(message) == ["*Branch*\nmain", "*Pusher*\nmona", "*Commits*\n7"]


def test_push_lists_five_commits_with_short_sha_first_line_and_link():
    commits = slack("push", PUSH)["blocks"][2]["text"]["text"]
    lines = commits.splitlines()
    assert len(lines) == 6 and lines[-1] == "… and 2 more"
    sha = PUSH["commits"][0]["id"]
    assert lines[0] == (
        f"• <https://github.com/octo-org/hello-world/commit/{sha}|`{sha[:7]}`> Fix login redirect"
    )
    assert "The next= parameter" not in commits


def test_push_escapes_slack_control_characters_in_commit_messages():
    commits = slack("push", PUSH)["blocks"][2]["text"]["text"]
    assert "Escape &lt;script&gt; &amp; friends in titles" in commits
    assert "<script>" not in commits


def test_push_of_a_tag_and_a_deleted_branch():
    tag = slack("push", {**PUSH, "ref": "refs/tags/v1.0", "commits": []})
    assert "mona pushed 0 commits to tag v1.0" in tag["text"]
    deleted = slack("push", {**PUSH, "deleted": True, "commits": []})
    assert "mona deleted main" in deleted["text"]


def test_ping_shows_the_zen():
    message = slack("ping", PING)
    assert "Webhook 482190 is set up" in message["text"]
    zen = {"type": "mrkdwn", "text": "> Keep it logically awesome."}
    assert {"type": "section", "text": zen} in message["blocks"]


def test_issue_shows_action_number_title_user_and_link_escaped():
    message = slack("issues", ISSUE_OPENED)
    assert (
        "*<https://github.com/octo-org/hello-world/issues/1347|Issue #1347 opened: "
        "Crash when title has &lt;b&gt;tags&lt;/b&gt; &amp; ampersands>*"
    ) in message["text"]
    assert field_texts(message) == ["*Action*\nopened", "*Author*\nhubot"]


def test_pull_request_opened_shows_branches():
    message = slack("pull_request", PULL_REQUEST_OPENED)
    assert "Pull request #42 opened: Add dark mode" in message["text"]
    assert field_texts(message) == [
        "*Action*\nopened",
        "*Author*\nmona",
        "*Branches*\nfeature/dark-mode → main",
    ]


@pytest.mark.parametrize(("merged", "action"), [(True, "merged"), (False, "closed")])
def test_a_closed_pull_request_says_whether_it_was_merged(merged, action):
    message = slack("pull_request", pull_request_closed(merged))
    assert f"Pull request #42 {action}: Add dark mode" in message["text"]


def test_release_shows_action_tag_name_and_link():
    message = slack("release", RELEASE_PUBLISHED)
    assert (
        "<https://github.com/octo-org/hello-world/releases/tag/v2.1.0"
        "|Release Spring release published>"
    ) in message["text"]
    assert "*Tag*\nv2.1.0" in field_texts(message)


def test_an_unknown_event_falls_back_to_a_generic_message():
    message = slack("star", STAR_CREATED)
    assert "|star on octo-org/hello-world>" in message["text"]
    assert "by <https://github.com/octocat|octocat>" in all_text(message)


@pytest.mark.parametrize("payload", [None, {}, [], "text", {"repository": "not an object"}])
def test_unusable_payloads_fall_back_without_raising(payload):
    message = slack("deployment", payload)
    assert message["text"] == "[unknown repository] *deployment on unknown repository*"


@pytest.mark.parametrize("event_type", sorted(GITHUB_EVENTS))
@pytest.mark.parametrize("payload", [None, {}, {"action": None, "sender": []}, {"commits": None}])
def test_known_events_with_broken_payloads_never_raise(event_type, payload):
    assert slack(event_type, payload)["blocks"]


def test_the_event_type_can_come_from_the_header():
    message = slack("", PING, headers={"x-github-event": "ping"})
    assert "Webhook 482190 is set up" in message["text"]


def test_non_web_links_are_not_linked():
    payload = {**ISSUE_OPENED, "issue": {**ISSUE_OPENED["issue"], "html_url": "javascript:x"}}
    assert "javascript:" not in slack("issues", payload)["text"]
