"""relay_apply requires each source's scheme and warns about `none`; relay_export masks
credential-bearing URLs unless --with-secrets."""

from __future__ import annotations

import io

import pytest
import yaml
from django.core.management import CommandError, call_command

from apps.core.models import Destination
from tests.factories import make_destination

pytestmark = pytest.mark.django_db
SLACK = "https://hooks.slack.com/services/T0TEAM/B0HOOK/slack-export-secret-0123"


def run(*args: str) -> tuple[str, str]:
    out, err = io.StringIO(), io.StringIO()
    call_command(*args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def write(tmp_path, text: str):
    path = tmp_path / "relay.yaml"
    path.write_text(text)
    return str(path)


def test_a_source_without_a_scheme_is_refused(tmp_path):
    path = write(tmp_path, "sources:\n  - slug: forms\n    name: Forms\n")

    with pytest.raises(CommandError, match="source 'forms': verification.scheme is required"):
        run("relay_apply", path)


def test_scheme_none_is_applied_with_a_printed_warning(tmp_path):
    path = write(tmp_path, "sources:\n  - slug: forms\n    verification: {scheme: none}\n")

    out, err = run("relay_apply", path)

    assert "create source 'forms'" in out
    assert "accepts unsigned requests from anyone who knows its URL" in err


def test_dedupe_by_body_is_applied_and_exported(tmp_path):
    path = write(
        tmp_path,
        "sources:\n  - slug: gh\n    verification: {scheme: github, secret: s3cr3t-0123}\n"
        "    dedupe_by_body: false\n",
    )
    run("relay_apply", path)

    exported = yaml.safe_load(run("relay_export")[0])

    assert exported["sources"][0]["dedupe_by_body"] is False


def test_export_masks_a_credential_url_and_applying_it_back_keeps_the_stored_one(tmp_path):
    make_destination(SLACK, name="slack")

    text = run("relay_export")[0]
    run("relay_apply", write(tmp_path, text))

    assert "slack-export-secret" not in text
    assert "https://hooks.slack.com/services/T0***" in text
    assert Destination.objects.get().url == SLACK


def test_export_with_secrets_shows_the_url_in_full(tmp_path):
    make_destination(SLACK, name="slack", auth_header="X-Key: header-secret-0123")

    doc = yaml.safe_load(run("relay_export", "--with-secrets")[0])

    assert doc["destinations"][0]["url"] == SLACK
    assert doc["destinations"][0]["auth_header"] == "X-Key: header-secret-0123"
