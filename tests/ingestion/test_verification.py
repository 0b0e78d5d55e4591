"""Inbound verification, scheme by scheme.

Requests are signed here with hmac directly (and with the official standardwebhooks
library), never with the code under test, so a shared mistake cannot hide.
"""

import base64
import hashlib
import hmac
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

import pytest
from standardwebhooks.webhooks import Webhook

from apps.core.models import Source
from apps.ingestion.verification import (
    SCHEMES,
    Verdict,
    get_scheme,
    scheme_choices,
    verify_source_request,
)

NOW = 1_700_000_000.0
BODY = b'{"action": "opened", "number": 7}'


def hex_hmac(secret: str, message: bytes, algorithm=hashlib.sha256) -> str:
    return hmac.new(secret.encode(), message, algorithm).hexdigest()


def b64_hmac(secret: str, message: bytes, algorithm=hashlib.sha256) -> str:
    return base64.b64encode(hmac.new(secret.encode(), message, algorithm).digest()).decode()


def whsec(seed: str) -> str:
    return "whsec_" + base64.b64encode(seed.encode().ljust(24, b".")).decode()


# Signers: (body, secret, now) -> the headers a producer would send.


def sign_github(body, secret, now):
    return {"x-hub-signature-256": "sha256=" + hex_hmac(secret, body)}


def sign_hmac_sha256(body, secret, now):
    return {"x-signature": hex_hmac(secret, body)}


def sign_hmac(body, secret, now):
    return {"x-custom-signature": "sha1=" + b64_hmac(secret, body, hashlib.sha1)}


def sign_stripe(body, secret, now):
    t = str(int(now))
    return {"stripe-signature": f"t={t},v1={hex_hmac(secret, t.encode() + b'.' + body)}"}


def sign_slack(body, secret, now):
    t = str(int(now))
    return {
        "x-slack-request-timestamp": t,
        "x-slack-signature": "v0=" + hex_hmac(secret, b"v0:" + t.encode() + b":" + body),
    }


def sign_shopify(body, secret, now):
    return {"x-shopify-hmac-sha256": b64_hmac(secret, body)}


def sign_standard_webhooks(body, secret, now):
    sent_at = datetime.fromtimestamp(now, tz=UTC)
    return {
        "webhook-id": "msg_1",
        "webhook-timestamp": str(int(now)),
        "webhook-signature": Webhook(secret).sign("msg_1", sent_at, body.decode()),
    }


def sign_basic_auth(body, secret, now):
    return {"authorization": "Basic " + base64.b64encode(f"relay:{secret}".encode()).decode()}


def sign_api_key(body, secret, now):
    return {"x-api-key": secret}


@dataclass(frozen=True)
class Case:
    scheme: str
    sign: Callable[[bytes, str, float], dict[str, str]]
    options: dict = field(default_factory=dict)
    # current, previous (rotation), unrelated
    secrets: tuple[str, str, str] = ("current-secret", "previous-secret", "unrelated-secret")
    signs_body: bool = True

    def verify(self, headers, body=BODY, secrets=None, now=NOW) -> Verdict:
        secrets = [self.secrets[0]] if secrets is None else secrets
        return get_scheme(self.scheme).verify(headers, body, secrets, self.options, now)


CASES = [
    Case("github", sign_github),
    Case("hmac_sha256", sign_hmac_sha256),
    Case(
        "hmac",
        sign_hmac,
        options={
            "header": "X-Custom-Signature",
            "algorithm": "sha1",
            "encoding": "base64",
            "prefix": "sha1=",
        },
    ),
    Case("stripe", sign_stripe),
    Case("slack", sign_slack),
    Case("shopify", sign_shopify),
    Case(
        "standard_webhooks",
        sign_standard_webhooks,
        secrets=(whsec("current"), whsec("previous"), whsec("unrelated")),
    ),
    Case("basic_auth", sign_basic_auth, options={"username": "relay"}, signs_body=False),
    Case("api_key", sign_api_key, signs_body=False),
]
SIGNED = [case for case in CASES if case.signs_body]
TIMESTAMPED = [case for case in CASES if case.scheme in {"stripe", "slack", "standard_webhooks"}]
HEADERS = [(case, name) for case in CASES for name in case.sign(BODY, case.secrets[0], NOW)]


def ids(cases):
    return [case.scheme for case in cases]


def header_ids(pairs):
    return [f"{case.scheme}-{name}" for case, name in pairs]


# Behaviour every scheme shares


