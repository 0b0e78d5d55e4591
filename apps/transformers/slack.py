"""GitHub events as Slack incoming-webhook messages (``text`` + Block Kit ``blocks``).

Slack mrkdwn treats ``&``, ``<`` and ``>`` as control characters (``<!channel>``,
``<url|label>``), so every piece of user text is escaped before it is put in a message.
"""

from __future__ import annotations

from typing import Any

from apps.transformers.base import Outbound, Transformer, TransformInput
from apps.transformers.github import Summary, github_event, summarize

SECTION_LIMIT = 3000  # characters in one section's text
FIELD_LIMIT = 10  # fields in one section
FIELD_TEXT_LIMIT = 2000
NOTE_LIMIT = 500  # issue bodies and release notes are long; a chat shows a taste


def escape(value: str) -> str:
    return value.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def shorten(value: str, limit: int) -> str:
    return value if len(value) <= limit else value[: limit - 1] + "…"


def slack_link(label: str, url: str | None) -> str:
    if not url:
        return escape(label)
    return f"<{escape(url).replace('|', '%7C')}|{escape(label)}>"


def _section(markdown: str) -> dict[str, Any]:
    return {"type": "section", "text": _mrkdwn(shorten(markdown, SECTION_LIMIT))}


def _mrkdwn(markdown: str) -> dict[str, str]:
    return {"type": "mrkdwn", "text": markdown}


def _commit_list(summary: Summary) -> str:
    lines = [
        f"• {slack_link(f'`{line.label}`', line.url)} {escape(line.text)}" for line in summary.lines
    ]
    if summary.unlisted:
        lines.append(f"… and {summary.unlisted} more")
    return "\n".join(lines)


def headline(summary: Summary) -> str:
    repo = slack_link(summary.repo, summary.repo_url)
    return f"[{repo}] *{slack_link(summary.title, summary.url)}*"


def _fields(summary: Summary) -> dict[str, Any]:
    fields = [
        _mrkdwn(shorten(f"*{escape(name)}*\n{escape(value)}", FIELD_TEXT_LIMIT))
        for name, value in summary.fields[:FIELD_LIMIT]
    ]
    return {"type": "section", "fields": fields}


def _quote(note: str) -> str:
    note = shorten(note.strip(), NOTE_LIMIT)
    return "\n".join(f"> {escape(line)}" for line in note.splitlines())


def render(summary: Summary) -> dict[str, Any]:
    blocks = [_section(headline(summary))]
    if summary.fields:
        blocks.append(_fields(summary))
    if summary.lines:
        blocks.append(_section(_commit_list(summary)))
    if summary.note.strip():
        blocks.append(_section(_quote(summary.note)))
    if summary.actor:
        by = f"by {slack_link(summary.actor, summary.actor_url)}"
        blocks.append({"type": "context", "elements": [_mrkdwn(by)]})
    return {"text": headline(summary), "blocks": blocks}


class GitHubToSlack(Transformer):
    name = "github_to_slack"
    description = "GitHub events as a Slack message (push, ping, issues, PRs, releases)"

    def transform(self, data: TransformInput) -> Outbound:
        return Outbound.json(render(summarize(github_event(data), data.payload)))
