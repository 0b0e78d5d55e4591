"""The SSRF guard: which destination URLs RelayCore refuses, and which it lets through."""

from __future__ import annotations

import ipaddress
import socket

import pytest
from django.core.exceptions import ValidationError

from apps.delivery.ssrf import (
    HostNotFound,
    UnsafeDestination,
    check_address,
    check_url,
    parse_host_ip,
    validate_destination_url,
)

LOOPBACK = ipaddress.ip_network("127.0.0.0/8")


@pytest.fixture
def no_allowed_networks(settings):
    settings.DESTINATION_ALLOWED_NETWORKS = []


@pytest.fixture
def dns(monkeypatch):
    """Answers for made-up names; every other lookup fails, as it would offline."""
    answers: dict[str, list[str]] = {}

    def getaddrinfo(host, port, *args, **kwargs):
        if host not in answers:
            raise socket.gaierror(socket.EAI_NONAME, "Name or service not known")
        return [
            (
                socket.AF_INET6 if ":" in ip else socket.AF_INET,
                socket.SOCK_STREAM,
                6,
                "",
                (ip, port, 0, 0) if ":" in ip else (ip, port),
            )
            for ip in answers[host]
        ]

    monkeypatch.setattr(socket, "getaddrinfo", getaddrinfo)
    return answers


@pytest.mark.parametrize(
    "url",
    [
        "http://169.254.169.254/latest/meta-data",
        "http://10.0.0.1/",
        "http://[::1]/",
        "http://0.0.0.0/",
        "http://localhost/",
        "http://2130706433/",
        "http://0177.0.0.1/",
        "http://0x7f.0.0.1/",
        "http://0x7f000001/",
        "http://127.1/",
        "http://127.0.0.1./",
        "http://[::ffff:127.0.0.1]/",
        "http://[::ffff:7f00:1]/",
        "http://[0:0:0:0:0:ffff:7f00:1]/",
        "http://[fe80::1%25eth0]/",
        "http://100.64.0.1/",
        "http://224.0.0.1/",
        "http://192.168.1.1:8080/admin",
        "http://[fd00::1]/",
        "ftp://example.com",
        "file:///etc/passwd",
        "http://user:pw@example.com/",
        "http://user@example.com/",
        "http:///no-host",
        "http://example.com:0/",
        "http://example.com:70000/",
        "http://example.com:http/",
    ],
)
def test_it_refuses_unsafe_urls(no_allowed_networks, url):
    with pytest.raises(UnsafeDestination):
        check_url(url)


def test_it_explains_a_refusal(no_allowed_networks):
    with pytest.raises(UnsafeDestination) as caught:
        check_url("http://169.254.169.254/latest/meta-data")

    assert str(caught.value) == (
        "169.254.169.254 is a link-local address; destinations must be public "
        "unless listed in DESTINATION_ALLOWED_NETWORKS"
    )


def test_it_names_the_host_that_resolved_to_a_refused_address(no_allowed_networks, dns):
    dns["internal.example"] = ["10.1.2.3"]

    with pytest.raises(UnsafeDestination, match="internal.example resolves to 10.1.2.3"):
        check_url("https://internal.example/hook")


def test_it_refuses_a_name_if_any_of_its_addresses_is_refused(no_allowed_networks, dns):
    dns["mixed.example"] = ["93.184.215.14", "127.0.0.1"]

    with pytest.raises(UnsafeDestination, match="loopback"):
        check_url("https://mixed.example/hook")


def test_it_answers_every_checked_address_of_a_public_name(no_allowed_networks, dns):
    dns["public.example"] = ["93.184.215.14", "2606:2800:21f:cb07:6820:80da:af6b:8b2c"]

    assert check_url("https://public.example/hook?x=1") == [
        ipaddress.ip_address("93.184.215.14"),
        ipaddress.ip_address("2606:2800:21f:cb07:6820:80da:af6b:8b2c"),
    ]


def test_it_accepts_a_public_ip_literal_without_a_lookup(no_allowed_networks, dns):
    assert check_url("HTTPS://93.184.215.14:8443/hook") == [ipaddress.ip_address("93.184.215.14")]


def test_it_reports_names_that_do_not_resolve(no_allowed_networks, dns):
    with pytest.raises(HostNotFound, match="could not resolve nowhere.example"):
        check_url("https://nowhere.example/")


def test_it_lets_allowed_networks_through(settings):
    settings.DESTINATION_ALLOWED_NETWORKS = [LOOPBACK]

    assert check_url("http://127.0.0.1:8000/hook") == [ipaddress.ip_address("127.0.0.1")]
    assert check_url("http://0x7f.0.0.1/") == [ipaddress.ip_address("127.0.0.1")]


def test_it_still_refuses_what_the_allow_list_does_not_cover(settings):
    settings.DESTINATION_ALLOWED_NETWORKS = [LOOPBACK]

    with pytest.raises(UnsafeDestination):
        check_url("http://10.0.0.1/")
    with pytest.raises(UnsafeDestination):
        check_url("http://user:pw@127.0.0.1/")


