"""The SSRF guard: may RelayCore send a request to this URL?

A destination URL is typed by a user, so it may point at the metadata service, the
database next door or the gateway itself. The guard parses the host the way resolvers
do (every IPv4 spelling, bracketed IPv6), resolves names once, and judges every address
it gets. Private deployments open chosen networks with DESTINATION_ALLOWED_NETWORKS.

The guard runs twice: when a destination is saved (``validate_destination_url``) and
before every delivery (``check_url``, called by the HTTP client's transport, which then
connects to the addresses checked here and never looks the name up again).

Errors::

    DestinationError         the URL cannot be used as a destination right now
     ├── UnsafeDestination   refused by policy: bad scheme, credentials, port or
     │                       address (permanent, retrying will not help)
     └── HostNotFound        the name did not resolve (may be temporary)
"""

from __future__ import annotations

import ipaddress
import socket
from collections.abc import Callable
from urllib.parse import urlsplit

from django.conf import settings
from django.core.exceptions import ValidationError

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address
IPNetwork = ipaddress.IPv4Network | ipaddress.IPv6Network

ALLOWED_SCHEMES = {"http": 80, "https": 443}
_POLICY = "destinations must be public unless listed in DESTINATION_ALLOWED_NETWORKS"
_SHARED_ADDRESS_SPACE = ipaddress.IPv4Network("100.64.0.0/10")  # carrier-grade NAT
_NAT64 = ipaddress.IPv6Network("64:ff9b::/96")  # well-known prefix, last 32 bits are IPv4


class DestinationError(Exception):
    """The URL cannot be used as a destination; the message says why, for humans."""


class UnsafeDestination(DestinationError):
    """Refused by policy; the same URL will be refused next time too."""


class HostNotFound(DestinationError):
    """The host name did not resolve; DNS may answer later."""


# -- Parsing -----------------------------------------------------------------------------


def parse_host_ip(host: str) -> IPAddress | None:
    """The address a host spells, or None when the host is a name to resolve.

    Accepts what resolvers and browsers accept: 127.0.0.1, 2130706433, 0177.0.0.1,
    0x7f.0.0.1, 127.1, a trailing dot, and IPv6 with or without brackets.
    """
    host = host.strip().lower()
    if host.startswith("[") and host.endswith("]"):
        host = host[1:-1]
    if "%" in host:
        # Zone ids (fe80::1%eth0) name a local interface; percent-encoded hosts hide one.
        raise UnsafeDestination(f"{host} is not allowed: zone ids and %-escapes in hosts")
    if ":" in host:
        try:
            return ipaddress.IPv6Address(host)
        except ValueError:
            raise UnsafeDestination(f"{host} is not a valid IPv6 address") from None
    return _parse_ipv4(host)


def _parse_ipv4(host: str) -> ipaddress.IPv4Address | None:
    # The inet_aton / WHATWG rules: 1 to 4 parts, the last one fills the remaining bytes.
    parts = host.split(".")
    if len(parts) > 1 and parts[-1] == "":
        parts.pop()
    if not 1 <= len(parts) <= 4:
        return None
    try:
        numbers = [_parse_ipv4_number(part) for part in parts]
    except ValueError:
        return None
    *leading, last = numbers
    if any(number > 255 for number in leading) or last >= 256 ** (5 - len(numbers)):
        return None
    value = last
    for position, number in enumerate(leading):
        value += number << (8 * (3 - position))
    return ipaddress.IPv4Address(value)


def _parse_ipv4_number(part: str) -> int:
    if part.startswith("0x"):
        digits, base = part[2:], 16
    elif len(part) > 1 and part.startswith("0"):
        digits, base = part[1:], 8
    else:
        digits, base = part, 10
    if not digits:
        if base == 16:
            return 0  # "0x" alone reads as zero
        raise ValueError(part)
    # int() would also take "+1", " 1" and "1_0"; a resolver takes none of them.
    if any(char not in "0123456789abcdef"[:base] for char in digits):
        raise ValueError(part)
    return int(digits, base)


# -- Judging addresses -------------------------------------------------------------------

_REFUSED: list[tuple[str, Callable[[IPAddress], bool]]] = [
    ("an unspecified address", lambda ip: ip.is_unspecified),
    ("a loopback address", lambda ip: ip.is_loopback),
    ("a link-local address", lambda ip: ip.is_link_local),
    ("a multicast address", lambda ip: ip.is_multicast),
    ("in the shared address space 100.64.0.0/10", lambda ip: ip in _SHARED_ADDRESS_SPACE),
    ("a site-local address", lambda ip: ip.version == 6 and ip.is_site_local),
    ("a reserved address", lambda ip: ip.is_reserved),
    ("a private address", lambda ip: ip.is_private),
    ("not a public address", lambda ip: not ip.is_global),
]