@pytest.mark.parametrize("case", CASES, ids=ids(CASES))
def test_it_accepts_a_correctly_signed_request(case):
    headers = case.sign(BODY, case.secrets[0], NOW)

    assert case.verify(headers) == Verdict(True)


@pytest.mark.parametrize("case", CASES, ids=ids(CASES))
def test_it_rejects_a_request_signed_with_the_wrong_secret(case):
    headers = case.sign(BODY, case.secrets[2], NOW)

    verdict = case.verify(headers)

    assert not verdict.ok
    assert "not match" in verdict.reason


@pytest.mark.parametrize("case", SIGNED, ids=ids(SIGNED))
def test_it_rejects_a_tampered_body(case):
    headers = case.sign(BODY, case.secrets[0], NOW)

    verdict = case.verify(headers, body=BODY.replace(b"7", b"8"))

    assert verdict == Verdict(False, "signature does not match")


@pytest.mark.parametrize(("case", "header"), HEADERS, ids=header_ids(HEADERS))
def test_it_rejects_a_request_missing_a_header(case, header):
    headers = case.sign(BODY, case.secrets[0], NOW)
    del headers[header]

    verdict = case.verify(headers)

    assert not verdict.ok
    assert verdict.reason.lower() == f"{header} header missing"


@pytest.mark.parametrize("case", CASES, ids=ids(CASES))
def test_it_accepts_the_previous_secret_during_rotation(case):
    current, previous, _ = case.secrets
    headers = case.sign(BODY, previous, NOW)

    assert case.verify(headers, secrets=[current, previous]).ok


@pytest.mark.parametrize("case", CASES, ids=ids(CASES))
def test_it_rejects_an_unrelated_secret_during_rotation(case):
    current, previous, unrelated = case.secrets
    headers = case.sign(BODY, unrelated, NOW)

    assert not case.verify(headers, secrets=[current, previous]).ok


@pytest.mark.parametrize("case", CASES, ids=ids(CASES))
def test_it_refuses_a_source_without_a_secret(case):
    headers = case.sign(BODY, case.secrets[0], NOW)

    assert case.verify(headers, secrets=["", ""]) == Verdict(False, "no secret configured")


@pytest.mark.parametrize("case", CASES, ids=ids(CASES))
def test_it_reads_header_names_in_any_case(case):
    headers = {name.title(): value for name, value in case.sign(BODY, case.secrets[0], NOW).items()}

    assert case.verify(headers).ok


# Timestamps


@pytest.mark.parametrize("case", TIMESTAMPED, ids=ids(TIMESTAMPED))
@pytest.mark.parametrize("offset", [-301, 301], ids=["stale", "future"])
def test_it_rejects_a_timestamp_outside_the_tolerance(case, offset):
    headers = case.sign(BODY, case.secrets[0], NOW + offset)

    verdict = case.verify(headers)

    assert not verdict.ok
    assert "outside the 300 s tolerance" in verdict.reason


@pytest.mark.parametrize("case", TIMESTAMPED, ids=ids(TIMESTAMPED))
@pytest.mark.parametrize("offset", [-299, 299])
def test_it_accepts_a_timestamp_inside_the_tolerance(case, offset):
    headers = case.sign(BODY, case.secrets[0], NOW + offset)

    assert case.verify(headers).ok


@pytest.mark.parametrize("case", TIMESTAMPED, ids=ids(TIMESTAMPED))
def test_it_honours_a_configured_tolerance(case):
    headers = case.sign(BODY, case.secrets[0], NOW - 600)
    scheme = get_scheme(case.scheme)

    assert scheme.verify(headers, BODY, [case.secrets[0]], {"tolerance_seconds": 900}, NOW).ok
    assert not scheme.verify(headers, BODY, [case.secrets[0]], {"tolerance_seconds": 60}, NOW).ok


# Malformed input never raises

