"""Bad input: random methods, slugs, headers, content types and bodies at the ingest
endpoint, through Django's test client. Whatever arrives, the answer is never a 5xx and
always JSON: the accepted or duplicate shape, or the one error shape."""

from __future__ import annotations

import json
import string

import pytest
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from apps.core import standard_webhooks
from tests.factories import github_signature, make_source

SLUGS = ["fz-none", "fz-github", "fz-hmac", "fz-stripe", "fz-slack", "fz-sw", "fz-basic", "fz-key"]
KNOWN_HEADERS = [
    "Content-Type",
    "X-GitHub-Event",
    "X-GitHub-Delivery",
    "X-Hub-Signature-256",
    "X-Signature",
    "Idempotency-Key",
    "webhook-id",
    "webhook-timestamp",
    "webhook-signature",
    "Stripe-Signature",
    "X-Slack-Signature",
    "X-Slack-Request-Timestamp",
    "X-Shopify-Hmac-Sha256",
    "Authorization",
    "X-API-Key",
    "Cookie",
    "X-Goog-Resource-State",
    "X-Goog-Channel-ID",
    "X-Forwarded-Proto",
    "Content-Encoding",
    "Transfer-Encoding",
]
CONTENT_TYPES = [
    "application/json",
    "application/json; charset=utf-8",
    "application/x-www-form-urlencoded",
    "multipart/form-data; boundary=xyz",
    "multipart/form-data",
    "text/plain",
    "application/octet-stream",
    "",
]
ALLOWED = {200, 401, 404, 405, 413, 429}

# Header values as WSGI hands them over: latin-1 text, no line breaks.
header_text = st.text(st.characters(min_codepoint=32, max_codepoint=255), max_size=120)
json_values = st.recursive(
    st.none()
    | st.booleans()
    | st.integers()
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(max_size=20),
    lambda children: (
        st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=10), children, max_size=4)
    ),
    max_leaves=12,
)
# What PostgreSQL's jsonb refuses (U+0000, and the NaN/Infinity Python's json accepts)
# has its own test below; it is kept out of the fuzz so the fuzz goes on searching.
UNSTORABLE = (b"\x00", b"\\u0000", b"%00", b"nan", b"infinity")


def storable(body: bytes) -> bool:
    return not any(form in body.lower() for form in UNSTORABLE)


bodies = st.one_of(
    st.binary(max_size=2048),
    json_values.map(lambda v: json.dumps(v).encode()),
    st.dictionaries(st.text(max_size=10), st.text(max_size=20), max_size=5).map(
        lambda d: "&".join(f"{k}={v}" for k, v in d.items()).encode()
    ),
    st.just(b"x" * (1024 * 1024 + 1)),  # over WEBHOOK_MAX_BODY_BYTES
).filter(storable)
header_names = st.sampled_from(KNOWN_HEADERS) | st.text(
    string.ascii_letters + string.digits + "-", min_size=1, max_size=30
)
ANY = "(any)"


def mostly(common: list[str], anything: st.SearchStrategy[str]) -> st.SearchStrategy[str]:
    """One of `common` most of the time, else anything at all: POST to a real source is
    where the interesting paths are, so that is what the fuzzer should mostly send."""
    return st.sampled_from([*common, ANY]).flatmap(
        lambda choice: anything if choice == ANY else st.just(choice)
    )


requests = st.fixed_dictionaries(
    {
        "method": mostly(
            ["POST"] * 20 + ["GET", "PUT", "DELETE", "HEAD", "OPTIONS"],
            st.text(string.ascii_uppercase, min_size=1, max_size=8),
        ),
        "slug": mostly(
            [*SLUGS, *SLUGS, "fz-off", "unknown"],
            st.from_regex(r"[-a-zA-Z0-9_]{1,80}", fullmatch=True),
        ),
        "content_type": mostly(CONTENT_TYPES, header_text),
        "headers": st.dictionaries(header_names, header_text, max_size=8),
        "body": bodies,
        "sign": st.booleans(),
    }
)