def check_address(ip: IPAddress, *, name: str | None = None) -> None:
    """Raise UnsafeDestination unless the address is public or explicitly allowed.

    ``name`` is the host name that resolved to ``ip``, used only in the message.
    """
    if _is_allowed(ip):
        return
    reason = _refusal_reason(ip)
    if reason is None:
        return
    subject = f"{name} resolves to {ip}, which is" if name else f"{ip} is"
    raise UnsafeDestination(f"{subject} {reason}; {_POLICY}")


def _allowed_networks() -> list[IPNetwork]:
    # Read on every call so that tests (and settings overrides) take effect at once.
    networks = getattr(settings, "DESTINATION_ALLOWED_NETWORKS", None) or []
    return [ipaddress.ip_network(network, strict=False) for network in networks]


def _is_allowed(ip: IPAddress) -> bool:
    candidates = [ip]
    if ip.version == 6 and ip.ipv4_mapped is not None:
        candidates.append(ip.ipv4_mapped)
    return any(
        candidate.version == network.version and candidate in network
        for network in _allowed_networks()
        for candidate in candidates
    )


def _refusal_reason(ip: IPAddress) -> str | None:
    if ip.version == 6:
        if ip.ipv4_mapped is not None:
            # Refused even when the IPv4 address is public: mapped forms only serve
            # to disguise an address; nobody publishes a webhook endpoint that way.
            return f"an IPv4-mapped address (of {ip.ipv4_mapped})"
        for kind, inner in _embedded_ipv4(ip):
            inner_reason = _refusal_reason(inner)
            if inner_reason:
                return f"a {kind} address embedding {inner}, which is {inner_reason}"
    for reason, applies in _REFUSED:
        if applies(ip):
            return reason
    return None


def _embedded_ipv4(ip: ipaddress.IPv6Address) -> list[tuple[str, ipaddress.IPv4Address]]:
    """IPv4 addresses that a transition mechanism would route this IPv6 address to."""
    embedded = []
    if ip.sixtofour is not None:
        embedded.append(("6to4", ip.sixtofour))
    if ip.teredo is not None:
        server, client = ip.teredo
        embedded += [("Teredo", server), ("Teredo", client)]
    if ip in _NAT64:
        embedded.append(("NAT64", ipaddress.IPv4Address(int(ip) & 0xFFFFFFFF)))
    return embedded


# -- URLs ------------------------------------------------------------------------------


def check_url(url: str) -> list[IPAddress]:
    """Check a destination URL and every address its host resolves to.

    Answers the checked addresses in resolver order; connect only to these.
    """
    host, port = _split_url(url)
    return resolve_and_check(host, port)


def resolve_and_check(host: str, port: int) -> list[IPAddress]:
    """Resolve ``host`` once (no lookup for IP literals) and check every address."""
    literal = parse_host_ip(host)
    if literal is not None:
        check_address(literal)
        return [literal]
    addresses = _resolve(host, port)
    for ip in addresses:
        check_address(ip, name=host)
    return addresses


def validate_destination_url(url: str) -> None:
    """Django field validator: refuse unsafe destination URLs with a readable message.

    A name that does not resolve today is accepted: DNS may be down or not yet set up,
    and the guard checks the URL again before every delivery.
    """
    try:
        check_url(url)
    except UnsafeDestination as exc:
        raise ValidationError(str(exc), code="unsafe_destination") from None
    except HostNotFound:
        pass


def _split_url(url: str) -> tuple[str, int]:
    try:
        parts = urlsplit(url.strip())
        port = parts.port
    except ValueError:
        raise UnsafeDestination("not a valid URL (check the host and port)") from None
    scheme = parts.scheme.lower()
    if scheme not in ALLOWED_SCHEMES:
        raise UnsafeDestination(f"only http and https URLs are allowed, not {scheme or '?'}:")
    if "@" in parts.netloc:
        raise UnsafeDestination("URLs must not carry credentials (user:password@host)")
    if not parts.hostname:
        raise UnsafeDestination("the URL has no host")
    if port == 0:
        raise UnsafeDestination("port 0 is not a valid port")
    return parts.hostname, port or ALLOWED_SCHEMES[scheme]


def _resolve(host: str, port: int) -> list[IPAddress]:
    try:
        answers = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError) as exc:
        raise HostNotFound(f"could not resolve {host}") from exc
    addresses: list[IPAddress] = []
    for family, _type, _proto, _canonname, sockaddr in answers:
        if family not in (socket.AF_INET, socket.AF_INET6):
            continue
        ip = ipaddress.ip_address(sockaddr[0].split("%", 1)[0])
        if family == socket.AF_INET6 and sockaddr[3]:
            # A scoped answer (fe80::1%eth0) is link-local by definition.
            raise UnsafeDestination(f"{host} resolves to {ip} with a zone id; {_POLICY}")
        if ip not in addresses:
            addresses.append(ip)
    if not addresses:
        raise HostNotFound(f"could not resolve {host}")
    return addresses