MALFORMED = [
    ("github", {}, {"x-hub-signature-256": "757107ea0eb2509fc211221cce984b8a37570b6d7586"}),
    ("github", {}, {"x-hub-signature-256": "sha256=not-hex"}),
    ("github", {}, {"x-hub-signature-256": "sha256=abc"}),
    ("github", {}, {"x-hub-signature-256": "sha256=é\udcff"}),
    ("hmac_sha256", {}, {"x-signature": "zz" * 32}),
    ("hmac", {"header": "X-Sig", "encoding": "base64"}, {"x-sig": "***"}),
    ("hmac", {"header": "X-Sig", "prefix": "sha1="}, {"x-sig": "ab" * 20}),
    ("stripe", {}, {"stripe-signature": "garbage"}),
    ("stripe", {}, {"stripe-signature": "t=soon,v1=" + "ab" * 32}),
    ("stripe", {}, {"stripe-signature": f"t={int(NOW)}"}),
    ("stripe", {}, {"stripe-signature": f"t={int(NOW)},v1=xyz,v0={'ab' * 32}"}),
    ("slack", {}, {"x-slack-request-timestamp": "1e9", "x-slack-signature": "v0=ab"}),
    ("slack", {}, {"x-slack-request-timestamp": str(int(NOW)), "x-slack-signature": "ab" * 32}),
    ("slack", {}, {"x-slack-request-timestamp": str(int(NOW)), "x-slack-signature": "v0=q"}),
    ("shopify", {}, {"x-shopify-hmac-sha256": "!!not base64!!"}),
    ("shopify", {}, {"x-shopify-hmac-sha256": "ünïcode"}),
    (
        "standard_webhooks",
        {},
        {"webhook-id": "m", "webhook-timestamp": str(int(NOW)), "webhook-signature": "v1,@@@"},
    ),
    (
        "standard_webhooks",
        {},
        {"webhook-id": "m", "webhook-timestamp": str(int(NOW)), "webhook-signature": "v2,abcd"},
    ),
    (
        "standard_webhooks",
        {},
        {"webhook-id": "m", "webhook-timestamp": "12.5", "webhook-signature": "v1,abcd"},
    ),
    ("basic_auth", {"username": "relay"}, {"authorization": "Bearer abc"}),
    ("basic_auth", {"username": "relay"}, {"authorization": "Basic !!!"}),
    ("basic_auth", {"username": "relay"}, {"authorization": "Basic cmVsYXk="}),  # no colon
    ("basic_auth", {"username": "relay"}, {"authorization": "Basic /w=="}),  # not UTF-8
    ("basic_auth", {"username": "relay"}, {"authorization": "Basic"}),
    ("api_key", {}, {"x-api-key": "\udcff"}),
]


@pytest.mark.parametrize(("scheme", "options", "headers"), MALFORMED, ids=[m[0] for m in MALFORMED])
def test_it_rejects_a_malformed_header_without_raising(scheme, options, headers):
    secret = whsec("current") if scheme == "standard_webhooks" else "current-secret"

    verdict = get_scheme(scheme).verify(headers, b"\xff\xfe body", [secret], options, NOW)

    assert not verdict.ok
    assert verdict.reason


# The official Standard Webhooks signer only takes text; tests/core covers that case.
BINARY_SAFE = [case for case in SIGNED if case.scheme != "standard_webhooks"]


@pytest.mark.parametrize("case", BINARY_SAFE, ids=ids(BINARY_SAFE))
def test_it_verifies_a_body_that_is_not_utf8(case):
    body = b"\xff\xfe\x00 binary"

    assert case.verify(case.sign(body, case.secrets[0], NOW), body=body).ok


# Published examples


def test_github_accepts_its_published_example():
    headers = {
        "x-hub-signature-256": (
            "sha256=757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17"
        )
    }

    verdict = get_scheme("github").verify(
        headers, b"Hello, World!", ["It's a Secret to Everybody"], {}, NOW
    )

    assert verdict.ok


# Slack's documentation example. Its body has token=xyzz0WbapA4vBCDEFasx0q6G; other
# copies of this example carry a different token, and with it the signature no longer
# matches.
SLACK_BODY = (
    b"token=xyzz0WbapA4vBCDEFasx0q6G&team_id=T1DC2JH3J&team_domain=testteamnow"
    b"&channel_id=G8PSS9T3V&channel_name=foobar&user_id=U2CERLKJA&user_name=roadrunner"
    b"&command=%2Fwebhook-collect&text=&response_url=https%3A%2F%2Fhooks.slack.com"
    b"%2Fcommands%2FT1DC2JH3J%2F397700885554%2F96rGlfmibIGlgcZRskXaIFfN"
    b"&trigger_id=398738663015.47445629121.803a0bc887a14d10d2c447fce8b6703c"
)
SLACK_HEADERS = {
    "x-slack-request-timestamp": "1531420618",
    "x-slack-signature": "v0=a2114d57b48eac39b9ad189dd8316235a7b4a8d21a10bd27519666489c69b503",
}
SLACK_SECRET = "8f742231b10e8888abcd99yyyzzz85a5"


def test_slack_accepts_its_published_example():
    verdict = get_scheme("slack").verify(
        SLACK_HEADERS, SLACK_BODY, [SLACK_SECRET], {}, 1531420618 + 5
    )

    assert verdict.ok