@pytest.mark.parametrize(
    ("host", "expected"),
    [
        ("127.0.0.1", "127.0.0.1"),
        ("2130706433", "127.0.0.1"),
        ("0177.0.0.1", "127.0.0.1"),
        ("017700000001", "127.0.0.1"),
        ("0x7f.0.0.1", "127.0.0.1"),
        ("0X7F000001", "127.0.0.1"),
        ("127.1", "127.0.0.1"),
        ("10.1.2", "10.1.0.2"),
        ("127.0.0.1.", "127.0.0.1"),
        ("0", "0.0.0.0"),
        ("[::1]", "::1"),
        ("::1", "::1"),
        ("[::ffff:127.0.0.1]", "::ffff:7f00:1"),
        ("[0:0:0:0:0:ffff:7f00:1]", "::ffff:7f00:1"),
    ],
)
def test_it_reads_every_spelling_of_an_address(host, expected):
    assert parse_host_ip(host) == ipaddress.ip_address(expected)


@pytest.mark.parametrize(
    "host",
    ["example.com", "1.2.3.4.5", "1.2.3.09", "256.1.1.1", "4294967296", "0x7g.0.0.1", "+1.2.3.4"],
)
def test_it_leaves_names_to_the_resolver(host):
    assert parse_host_ip(host) is None


@pytest.mark.parametrize(
    "host", ["[fe80::1%eth0]", "fe80::1%25eth0", "%31%32%37.0.0.1", "[::1::2]"]
)
def test_it_refuses_zone_ids_and_malformed_hosts(host):
    with pytest.raises(UnsafeDestination):
        parse_host_ip(host)


@pytest.mark.parametrize(
    ("address", "reason"),
    [
        ("0.0.0.0", "unspecified"),
        ("::", "unspecified"),
        ("127.0.0.1", "loopback"),
        ("169.254.169.254", "link-local"),
        ("fe80::1", "link-local"),
        ("224.0.0.1", "multicast"),
        ("ff02::1", "multicast"),
        ("100.64.0.1", "shared address space"),
        ("fec0::1", "site-local"),
        ("10.0.0.1", "private"),
        ("172.16.0.1", "private"),
        ("192.168.0.1", "private"),
        ("fd12:3456::1", "private"),
        ("240.0.0.1", "reserved"),
        ("::ffff:8.8.8.8", "IPv4-mapped"),
        ("2002:a00:1::", "6to4 address embedding 10.0.0.1"),
        ("2001:0:4136:e378:8000:63bf:3fff:fdd2", "Teredo address embedding 192.0.2.45"),
        ("64:ff9b::a00:1", "NAT64 address embedding 10.0.0.1"),
    ],
)
def test_it_refuses_non_public_addresses(no_allowed_networks, address, reason):
    with pytest.raises(UnsafeDestination, match=reason):
        check_address(ipaddress.ip_address(address))


@pytest.mark.parametrize("address", ["8.8.8.8", "93.184.215.14", "2606:4700:4700::1111"])
def test_it_accepts_public_addresses(no_allowed_networks, address):
    check_address(ipaddress.ip_address(address))


def test_it_judges_a_mapped_address_by_its_ipv4_address(settings):
    settings.DESTINATION_ALLOWED_NETWORKS = [LOOPBACK]

    check_address(ipaddress.ip_address("::ffff:127.0.0.1"))
    with pytest.raises(UnsafeDestination, match="IPv4-mapped"):
        check_address(ipaddress.ip_address("::ffff:10.0.0.1"))


def test_it_reads_the_allow_list_at_call_time(settings):
    address = ipaddress.ip_address("10.20.30.40")
    settings.DESTINATION_ALLOWED_NETWORKS = []
    with pytest.raises(UnsafeDestination):
        check_address(address)

    settings.DESTINATION_ALLOWED_NETWORKS = ["10.20.0.0/16"]
    check_address(address)


def test_an_ipv4_network_does_not_allow_ipv6_addresses(settings):
    settings.DESTINATION_ALLOWED_NETWORKS = [ipaddress.ip_network("0.0.0.0/0")]

    with pytest.raises(UnsafeDestination):
        check_address(ipaddress.ip_address("::1"))


def test_the_validator_raises_a_validation_error_with_the_reason(no_allowed_networks):
    with pytest.raises(ValidationError) as caught:
        validate_destination_url("http://169.254.169.254/latest/meta-data")

    assert caught.value.code == "unsafe_destination"
    assert "link-local" in caught.value.messages[0]


def test_the_validator_accepts_public_urls_and_names_not_resolvable_yet(no_allowed_networks, dns):
    validate_destination_url("https://93.184.215.14/hook")
    validate_destination_url("https://not-yet-in-dns.example/hook")
