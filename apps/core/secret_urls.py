"""Destination URLs that carry a credential, and how to show them without it.

Many webhook URLs are their own password: Slack's hooks.slack.com/services/T../B../x..,
Discord's /api/webhooks/<id>/<token>, Teams' webhook.office.com/webhookb2/..., any
?token=/key=/sig=... query and any user:password@ netloc. Such a URL is masked
everywhere but an admin's view of the destination: the scheme and host stay, the
secret part becomes "***" (a path keeps its first two characters, so two Slack hooks
can still be told apart).

    carries_credential(url)   does the URL hold a secret?
    mask_url(url)             the URL with each secret part replaced
    mask_in_text(text, url)   `text` (an error message) with the URL's secrets masked
"""

from __future__ import annotations

import re
from urllib.parse import parse_qsl, quote, urlsplit, urlunsplit

MASK = "***"
MIN_PIECE = 4
# Host (itself or any subdomain) -> the path prefix after which everything is secret.
SECRET_PATHS: dict[str, tuple[str, ...]] = {
    "hooks.slack.com": ("/services/", "/workflows/", "/triggers/"),
    "discord.com": ("/api/webhooks/",),
    "discordapp.com": ("/api/webhooks/",),
    "webhook.office.com": ("/webhookb2/",),
    "hooks.zapier.com": ("/hooks/catch/",),
}
SECRET_QUERY = re.compile(
    r"(?:^|[_-])(?:token|key|secret|sig|signature|code|password|passwd|auth|"
    r"credentials?)$|^(?:apikey|api[_-]?key|access[_-]?token|x-amz-signature)$",
    re.IGNORECASE,
)


def _secret_prefix(host: str, path: str) -> str | None:
    for suffix, prefixes in SECRET_PATHS.items():
        if host == suffix or host.endswith("." + suffix):
            for prefix in prefixes:
                if path.startswith(prefix) and len(path) > len(prefix):
                    return prefix
    return None


def _split(url: str):
    try:
        parts = urlsplit(url)
        parts.port  # noqa: B018 - raises ValueError on a malformed port
    except ValueError:
        return None
    return parts


def carries_credential(url: str) -> bool:
    parts = _split(url)
    if parts is None:
        return True  # unreadable: show none of it rather than guess
    host = (parts.hostname or "").lower()
    return bool(
        parts.username
        or parts.password
        or _secret_prefix(host, parts.path)
        or any(SECRET_QUERY.search(name) for name, _ in parse_qsl(parts.query, True))
    )


def mask_url(url: str) -> str:
    """`url` with its credentials replaced by ***; unchanged when it carries none."""
    if not url or not carries_credential(url):
        return url
    parts = _split(url)
    if parts is None:
        return MASK
    host = parts.hostname or ""
    if ":" in host:
        host = f"[{host}]"
    netloc = host if parts.port is None else f"{host}:{parts.port}"
    if parts.username or parts.password:
        netloc = f"{MASK}@{netloc}"
    path = parts.path
    prefix = _secret_prefix(host.lower(), path)
    if prefix:
        path = prefix + path[len(prefix) : len(prefix) + 2] + MASK
    query = "&".join(
        f"{quote(name, safe='')}={MASK if SECRET_QUERY.search(name) else quote(value, safe='')}"
        for name, value in parse_qsl(parts.query, True)
    )
    return urlunsplit((parts.scheme, netloc, path, query, ""))


def secret_parts(url: str) -> list[str]:
    """The literal pieces of `url` that are secret, longest first."""
    parts = _split(url)
    if parts is None:
        return [url] if url else []
    found = [p for p in (parts.username, parts.password) if p]
    prefix = _secret_prefix((parts.hostname or "").lower(), parts.path)
    if prefix:
        rest = parts.path[len(prefix) :]
        found.extend([rest, *rest.split("/")])
    for name, value in parse_qsl(parts.query, True):
        if SECRET_QUERY.search(name) and value:
            found.extend({value, quote(value, safe="")})
    # Pieces this short would also match ordinary words of a message ("p" in "http").
    return sorted({p for p in found if len(p) >= MIN_PIECE}, key=len, reverse=True)


def mask_in_text(text: str, url: str) -> str:
    """An error message or log line about `url` with none of its secrets left in it."""
    if not text or not url:
        return text
    text = text.replace(url, mask_url(url))
    for piece in secret_parts(url):
        text = text.replace(piece, MASK)
    return text