def test_slack_rejects_its_published_example_five_minutes_later():
    verdict = get_scheme("slack").verify(
        SLACK_HEADERS, SLACK_BODY, [SLACK_SECRET], {}, 1531420618 + 301
    )

    assert not verdict.ok


STANDARD_HEADERS = {
    "webhook-id": "msg_p5jXN8AQM9LWM0D4loKWxJek",
    "webhook-timestamp": "1614265330",
    "webhook-signature": "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=",
}
STANDARD_SECRET = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"


def test_standard_webhooks_accepts_its_published_example():
    verdict = get_scheme("standard_webhooks").verify(
        STANDARD_HEADERS, b'{"test": 2432232314}', [STANDARD_SECRET], {}, 1614265330 + 5
    )

    assert verdict.ok


def test_standard_webhooks_accepts_a_secret_without_the_whsec_prefix():
    secret = STANDARD_SECRET.removeprefix("whsec_")

    verdict = get_scheme("standard_webhooks").verify(
        STANDARD_HEADERS, b'{"test": 2432232314}', [secret], {}, 1614265330
    )

    assert verdict.ok


def test_standard_webhooks_reports_a_secret_that_is_not_a_key():
    verdict = get_scheme("standard_webhooks").verify(
        STANDARD_HEADERS, b'{"test": 2432232314}', ["not a key!"], {}, 1614265330
    )

    assert verdict == Verdict(False, "no valid whsec_ secret configured")


# Scheme-specific details


def test_none_accepts_anything():
    assert get_scheme("none").verify({}, b"", [], {}, NOW).ok


def test_stripe_accepts_any_of_several_v1_signatures():
    t = str(int(NOW))
    good = hex_hmac("current-secret", t.encode() + b"." + BODY)
    header = f"t={t},v1={'0' * 64},v0={'1' * 64},v1={good}"

    verdict = get_scheme("stripe").verify(
        {"stripe-signature": header}, BODY, ["current-secret"], {}, NOW
    )

    assert verdict.ok


def test_stripe_ignores_a_v0_signature():
    t = str(int(NOW))
    v0 = hex_hmac("current-secret", t.encode() + b"." + BODY)
    header = f"t={t},v0={v0}"

    verdict = get_scheme("stripe").verify(
        {"stripe-signature": header}, BODY, ["current-secret"], {}, NOW
    )

    assert not verdict.ok
    assert "no valid v1 signature" in verdict.reason


def test_hmac_sha256_accepts_a_sha256_prefix_and_a_custom_header():
    headers = {"x-hook-sig": "sha256=" + hex_hmac("current-secret", BODY)}

    verdict = get_scheme("hmac_sha256").verify(
        headers, BODY, ["current-secret"], {"header": "X-Hook-Sig"}, NOW
    )

    assert verdict.ok


@pytest.mark.parametrize("algorithm", ["sha1", "sha256", "sha512"])
@pytest.mark.parametrize("encoding", ["hex", "base64"])
def test_hmac_supports_each_algorithm_and_encoding(algorithm, encoding):
    digest = hmac.new(b"current-secret", BODY, getattr(hashlib, algorithm)).digest()
    value = digest.hex() if encoding == "hex" else base64.b64encode(digest).decode()
    options = {"header": "X-Sig", "algorithm": algorithm, "encoding": encoding}

    verdict = get_scheme("hmac").verify({"x-sig": value}, BODY, ["current-secret"], options, NOW)

    assert verdict.ok


def test_hmac_refuses_to_run_without_a_header_option():
    verdict = get_scheme("hmac").verify({"x-sig": "ab"}, BODY, ["current-secret"], {}, NOW)

    assert verdict == Verdict(False, "verification option 'header' is required")


def test_basic_auth_rejects_the_wrong_username():
    headers = sign_basic_auth(BODY, "current-secret", NOW)

    verdict = get_scheme("basic_auth").verify(
        headers, BODY, ["current-secret"], {"username": "someone"}, NOW
    )

    assert verdict == Verdict(False, "credentials do not match")


def test_api_key_reads_a_custom_header():
    verdict = get_scheme("api_key").verify(
        {"x-token": "current-secret"}, BODY, ["current-secret"], {"header": "X-Token"}, NOW
    )

    assert verdict.ok


# Options validation


def test_valid_options_have_no_errors():
    assert get_scheme("github").validate_options({}) == {}
    assert get_scheme("stripe").validate_options({"tolerance_seconds": 600}) == {}
    assert (
        get_scheme("hmac").validate_options(
            {"header": "X-Sig", "algorithm": "sha512", "encoding": "base64", "prefix": "sha512="}
        )
        == {}
    )


