"""Typed readers for environment variables, and the `.env` file that fills them.

Every helper raises ImproperlyConfigured on a value it cannot parse, so a typo in a
deployment stops start-up with a message instead of silently running on a default.
"""

from __future__ import annotations

import ipaddress
import os
from pathlib import Path
from urllib.parse import parse_qs, unquote, urlsplit

from django.core.exceptions import ImproperlyConfigured
from dotenv import load_dotenv

_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off", ""}
ENV_FILE_VARIABLE = "RELAYCORE_ENV_FILE"


def load_env_file(base_dir: Path) -> Path | None:
    """Read `KEY=value` lines of the project's `.env` into the environment, once per
    process, before any setting is read: so `make run`, its web, worker and Beat, and
    every `manage.py` command see the same settings. A variable already set in the
    real environment wins. RELAYCORE_ENV_FILE names another file (relative to the
    project), or is empty to read none (the tests set it so). Answers the file read."""
    named = os.environ.get(ENV_FILE_VARIABLE)
    if named is not None and not named.strip():
        return None
    path = base_dir / (named.strip() if named else ".env")
    if not path.is_file():
        if named:
            raise ImproperlyConfigured(f"{ENV_FILE_VARIABLE}={named!r}: no such file")
        return None
    load_dotenv(path, override=False)
    return path


def env_str(name: str, default: str = "") -> str:
    return os.environ.get(name, default).strip()


def env_bool(name: str, default: bool = False) -> bool:
    raw = os.environ.get(name)
    if raw is None:
        return default
    value = raw.strip().lower()
    if value in _TRUE:
        return True
    if value in _FALSE:
        return False
    raise ImproperlyConfigured(f"{name} must be a boolean (true/false), got {raw!r}")


def env_int(name: str, default: int, *, minimum: int | None = None) -> int:
    raw = os.environ.get(name)
    if raw is None or not raw.strip():
        return default
    try:
        value = int(raw.strip())
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be an integer, got {raw!r}") from None
    if minimum is not None and value < minimum:
        raise ImproperlyConfigured(f"{name} must be >= {minimum}, got {value}")
    return value


def env_float(name: str, default: float, *, minimum: float | None = None) -> float:
    raw = os.environ.get(name)
    if raw is None or not raw.strip():
        return default
    try:
        value = float(raw.strip())
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be a number, got {raw!r}") from None
    if minimum is not None and value < minimum:
        raise ImproperlyConfigured(f"{name} must be >= {minimum}, got {value}")
    return value


def env_list(name: str, default: str = "") -> list[str]:
    raw = os.environ.get(name, default)
    return [item.strip() for item in raw.split(",") if item.strip()]


def env_networks(name: str) -> list[ipaddress.IPv4Network | ipaddress.IPv6Network]:
    networks = []
    for item in env_list(name):
        try:
            networks.append(ipaddress.ip_network(item, strict=False))
        except ValueError:
            raise ImproperlyConfigured(f"{name}: {item!r} is not a CIDR network") from None
    return networks


_PERIODS = {"s": 1, "sec": 1, "second": 1, "m": 60, "min": 60, "minute": 60, "h": 3600}
_PERIODS |= {"hour": 3600, "d": 86400, "day": 86400}


def parse_rate(value: str) -> tuple[int, int]:
    """`20/min` -> (20, 60); `0/min` means no limit. Raises ValueError otherwise."""
    count, _, period = value.strip().partition("/")
    seconds = _PERIODS.get(period.strip().lower())
    if seconds is None or not count.strip().isdigit():
        raise ValueError(value)
    return int(count), seconds


def env_rate(name: str, default: str) -> str:
    """A rate such as `20/min` (per s, min, hour or day), checked at start-up."""
    raw = os.environ.get(name, "").strip() or default
    try:
        parse_rate(raw)
    except ValueError:
        raise ImproperlyConfigured(
            f"{name} must look like 20/min (a count per s, min, hour or day), got {raw!r}"
        ) from None
    return raw


def env_email_url(name: str) -> dict:
    """`smtp://user:pass@host:587?tls=1` (or `smtps://...` for implicit TLS) -> the
    parts Django's EMAIL_* settings need; empty when unset."""
    raw = env_str(name)
    if not raw:
        return {}
    try:
        parts = urlsplit(raw)
        port = parts.port
    except ValueError:
        raise ImproperlyConfigured(f"{name} is not a valid URL") from None
    if parts.scheme not in ("smtp", "smtps") or not parts.hostname:
        raise ImproperlyConfigured(f"{name} must look like smtp://user:pass@host:587?tls=1")
    query = {k: v[-1].strip().lower() for k, v in parse_qs(parts.query).items()}
    for key in ("tls", "ssl"):
        if query.get(key, "0") not in _TRUE | _FALSE:
            raise ImproperlyConfigured(f"{name}: {key}= must be 0 or 1")
    ssl = parts.scheme == "smtps" or query.get("ssl", "0") in _TRUE
    return {
        "host": parts.hostname,
        "port": port or (465 if ssl else 25),
        "user": unquote(parts.username or ""),
        "password": unquote(parts.password or ""),
        "tls": query.get("tls", "0") in _TRUE,
        "ssl": ssl,
    }
