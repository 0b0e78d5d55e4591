"""The client's address, believing forwarded headers only as far as settings say.

With TRUSTED_PROXY_COUNT = 0 (the default) nothing a client sends is believed: the
address is REMOTE_ADDR. With N > 0, N proxies of ours each appended (or, like the
shipped nginx, set) one X-Forwarded-For entry, so the Nth entry from the right is the
one the outermost of them saw; entries to its left are the client's own words. Axes,
the login throttle and the audit log all use this one answer.
"""

from __future__ import annotations

import ipaddress

from django.conf import settings
from django.http import HttpRequest


def client_address(request: HttpRequest) -> str:
    remote = request.META.get("REMOTE_ADDR", "") or ""
    count = settings.TRUSTED_PROXY_COUNT
    if count <= 0:
        return remote
    entries = [e.strip() for e in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
    entries = [e for e in entries if e]
    if not entries:
        return remote
    candidate = entries[-count] if len(entries) >= count else entries[0]
    try:
        return str(ipaddress.ip_address(candidate))
    except ValueError:
        return remote  # a port or garbage: not an address we can key on