@pytest.mark.parametrize(
    ("scheme", "options", "bad"),
    [
        ("hmac", {}, "header"),
        ("hmac", {"header": "X Sig"}, "header"),
        ("hmac", {"header": "X-Sig", "algorithm": "md5"}, "algorithm"),
        ("hmac", {"header": "X-Sig", "encoding": "base32"}, "encoding"),
        ("hmac", {"header": "X-Sig", "prefix": 5}, "prefix"),
        ("hmac_sha256", {"header": 42}, "header"),
        ("api_key", {"header": "X-Key:"}, "header"),
        ("basic_auth", {}, "username"),
        ("basic_auth", {"username": "a:b"}, "username"),
        ("stripe", {"tolerance_seconds": -1}, "tolerance_seconds"),
        ("slack", {"tolerance_seconds": "300"}, "tolerance_seconds"),
        ("standard_webhooks", {"tolerance_seconds": True}, "tolerance_seconds"),
        ("github", {"header": "X-Other"}, "header"),
    ],
)
def test_invalid_options_are_reported_by_name(scheme, options, bad):
    errors = get_scheme(scheme).validate_options(options)

    assert list(errors) == [bad]
    assert errors[bad]


def test_a_leftover_option_does_not_block_verification():
    headers = sign_github(BODY, "current-secret", NOW)

    verdict = get_scheme("github").verify(headers, BODY, ["current-secret"], {"header": "X"}, NOW)

    assert verdict.ok


# Registry


def test_the_registry_holds_every_scheme():
    assert [name for name, _ in scheme_choices()] == [
        "none",
        "github",
        "hmac_sha256",
        "hmac",
        "stripe",
        "slack",
        "shopify",
        "standard_webhooks",
        "basic_auth",
        "api_key",
    ]
    assert all(SCHEMES[name].label == label for name, label in scheme_choices())


def test_get_scheme_raises_key_error_for_an_unknown_name():
    with pytest.raises(KeyError):
        get_scheme("carrier-pigeon")


def test_only_standard_webhooks_names_an_idempotency_header():
    headers = {name: s.default_idempotency_header for name, s in SCHEMES.items()}

    assert headers.pop("standard_webhooks") == "webhook-id"
    assert set(headers.values()) == {None}


def test_every_scheme_but_none_needs_a_secret():
    assert [name for name, s in SCHEMES.items() if not s.needs_secret] == ["none"]


# Against a Source (unsaved: no database needed)


def github_source(**fields) -> Source:
    return Source(verification_scheme="github", secret="current-secret", **fields)


def test_verify_source_request_uses_the_source_scheme_and_secret():
    headers = sign_github(BODY, "current-secret", NOW)

    assert verify_source_request(github_source(), headers, BODY) == Verdict(True)


def test_verify_source_request_accepts_the_previous_secret_until_it_expires():
    headers = sign_github(BODY, "previous-secret", NOW)
    later = datetime.now(tz=UTC) + timedelta(hours=1)
    earlier = datetime.now(tz=UTC) - timedelta(hours=1)

    rotating = github_source(previous_secret="previous-secret", previous_secret_expires_at=later)
    expired = github_source(previous_secret="previous-secret", previous_secret_expires_at=earlier)

    assert verify_source_request(rotating, headers, BODY).ok
    assert not verify_source_request(expired, headers, BODY).ok


def test_verify_source_request_passes_options_and_time():
    source = Source(
        verification_scheme="stripe",
        secret="current-secret",
        verification_options={"tolerance_seconds": 60},
    )
    headers = sign_stripe(BODY, "current-secret", NOW - 120)

    assert not verify_source_request(source, headers, BODY, now=NOW).ok
    assert verify_source_request(source, headers, BODY, now=NOW - 100).ok


def test_verify_source_request_with_a_standard_webhooks_source():
    source = Source(verification_scheme="standard_webhooks", secret=STANDARD_SECRET)

    verdict = verify_source_request(
        source, STANDARD_HEADERS, b'{"test": 2432232314}', now=1614265330
    )

    assert verdict.ok


def test_verify_source_request_refuses_an_unknown_scheme():
    source = Source(verification_scheme="carrier-pigeon")

    verdict = verify_source_request(source, {}, BODY, now=NOW)

    assert verdict == Verdict(False, "unknown verification scheme 'carrier-pigeon'")


def test_verify_source_request_accepts_anything_for_scheme_none():
    assert verify_source_request(Source(verification_scheme="none"), {}, BODY).ok
