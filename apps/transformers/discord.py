"""GitHub events as Discord webhook messages (one embed).

Discord answers 400 to an embed over its limits, and a 400 is never retried, so every
text is cut to fit: title 256, description 4096, 25 fields (name 256, value 1024),
author name 256 and 6000 characters across the embed. ``allowed_mentions`` is empty so
an "@everyone" in a commit message or issue body pings nobody.
"""

from __future__ import annotations

import re
from typing import Any

from apps.transformers.base import Outbound, Transformer, TransformInput
from apps.transformers.github import Summary, github_event, summarize

TITLE_LIMIT = 256
DESCRIPTION_LIMIT = 4096
FIELD_COUNT_LIMIT = 25
FIELD_NAME_LIMIT = 256
FIELD_VALUE_LIMIT = 1024
AUTHOR_LIMIT = 256
EMBED_TOTAL_LIMIT = 6000
DEFAULT_USERNAME = "RelayCore"

_MARKDOWN = re.compile(r"([\\`*_~|\[\]])")


def shorten(value: str, limit: int) -> str:
    return value if len(value) <= limit else value[: limit - 1] + "…"


def escape_markdown(value: str) -> str:
    return _MARKDOWN.sub(r"\\\1", value)


def _commit_list(summary: Summary) -> str:
    lines = []
    for line in summary.lines:
        label = f"`{line.label}`"
        shown = f"[{label}]({line.url.replace(')', '%29')})" if line.url else label
        lines.append(f"{shown} {escape_markdown(line.text)}")
    if summary.unlisted:
        lines.append(f"… and {summary.unlisted} more")
    return "\n".join(lines)


def _description(summary: Summary) -> str:
    # Issue bodies and release notes are GitHub markdown already: shown as written.
    parts = [_commit_list(summary), summary.note.strip()]
    return shorten("\n\n".join(part for part in parts if part), DESCRIPTION_LIMIT)


def _fields(summary: Summary) -> list[dict[str, Any]]:
    return [
        {
            "name": shorten(name, FIELD_NAME_LIMIT),
            "value": shorten(escape_markdown(value), FIELD_VALUE_LIMIT) or "-",
            "inline": True,
        }
        for name, value in summary.fields[:FIELD_COUNT_LIMIT]
    ]


def _author(summary: Summary) -> dict[str, str] | None:
    if not summary.actor:
        return None
    author = {"name": shorten(summary.actor, AUTHOR_LIMIT)}
    if summary.actor_url:
        author["url"] = summary.actor_url
    if summary.actor_avatar:
        author["icon_url"] = summary.actor_avatar
    return author


def _text_size(embed: dict[str, Any]) -> int:
    fields = embed.get("fields", [])
    return (
        len(embed.get("title", ""))
        + len(embed.get("description", ""))
        + len(embed.get("author", {}).get("name", ""))
        + sum(len(field["name"]) + len(field["value"]) for field in fields)
    )


def _fit_total(embed: dict[str, Any]) -> None:
    """Shrink the description until the whole embed is within Discord's total limit."""
    excess = _text_size(embed) - EMBED_TOTAL_LIMIT
    description = embed.get("description", "")
    if excess > 0 and description:
        embed["description"] = shorten(description, max(len(description) - excess, 1))


def build_embed(summary: Summary, fallback_time: str | None = None) -> dict[str, Any]:
    embed: dict[str, Any] = {
        "title": shorten(f"[{summary.repo}] {summary.title}", TITLE_LIMIT),
        "url": summary.url,
        "description": _description(summary),
        "color": summary.color,
        "author": _author(summary),
        "fields": _fields(summary),
        "timestamp": summary.timestamp or fallback_time,
    }
    # Discord refuses empty strings and nulls in several embed keys: leave them out.
    embed = {key: value for key, value in embed.items() if value not in (None, "")}
    _fit_total(embed)
    return embed


class GitHubToDiscord(Transformer):
    name = "github_to_discord"
    description = "GitHub events as a Discord embed (push, ping, issues, PRs, releases)"

    def transform(self, data: TransformInput) -> Outbound:
        summary = summarize(github_event(data), data.payload)
        received = data.received_at.isoformat() if data.received_at else None
        username = data.options.get("username") or DEFAULT_USERNAME
        return Outbound.json(
            {
                "username": str(username)[:80],  # Discord's username limit
                "embeds": [build_embed(summary, received)],
                "allowed_mentions": {"parse": []},
            }
        )
