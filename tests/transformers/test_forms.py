"""form_to_email: HTML form submissions as an e-mail API request."""

from __future__ import annotations

import json

import pytest

from apps.transformers.base import TransformError, TransformInput
from apps.transformers.registry import transform
from tests.transformers.payloads import CONTACT_FORM

OPTIONS = {"to": "ops@example.com"}


def email(payload, options=OPTIONS, body=b"", content_type="application/x-www-form-urlencoded"):
    data = TransformInput("form", payload, body=body, content_type=content_type, options=options)
    out = transform("form_to_email", data)
    assert out.content_type == "application/json"
    return json.loads(out.body)


def test_a_submission_becomes_an_email_request():
    message = email(CONTACT_FORM)
    assert message["from"] == "relaycore@localhost"
    assert message["to"] == ["ops@example.com"]
    assert message["subject"] == "New form submission"
    assert message["reply_to"] == "ada@example.com"
    assert message["text"] == (
        "name: Ada <Lovelace>\n"
        "email: ada@example.com\n"
        "topics: billing, support & sales\n"
        "message: Hello,\n<script>alert(1)</script>"
    )


def test_the_html_table_escapes_every_value():
    html = email(CONTACT_FORM)["html"]
    assert html.startswith("<table><tr>") and html.endswith("</tr></table>")
    assert "<td>Ada &lt;Lovelace&gt;</td>" in html
    assert "<td>billing, support &amp; sales</td>" in html
    assert "<td>Hello,<br>&lt;script&gt;alert(1)&lt;/script&gt;</td>" in html
    assert "<script>" not in html


def test_field_names_are_escaped_too():
    assert '<th align="left">&lt;b&gt;</th>' in email({"<b>": "x"})["html"]


def test_options_set_sender_recipients_and_subject():
    options = {
        "to": ["a@example.com", "b@example.com"],
        "from": "forms@example.com",
        "subject": "Contact from {name} about {topics}",
    }
    message = email(CONTACT_FORM, options)
    assert message["from"] == "forms@example.com"
    assert message["to"] == ["a@example.com", "b@example.com"]
    assert message["subject"] == "Contact from Ada <Lovelace> about billing, support & sales"


def test_subject_placeholders_cannot_reach_attributes_or_add_headers():
    options = {**OPTIONS, "subject": "{name.__class__} {missing} {message}"}
    message = email({"name": "x", "message": "hi\r\nBcc: evil@example.com"}, options)
    # "name.__class__" is looked up as a field name (absent), never as an attribute.
    assert message["subject"] == "hi Bcc: evil@example.com"
    assert "\n" not in message["subject"]


@pytest.mark.parametrize("options", [{}, {"to": ""}, {"to": []}, {"to": 5}])
def test_a_missing_recipient_is_a_transform_error(options):
    with pytest.raises(TransformError, match='needs the route option "to"'):
        email(CONTACT_FORM, options)


@pytest.mark.parametrize(
    ("fields", "expected"),
    [
        ({"Email": " ada@example.com "}, "ada@example.com"),
        ({"_replyto": "bo@example.org"}, "bo@example.org"),
        ({"email": "not an address"}, None),
        ({"email": "a@b.com\r\nBcc: x@y.com"}, None),
        ({"email": ["a@example.com", "b@example.com"]}, None),
        ({"name": "no email field"}, None),
    ],
)
def test_reply_to_is_set_only_for_a_plausible_address(fields, expected):
    assert email(fields).get("reply_to") == expected


def test_an_empty_submission_still_sends():
    message = email({})
    assert message["text"] == "(the form was submitted empty)"
    assert "reply_to" not in message


def test_a_raw_form_body_is_parsed_when_there_is_no_payload():
    message = email(None, body=b"name=Bo&tags=a&tags=b&empty=")
    assert message["text"] == "name: Bo\ntags: a, b\nempty: "


def test_non_string_values_are_shown_as_json():
    assert email({"count": 3, "ok": True, "none": None})["text"] == "count: 3\nok: true\nnone: "


def test_a_payload_that_is_not_a_form_is_a_transform_error():
    with pytest.raises(TransformError, match="expects form fields"):
        email(["a", "b"], content_type="application/json")
