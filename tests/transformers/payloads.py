"""Small but realistic sample payloads, trimmed from real GitHub and Google deliveries."""

from __future__ import annotations

import copy
from datetime import UTC, datetime

RECEIVED_AT = datetime(2024, 5, 1, 12, 30, tzinfo=UTC)

REPOSITORY = {
    "id": 1296269,
    "name": "hello-world",
    "full_name": "octo-org/hello-world",
    "html_url": "https://github.com/octo-org/hello-world",
}
SENDER = {
    "login": "octocat",
    "html_url": "https://github.com/octocat",
    "avatar_url": "https://avatars.githubusercontent.com/u/583231?v=4",
}


def _commit(number: int, message: str) -> dict:
    sha = f"{number:02d}" + "a1b2c3d4e5f6" * 3
    return {
        "id": sha,
        "message": message,
        "timestamp": "2024-05-01T12:29:00+02:00",
        "url": f"https://github.com/octo-org/hello-world/commit/{sha}",
        "author": {"name": "Mona Lisa", "email": "mona@example.com", "username": "mona"},
    }


PUSH = {
    "ref": "refs/heads/main",
    "before": "0" * 40,
    "after": "7" * 40,
    "created": False,
    "deleted": False,
    "forced": False,
    "compare": "https://github.com/octo-org/hello-world/compare/000000...777777",
    "commits": [
        _commit(1, "Fix login redirect\n\nThe next= parameter was dropped."),
        _commit(2, "Escape <script> & friends in titles"),
        _commit(3, "Bump deps"),
        _commit(4, "Add tests"),
        _commit(5, "Tidy"),
        _commit(6, "Docs"),
        _commit(7, "Release notes"),
    ],
    "head_commit": _commit(7, "Release notes"),
    "repository": REPOSITORY,
    "pusher": {"name": "mona", "email": "mona@example.com"},
    "sender": SENDER,
}

PING = {
    "zen": "Keep it logically awesome.",
    "hook_id": 482190,
    "hook": {"type": "Repository", "id": 482190, "updated_at": "2024-05-01T10:00:00Z"},
    "repository": REPOSITORY,
    "sender": SENDER,
}

ISSUE_OPENED = {
    "action": "opened",
    "issue": {
        "number": 1347,
        "title": "Crash when title has <b>tags</b> & ampersands",
        "html_url": "https://github.com/octo-org/hello-world/issues/1347",
        "user": {"login": "hubot"},
        "body": "Steps to reproduce:\n1. open it\n2. @everyone look",
        "updated_at": "2024-05-01T12:00:00Z",
    },
    "repository": REPOSITORY,
    "sender": SENDER,
}

PULL_REQUEST_OPENED = {
    "action": "opened",
    "number": 42,
    "pull_request": {
        "number": 42,
        "title": "Add dark mode",
        "html_url": "https://github.com/octo-org/hello-world/pull/42",
        "user": {"login": "mona"},
        "body": "Adds a toggle.",
        "merged": False,
        "head": {"ref": "feature/dark-mode"},
        "base": {"ref": "main"},
        "updated_at": "2024-05-01T11:00:00Z",
    },
    "repository": REPOSITORY,
    "sender": SENDER,
}


def pull_request_closed(merged: bool) -> dict:
    payload = copy.deepcopy(PULL_REQUEST_OPENED)
    payload["action"] = "closed"
    payload["pull_request"]["merged"] = merged
    return payload


RELEASE_PUBLISHED = {
    "action": "published",
    "release": {
        "tag_name": "v2.1.0",
        "name": "Spring release",
        "html_url": "https://github.com/octo-org/hello-world/releases/tag/v2.1.0",
        "body": "## Changes\n- faster",
        "published_at": "2024-05-01T09:00:00Z",
    },
    "repository": REPOSITORY,
    "sender": SENDER,
}

STAR_CREATED = {"action": "created", "starred_at": None, "repository": REPOSITORY, "sender": SENDER}

GITHUB_EVENTS = {
    "push": PUSH,
    "ping": PING,
    "issues": ISSUE_OPENED,
    "pull_request": PULL_REQUEST_OPENED,
    "release": RELEASE_PUBLISHED,
}

GOOG_META = {
    "channel-id": "01234567-89ab-cdef-0123456789ab",
    "channel-expiration": "Tue, 19 Nov 2024 01:13:52 GMT",
    "channel-token": "to=calendar-sync",
    "message-number": "10",
    "resource-id": "ret08u3rv24htgh289g",
    "resource-state": "exists",
    "resource-uri": "https://www.googleapis.com/calendar/v3/calendars/primary/events?alt=json",
}

CALENDAR_EVENT = {
    "kind": "calendar#event",
    "id": "evt_8a1b2c",
    "status": "confirmed",
    "htmlLink": "https://www.google.com/calendar/event?eid=ZXZ0",
    "summary": "Quarterly planning",
    "start": {"dateTime": "2024-05-02T09:00:00+02:00", "timeZone": "Europe/Paris"},
    "end": {"dateTime": "2024-05-02T10:00:00+02:00", "timeZone": "Europe/Paris"},
    "organizer": {"email": "lead@example.com", "self": True},
    "attendees": [
        {"email": "ana@example.com", "responseStatus": "accepted"},
        {"email": "bo@example.com", "responseStatus": "needsAction"},
        {"displayName": "Room 4"},
    ],
}

CONTACT_FORM = {
    "name": "Ada <Lovelace>",
    "email": "ada@example.com",
    "topics": ["billing", "support & sales"],
    "message": "Hello,\n<script>alert(1)</script>",
}