@pytest.fixture
def sources(db):
    """One source per verification scheme, and an inactive one."""
    secret = standard_webhooks.generate_secret()
    make_source(slug="fz-none")
    make_source(slug="fz-github", verification_scheme="github", secret="s")
    make_source(slug="fz-hmac", verification_scheme="hmac_sha256", secret="s")
    make_source(slug="fz-stripe", verification_scheme="stripe", secret="whsec_s")
    make_source(slug="fz-slack", verification_scheme="slack", secret="s")
    make_source(slug="fz-sw", verification_scheme="standard_webhooks", secret=secret)
    make_source(
        slug="fz-basic",
        verification_scheme="basic_auth",
        secret="pw",
        verification_options={"username": "u"},
    )
    make_source(slug="fz-key", verification_scheme="api_key", secret="k", rate_limit_per_minute=5)
    make_source(slug="fz-off", is_active=False)


def assert_well_formed(response, method: str) -> None:
    assert response.status_code in ALLOWED, (response.status_code, response.content[:300])
    assert response["Content-Type"].startswith("application/json"), response.content[:300]
    if method == "HEAD":
        return  # no body in an answer to HEAD, by definition
    body = json.loads(response.content)
    if response.status_code == 200:
        assert body in ({"status": "duplicate"}, {"status": "accepted", **body}), body
        if body["status"] == "accepted":
            assert set(body) == {"status", "delivery_id"} and isinstance(body["delivery_id"], int)
    else:
        assert set(body) == {"error"}, body
        assert set(body["error"]) == {"code", "message", "fields"}, body
        assert body["error"]["fields"] == {}, body
        code, message = body["error"]["code"], body["error"]["message"]
        assert all(isinstance(v, str) and v for v in (code, message)), body


@settings(
    max_examples=600,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(sent=requests)
def test_no_input_makes_ingest_fail_or_answer_off_shape(client, sources, sent):
    extra = {
        "HTTP_" + name.upper().replace("-", "_"): value for name, value in sent["headers"].items()
    }
    extra.pop("HTTP_CONTENT_TYPE", None)  # the test client sets CONTENT_TYPE itself
    extra.pop("HTTP_CONTENT_LENGTH", None)
    if sent["sign"]:
        # Past the signature check, so the odd bodies reach parsing and storage too.
        extra["HTTP_X_HUB_SIGNATURE_256"] = github_signature("s", sent["body"])
        extra["HTTP_X_SIGNATURE"] = extra["HTTP_X_HUB_SIGNATURE_256"].removeprefix("sha256=")
    response = client.generic(
        sent["method"],
        f"/webhooks/receive/{sent['slug']}/",
        data=sent["body"],
        content_type=sent["content_type"],
        **extra,
    )
    event(f"HTTP {response.status_code}")  # the spread, with --hypothesis-show-statistics
    try:
        assert_well_formed(response, sent["method"])
    except (AssertionError, ValueError) as exc:
        shown = {**sent, "body": sent["body"][:200]}
        raise AssertionError(f"{exc!r}\nfor {shown!r}") from exc


def _post(client, path: str):
    return client.post(path, data=b"{}", content_type="application/json")


@pytest.mark.parametrize("slug", ["a.b", "%C3%BC", "a%20b"])
def test_a_slug_outside_the_slug_pattern_answers_the_json_error_shape(client, sources, slug):
    response = _post(client, f"/webhooks/receive/{slug}/")
    assert response.status_code == 404
    assert_well_formed(response, "POST")


def test_a_missing_trailing_slash_is_accepted_not_redirected(client, sources):
    response = _post(client, "/webhooks/receive/fz-none")
    assert response.status_code == 200
    assert_well_formed(response, "POST")


@pytest.mark.parametrize(
    ("body", "content_type"),
    [
        (b'{"text": "a\\u0000b"}', "application/json"),
        (b'{"\\u0000": 1}', "application/json"),
        (b"field=a%00b", "application/x-www-form-urlencoded"),
        (b'{"amount": NaN}', "application/json"),
        (b"Infinity", "application/json"),
    ],
    ids=["nul-json-value", "nul-json-key", "nul-form-field", "nan", "infinity"],
)
def test_a_body_jsonb_cannot_hold_is_stored_not_refused_as_an_outage(
    client, sources, body, content_type
):
    response = client.post("/webhooks/receive/fz-none/", data=body, content_type=content_type)
    assert response.status_code == 200, response.content
    assert response.json()["status"] == "accepted"
