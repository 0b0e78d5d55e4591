import base64
import json
from datetime import UTC, datetime

import pytest
from standardwebhooks.webhooks import Webhook

from apps.core import standard_webhooks as sw

# Published example from the Standard Webhooks specification.
VECTOR_SECRET = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"
VECTOR_ID = "msg_p5jXN8AQM9LWM0D4loKWxJek"
VECTOR_TIMESTAMP = 1614265330
VECTOR_BODY = b'{"test": 2432232314}'
VECTOR_SIGNATURE = "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE="

OTHER_SECRET = "whsec_" + base64.b64encode(b"another key of 24 bytes!").decode()


def test_it_signs_the_published_vector():
    signature = sw.sign(VECTOR_ID, VECTOR_TIMESTAMP, VECTOR_BODY, [VECTOR_SECRET])

    assert signature == VECTOR_SIGNATURE


def test_it_verifies_the_published_vector():
    check = sw.verify(
        VECTOR_ID, "1614265330", VECTOR_SIGNATURE, VECTOR_BODY, [VECTOR_SECRET], now=1614265331
    )

    assert check == (True, "")


def test_it_signs_once_per_secret_in_order():
    signature = sw.sign(VECTOR_ID, VECTOR_TIMESTAMP, VECTOR_BODY, [OTHER_SECRET, VECTOR_SECRET])

    first, second = signature.split(" ")
    assert first.startswith("v1,") and first != VECTOR_SIGNATURE
    assert second == VECTOR_SIGNATURE


def test_it_refuses_to_sign_without_a_secret():
    with pytest.raises(ValueError):
        sw.sign(VECTOR_ID, VECTOR_TIMESTAMP, VECTOR_BODY, [])


def test_it_generates_whsec_secrets_of_24_random_bytes():
    first, second = sw.generate_secret(), sw.generate_secret()

    assert first.startswith("whsec_")
    assert len(sw.secret_bytes(first)) == 24
    assert first != second


def test_secret_bytes_accepts_a_key_without_prefix_or_padding():
    key = sw.secret_bytes(VECTOR_SECRET)
    unpadded = base64.b64encode(key + b"x").decode().rstrip("=")

    assert sw.secret_bytes(VECTOR_SECRET.removeprefix("whsec_")) == key
    assert sw.secret_bytes(unpadded) == key + b"x"


@pytest.mark.parametrize("secret", ["", "whsec_", "whsec_not base64!", "whsec_é"])
def test_secret_bytes_rejects_what_is_not_a_key(secret):
    with pytest.raises(ValueError):
        sw.secret_bytes(secret)
    assert not sw.is_valid_secret(secret)


def test_outbound_headers_verify_with_the_official_library():
    body = json.dumps({"type": "invoice.paid", "amount": 1200}).encode()

    headers = sw.outbound_headers("msg_1", body, [sw.generate_secret(), OTHER_SECRET])

    assert set(headers) == {"webhook-id", "webhook-timestamp", "webhook-signature"}
    assert Webhook(OTHER_SECRET).verify(body, headers) == {"type": "invoice.paid", "amount": 1200}


def test_outbound_headers_verify_with_each_secret_during_rotation():
    current, previous = sw.generate_secret(), sw.generate_secret()
    body = b'{"ok": true}'

    headers = sw.outbound_headers("msg_2", body, [current, previous])

    for secret in (current, previous):
        assert Webhook(secret).verify(body, headers) == {"ok": True}


def test_outbound_headers_use_the_given_time():
    headers = sw.outbound_headers(VECTOR_ID, VECTOR_BODY, [VECTOR_SECRET], now=VECTOR_TIMESTAMP)

    assert headers == {
        "webhook-id": VECTOR_ID,
        "webhook-timestamp": "1614265330",
        "webhook-signature": VECTOR_SIGNATURE,
    }


def test_outbound_headers_without_secrets_carry_no_signature():
    headers = sw.outbound_headers("msg_3", b"{}", [], now=100)

    assert headers == {"webhook-id": "msg_3", "webhook-timestamp": "100"}


def test_it_verifies_what_the_official_library_signs():
    sent_at = datetime.fromtimestamp(1_700_000_000, tz=UTC)
    signature = Webhook(OTHER_SECRET).sign("msg_4", sent_at, '{"a": 1}')

    check = sw.verify("msg_4", "1700000000", signature, b'{"a": 1}', [OTHER_SECRET], 1_700_000_010)

    assert check.ok


@pytest.mark.parametrize(
    ("now", "words"),
    [(VECTOR_TIMESTAMP + 301, "301 s old"), (VECTOR_TIMESTAMP - 301, "301 s in the future")],
)
def test_it_rejects_stale_and_future_timestamps(now, words):
    check = sw.verify(VECTOR_ID, "1614265330", VECTOR_SIGNATURE, VECTOR_BODY, [VECTOR_SECRET], now)

    assert not check.ok
    assert words in check.reason and "300 s tolerance" in check.reason


def test_it_honours_a_wider_tolerance():
    check = sw.verify(
        VECTOR_ID,
        "1614265330",
        VECTOR_SIGNATURE,
        VECTOR_BODY,
        [VECTOR_SECRET],
        now=VECTOR_TIMESTAMP + 600,
        tolerance=900,
    )

    assert check.ok


def test_it_rejects_a_tampered_body():
    check = sw.verify(
        VECTOR_ID, "1614265330", VECTOR_SIGNATURE, b'{"test": 1}', [VECTOR_SECRET], 1614265330
    )

    assert check == (False, "signature does not match")


def test_it_rejects_a_signature_made_with_another_secret():
    check = sw.verify(
        VECTOR_ID, "1614265330", VECTOR_SIGNATURE, VECTOR_BODY, [OTHER_SECRET], 1614265330
    )

    assert check == (False, "signature does not match")


def test_it_ignores_other_versions_and_unreadable_entries():
    header = f"v2,abc v1,@@@ nonsense {VECTOR_SIGNATURE}"

    check = sw.verify(VECTOR_ID, "1614265330", header, VECTOR_BODY, [VECTOR_SECRET], 1614265330)

    assert check.ok


def test_it_skips_an_invalid_secret_and_uses_the_valid_one():
    secrets = ["not base64!", VECTOR_SECRET]

    check = sw.verify(VECTOR_ID, "1614265330", VECTOR_SIGNATURE, VECTOR_BODY, secrets, 1614265330)

    assert check.ok


def test_it_rejects_when_no_secret_is_valid():
    check = sw.verify(
        VECTOR_ID, "1614265330", VECTOR_SIGNATURE, VECTOR_BODY, ["not base64!"], 1614265330
    )

    assert check == (False, "no valid whsec_ secret configured")


def test_it_signs_and_verifies_a_body_that_is_not_utf8():
    body = b"\xff\xfe\x00binary"
    signature = sw.sign("msg_5", 1000, body, [OTHER_SECRET])

    assert sw.verify("msg_5", 1000, signature, body, [OTHER_SECRET], now=1000).ok


@pytest.mark.parametrize("value", ["", "abc", "12.5", "-5", "+5", "1_000", "١٢٣", " 12", True])
def test_parse_timestamp_takes_only_ascii_digits(value):
    assert sw.parse_timestamp(value) is None


def test_check_timestamp_explains_a_non_integer():
    assert sw.check_timestamp("soon", now=0) == "timestamp is not a whole number of Unix seconds"
