"""GitHub webhook payloads read into a chat-neutral ``Summary``.

The Slack and Discord transformers render the same ``Summary``; this module knows
GitHub's payloads, they know their chat's markup and limits. Everything here reads
defensively: a missing key, a null or a value of the wrong type yields an empty string
or None, never an exception. Events without a summarizer (and payloads that are not
objects) get the generic "<event> on <repo>" summary.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from apps.transformers.base import TransformInput

MAX_LISTED_COMMITS = 5
UNKNOWN_REPO = "unknown repository"

GREEN, RED, PURPLE, BLUE, GREY = 0x2DA44E, 0xCF222E, 0x8250DF, 0x0969DA, 0x6E7781
ACTION_COLORS = {
    "opened": GREEN,
    "reopened": GREEN,
    "published": GREEN,
    "released": GREEN,
    "created": GREEN,
    "closed": RED,
    "deleted": RED,
    "merged": PURPLE,
}
# Actions whose text (issue or PR body, release notes) is worth showing.
INTRODUCING_ACTIONS = frozenset({"opened", "published", "released", "created"})


@dataclass(frozen=True)
class Line:
    """One listed commit."""

    label: str
    text: str
    url: str | None


@dataclass(frozen=True)
class Summary:
    event: str
    repo: str
    repo_url: str | None
    title: str
    url: str | None = None
    actor: str | None = None
    actor_url: str | None = None
    actor_avatar: str | None = None
    fields: tuple[tuple[str, str], ...] = ()
    lines: tuple[Line, ...] = ()
    unlisted: int = 0
    note: str = ""
    color: int = GREY
    timestamp: str | None = None


# -- defensive readers ------------------------------------------------------------


def dig(obj: Any, *keys: str) -> Any:
    for key in keys:
        if not isinstance(obj, dict):
            return None
        obj = obj.get(key)
    return obj


def text(obj: Any, *keys: str) -> str:
    value = dig(obj, *keys)
    if isinstance(value, str):
        return value
    if isinstance(value, int | float) and not isinstance(value, bool):
        return str(value)
    return ""


def link(obj: Any, *keys: str) -> str | None:
    # Only web links: a chat client must never get a javascript: or relative URL.
    value = text(obj, *keys)
    return value if value.startswith(("https://", "http://")) else None


def timestamp(obj: Any, *keys: str) -> str | None:
    """An ISO 8601 time, normalised; None if absent or unparseable (Discord refuses those)."""
    try:
        return datetime.fromisoformat(text(obj, *keys)).isoformat()
    except ValueError:
        return None


# -- summaries ----------------------------------------------------------------------


def github_event(data: TransformInput) -> str:
    return data.event_type or data.headers.get("x-github-event", "")


def _common(
    event: str, payload: dict, action: str = "", color: int | None = None
) -> dict[str, Any]:
    return {
        "event": event,
        "repo": text(payload, "repository", "full_name") or UNKNOWN_REPO,
        "repo_url": link(payload, "repository", "html_url"),
        "actor": text(payload, "sender", "login") or None,
        "actor_url": link(payload, "sender", "html_url"),
        "actor_avatar": link(payload, "sender", "avatar_url"),
        "color": ACTION_COLORS.get(action, GREY) if color is None else color,
    }


def _ref_label(ref: str) -> str:
    if ref.startswith("refs/tags/"):
        return "tag " + ref.removeprefix("refs/tags/")
    return ref.removeprefix("refs/heads/") or "an unknown branch"


def _commit_line(commit: dict) -> Line:
    message = text(commit, "message").strip()
    first = message.splitlines()[0] if message else "(no message)"
    return Line(text(commit, "id")[:7] or "commit", first, link(commit, "url"))


def _push(event: str, payload: dict) -> Summary:
    ref = _ref_label(text(payload, "ref"))
    pusher = text(payload, "pusher", "name") or text(payload, "sender", "login") or "someone"
    found = dig(payload, "commits")
    commits = [c for c in found if isinstance(c, dict)] if isinstance(found, list) else []
    count = len(commits)
    deleted = dig(payload, "deleted") is True
    if deleted:
        title = f"{pusher} deleted {ref}"
    else:
        title = f"{pusher} pushed {count} commit{'' if count == 1 else 's'} to {ref}"
    return Summary(
        **_common(event, payload, color=RED if deleted else BLUE),
        title=title,
        url=link(payload, "compare"),
        fields=(("Branch", ref), ("Pusher", pusher), ("Commits", str(count))),
        lines=tuple(_commit_line(c) for c in commits[:MAX_LISTED_COMMITS]),
        unlisted=max(count - MAX_LISTED_COMMITS, 0),
        timestamp=timestamp(payload, "head_commit", "timestamp"),
    )


def _ping(event: str, payload: dict) -> Summary:
    hook = text(payload, "hook_id")
    return Summary(
        **_common(event, payload),
        title=f"Webhook {hook} is set up" if hook else "Webhook is set up",
        url=link(payload, "repository", "html_url"),
        note=text(payload, "zen"),
        timestamp=timestamp(payload, "hook", "updated_at"),
    )


def _issues(event: str, payload: dict) -> Summary:
    action = text(payload, "action") or "updated"
    issue = dig(payload, "issue")
    author = text(issue, "user", "login") or text(payload, "sender", "login") or "someone"
    return Summary(
        **_common(event, payload, action),
        title=f"Issue #{text(issue, 'number') or '?'} {action}: {text(issue, 'title')}",
        url=link(issue, "html_url"),
        fields=(("Action", action), ("Author", author)),
        note=text(issue, "body") if action in INTRODUCING_ACTIONS else "",
        timestamp=timestamp(issue, "updated_at"),
    )


def _pull_request(event: str, payload: dict) -> Summary:
    pull = dig(payload, "pull_request")
    action = text(payload, "action") or "updated"
    if action == "closed" and dig(pull, "merged") is True:
        action = "merged"
    author = text(pull, "user", "login") or text(payload, "sender", "login") or "someone"
    branches = f"{text(pull, 'head', 'ref') or '?'} → {text(pull, 'base', 'ref') or '?'}"
    return Summary(
        **_common(event, payload, action),
        title=f"Pull request #{text(pull, 'number') or '?'} {action}: {text(pull, 'title')}",
        url=link(pull, "html_url"),
        fields=(("Action", action), ("Author", author), ("Branches", branches)),
        note=text(pull, "body") if action in INTRODUCING_ACTIONS else "",
        timestamp=timestamp(pull, "updated_at"),
    )


def _release(event: str, payload: dict) -> Summary:
    release = dig(payload, "release")
    action = text(payload, "action") or "updated"
    tag = text(release, "tag_name") or "?"
    name = text(release, "name") or tag
    return Summary(
        **_common(event, payload, action),
        title=f"Release {name} {action}",
        url=link(release, "html_url"),
        fields=(("Action", action), ("Tag", tag), ("Name", name)),
        note=text(release, "body") if action in INTRODUCING_ACTIONS else "",
        timestamp=timestamp(release, "published_at") or timestamp(release, "created_at"),
    )


def _generic(event: str, payload: dict) -> Summary:
    action = text(payload, "action")
    common = _common(event, payload, action)
    return Summary(
        **common,
        title=f"{event or 'unknown event'} on {common['repo']}",
        url=common["repo_url"],
        fields=(("Action", action),) if action else (),
    )


SUMMARIZERS: dict[str, Callable[[str, dict], Summary]] = {
    "push": _push,
    "ping": _ping,
    "issues": _issues,
    "pull_request": _pull_request,
    "release": _release,
}


def summarize(event: str, payload: Any) -> Summary:
    if not isinstance(payload, dict) or not payload:
        return _generic(event, {})
    return SUMMARIZERS.get(event, _generic)(event, payload)
