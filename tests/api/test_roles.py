"""Who may call what: every API endpoint x every role, and the admin site per role.

The matrix below lists each endpoint (method and path, as the URL resolver has them)
with the lowest role that may call it. The endpoints are read from apps.api.urls, so a
new one without an entry here fails `test_every_endpoint_is_in_the_matrix`.
Below its role a request answers 403 `permission_denied`; at or above it, whatever the
view itself answers (never 401, 403 or a server error).
"""

from __future__ import annotations

import re

import pytest
from django.contrib.auth import get_user_model
from django.test import Client
from django.urls import URLPattern
from django.utils import timezone
from rest_framework.test import APIClient

from apps.api import urls as api_urls
from apps.api.roles import Role, set_role
from apps.api.tokens import issue_token
from apps.core.models import Issue, OutcomeStatus, Source, Transformation
from apps.core.standard_webhooks import generate_secret
from apps.notifications.models import Channel, Notification
from tests.api.conftest import PASSWORD, assert_error
from tests.api.factories import make_event, make_outcome
from tests.factories import make_destination, make_route, make_source

PUBLIC = "public"  # no credentials at all
ANY_ROLE = "any"  # logged in, with or without a role
VIEW, OPERATE, ADMIN = Role.VIEWER, Role.OPERATOR, Role.ADMIN

MATRIX: dict[tuple[str, str], str | Role] = {
    ("GET", "auth/csrf/"): PUBLIC,
    ("POST", "auth/login/"): PUBLIC,
    ("POST", "auth/logout/"): ANY_ROLE,
    ("GET", "auth/me/"): ANY_ROLE,
    ("GET", "schema/"): VIEW,
    ("GET", "docs/"): VIEW,
    ("GET", "metrics/"): VIEW,
    ("GET", "metrics/summary/"): VIEW,
    ("GET", "transformers/"): VIEW,
    ("GET", "schemes/"): VIEW,
    ("GET", "sources/"): VIEW,
    ("POST", "sources/"): ADMIN,
    ("GET", "sources/{source}/"): VIEW,
    ("PUT", "sources/{source}/"): ADMIN,
    ("PATCH", "sources/{source}/"): ADMIN,
    ("DELETE", "sources/{source}/"): ADMIN,
    ("POST", "sources/{source}/rotate_secret/"): ADMIN,
    ("POST", "sources/{source}/pause/"): OPERATE,
    ("POST", "sources/{source}/resume/"): OPERATE,
    ("GET", "sources/{slug}/listen/"): VIEW,
    ("GET", "destinations/"): VIEW,
    ("POST", "destinations/"): ADMIN,
    ("GET", "destinations/{destination}/"): VIEW,
    ("PUT", "destinations/{destination}/"): ADMIN,
    ("PATCH", "destinations/{destination}/"): ADMIN,
    ("DELETE", "destinations/{destination}/"): ADMIN,
    ("POST", "destinations/{destination}/rotate_signing_secret/"): ADMIN,
    ("POST", "destinations/{destination}/test/"): OPERATE,
    ("POST", "destinations/{destination}/pause/"): OPERATE,
    ("POST", "destinations/{destination}/resume/"): OPERATE,
    ("POST", "destinations/{destination}/enable/"): OPERATE,
    ("GET", "destinations/{destination}/stats/"): VIEW,
    ("GET", "routes/"): VIEW,
    ("POST", "routes/"): ADMIN,
    ("GET", "routes/operators/"): VIEW,
    ("POST", "routes/validate/"): ADMIN,
    ("GET", "routes/{route}/"): VIEW,
    ("PUT", "routes/{route}/"): ADMIN,
    ("PATCH", "routes/{route}/"): ADMIN,
    ("DELETE", "routes/{route}/"): ADMIN,
    ("POST", "routes/{route}/test/"): OPERATE,
    ("POST", "routes/{route}/pause/"): OPERATE,
    ("POST", "routes/{route}/resume/"): OPERATE,
    ("GET", "transformations/"): VIEW,
    ("POST", "transformations/"): ADMIN,
    ("POST", "transformations/run/"): OPERATE,
    ("GET", "transformations/{transformation}/"): VIEW,
    ("PUT", "transformations/{transformation}/"): ADMIN,
    ("PATCH", "transformations/{transformation}/"): ADMIN,
    ("DELETE", "transformations/{transformation}/"): ADMIN,
    ("POST", "transformations/{transformation}/run/"): OPERATE,
    ("GET", "deliveries/"): VIEW,
    ("GET", "deliveries/{delivery}/"): VIEW,
    ("POST", "deliveries/{delivery}/reroute/"): OPERATE,
    ("POST", "deliveries/bulk_replay/"): OPERATE,
    ("GET", "outcomes/"): VIEW,
    ("GET", "outcomes/{outcome}/"): VIEW,
    ("POST", "outcomes/{outcome}/replay/"): OPERATE,
    ("GET", "audit-log/"): VIEW,
    ("GET", "tokens/"): ADMIN,
    ("POST", "tokens/"): ADMIN,
    ("GET", "tokens/{token}/"): ADMIN,
    ("POST", "tokens/{token}/revoke/"): ADMIN,
    ("GET", "notification-types/"): VIEW,
    ("GET", "notification-channels/"): VIEW,
    ("POST", "notification-channels/"): ADMIN,
    ("GET", "notification-channels/{notification_channel}/"): VIEW,
    ("PUT", "notification-channels/{notification_channel}/"): ADMIN,
    ("PATCH", "notification-channels/{notification_channel}/"): ADMIN,
    ("DELETE", "notification-channels/{notification_channel}/"): ADMIN,
    ("POST", "notification-channels/{notification_channel}/rotate_secret/"): ADMIN,
    ("POST", "notification-channels/{notification_channel}/test/"): OPERATE,
    ("GET", "notifications/"): VIEW,
    ("GET", "notifications/{notification}/"): VIEW,
    ("GET", "issues/"): VIEW,
    ("GET", "issues/{issue}/"): VIEW,
    ("GET", "issues/{issue}/outcomes/"): VIEW,
    ("POST", "issues/{issue}/acknowledge/"): OPERATE,
    ("POST", "issues/{issue}/resolve/"): OPERATE,
    ("POST", "issues/{issue}/replay/"): OPERATE,
}

ROLES = [None, VIEW, OPERATE, ADMIN]
METHODS = ("get", "post", "put", "patch", "delete")


def _template(pattern: URLPattern) -> str:
    """`sources/(?P<pk>[0-9]+)/` -> `sources/{source}/` (the router's basename);
    `sources/<slug:slug>/listen/` -> `sources/{slug}/listen/`."""
    text = str(pattern.pattern).lstrip("^").rstrip("$")
    text = re.sub(r"(?<!\?P)<(?:\w+:)?(\w+)>", r"{\1}", text)
    basenames = {prefix: basename for prefix, _, basename in api_urls.router.registry}
    basename = basenames.get(text.split("/", 1)[0], "")
    return re.sub(r"\(\?P<pk>[^)]*\)", "{" + basename.replace("-", "_") + "}", text)


def resolved_endpoints() -> set[tuple[str, str]]:
    found = set()
    for pattern in api_urls.urlpatterns:
        if pattern.callback is api_urls.not_found:
            continue
        actions = getattr(pattern.callback, "actions", None)
        if actions is not None:
            methods = set(actions) & set(METHODS)  # HEAD follows GET
        else:
            view = pattern.callback.view_class
            methods = {m for m in METHODS if hasattr(view, m)}
        found |= {(method.upper(), _template(pattern)) for method in methods}
    return found


def test_every_endpoint_is_in_the_matrix():
    assert resolved_endpoints() == set(MATRIX)


@pytest.fixture
def objects(user):
    """One of each resource; its id fills the path's placeholder. The destination is a
    closed port: test sends fail fast, and no HTTP server has to start for every case."""
    source = make_source(name="GitHub", slug="github")
    destination = make_destination("http://127.0.0.1:9/hook", name="Nowhere", timeout_seconds=1)
    route = make_route(source, destination, name="pushes", event_types=["push"])
    event = make_event(source)
    outcome = make_outcome(event, route, OutcomeStatus.DEAD_LETTERED)
    channel = Channel.objects.create(
        name="ops", kind="webhook", url="http://127.0.0.1:9/notify", secret=generate_secret()
    )
    now = timezone.now()
    notification = Notification.objects.create(
        type="test", subject=f"channel:{channel.pk}", channel=channel, channel_name="ops", body={}
    )
    return {
        "source": source.pk,
        "slug": source.slug,
        "destination": destination.pk,
        "route": route.pk,
        "delivery": event.pk,
        "outcome": outcome.pk,
        "token": issue_token(user, name="someone's").pk,
        "transformation": Transformation.objects.create(
            name="shape", code="function transform(e) { return e.body; }"
        ).pk,
        "notification_channel": channel.pk,
        "notification": notification.pk,
        "issue": Issue.objects.create(
            destination=destination, kind="http_5xx", count=1, first_seen=now, last_seen=now
        ).pk,
    }


def client_of(role: Role | None) -> APIClient:
    person = get_user_model().objects.create_user(f"as-{role.label if role else 'none'}")
    set_role(person, role)
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {issue_token(person).key}")
    return client


def allowed(needed: str | Role, role: Role | None) -> bool:
    if needed in (PUBLIC, ANY_ROLE):
        return True
    return role is not None and role >= needed


CASES = [
    pytest.param(
        method, template, role, id=f"{method} {template} as {role.label if role else 'none'}"
    )
    for (method, template) in sorted(MATRIX)
    for role in ROLES
]


@pytest.mark.parametrize(("method", "template", "role"), CASES)
def test_the_role_matrix(objects, method, template, role):
    path = "/api/" + template.format(**objects)
    client = client_of(role)

    response = getattr(client, method.lower())(path, {}, format="json")

    if allowed(MATRIX[(method, template)], role):
        assert response.status_code not in (401, 403, 405), response.content
        assert response.status_code < 500, response.content
    else:
        error = assert_error(response, 403, "permission_denied")
        if role is None:
            assert "no role" in error["message"]
        else:
            assert MATRIX[(method, template)].label in error["message"]


def test_a_user_without_a_role_learns_it_from_me(objects):
    me = client_of(None).get("/api/auth/me/").json()

    assert (me["role"], me["capabilities"]) == (None, [])


def test_a_superuser_is_an_admin(objects):
    root = get_user_model().objects.create_superuser("root", password=PASSWORD)
    client = APIClient()
    client.force_authenticate(root)

    assert client.get("/api/tokens/").status_code == 200
    assert client.get("/api/auth/me/").json()["role"] == "admin"


def test_a_viewer_cannot_replay(objects):
    response = client_of(VIEW).post(f"/api/outcomes/{objects['outcome']}/replay/")

    error = assert_error(response, 403, "permission_denied")
    assert "operator" in error["message"]


def test_an_operator_cannot_create_a_source(objects):
    response = client_of(OPERATE).post(
        "/api/sources/", {"name": "x", "slug": "x", "verification_scheme": "none"}
    )

    assert_error(response, 403, "permission_denied")
    assert not Source.objects.filter(slug="x").exists()


# --- the admin site ---


def staff_browser(role: Role | None, *, staff: bool = True) -> Client:
    person = get_user_model().objects.create_user(
        f"staff-{role.label if role else 'none'}", password=PASSWORD, is_staff=staff
    )
    set_role(person, role)
    browser = Client()
    browser.force_login(person)
    return browser


def offered_actions(browser: Client, changelist: str) -> set[str]:
    page = browser.get(changelist).content.decode()
    return set(re.findall(r'<option value="([a-z_]+)"', page)) - {""}


def test_a_viewer_may_view_the_admin_but_change_nothing(objects):
    source = Source.objects.get(pk=objects["source"])
    browser = staff_browser(VIEW)

    assert browser.get("/admin/core/source/").status_code == 200
    assert browser.get("/admin/auditlog/logentry/").status_code == 200
    assert browser.get("/admin/django_celery_beat/periodictask/").status_code == 403
    page = browser.get(f"/admin/core/source/{source.pk}/change/")
    assert page.status_code == 200 and 'name="_save"' not in page.content.decode()
    assert browser.get("/admin/core/source/add/").status_code == 403
    assert browser.get(f"/admin/core/source/{source.pk}/delete/").status_code == 403
    posted = browser.post(f"/admin/core/source/{source.pk}/change/", {"name": "changed"})
    assert posted.status_code == 403
    source.refresh_from_db()
    assert source.name == "GitHub"
    assert offered_actions(browser, "/admin/core/event/") == set()
    assert offered_actions(browser, "/admin/core/outcome/") == set()
    assert offered_actions(browser, "/admin/core/issue/") == set()


def test_a_viewer_cannot_run_an_action_by_posting_it(objects):
    browser = staff_browser(VIEW)

    browser.post(
        "/admin/core/outcome/",
        {"action": "replay", "_selected_action": [objects["outcome"]]},
    )

    from apps.core.models import Outcome

    assert Outcome.objects.get(pk=objects["outcome"]).status == OutcomeStatus.DEAD_LETTERED


def test_an_operator_may_replay_and_reroute_in_the_admin_but_not_configure(objects):
    browser = staff_browser(OPERATE)

    assert "replay" in offered_actions(browser, "/admin/core/outcome/")
    assert "reroute" in offered_actions(browser, "/admin/core/event/")
    issue_actions = {"acknowledge", "resolve", "replay_dead_letters"}
    assert issue_actions <= offered_actions(browser, "/admin/core/issue/")
    assert "delete_selected" not in offered_actions(browser, "/admin/core/source/")
    assert browser.get("/admin/core/source/add/").status_code == 403


def test_users_groups_and_tokens_are_for_admins_only(objects):
    for role in (None, VIEW, OPERATE):
        browser = staff_browser(role)
        for page in ("/admin/auth/user/", "/admin/auth/group/", "/admin/api/apitoken/"):
            assert browser.get(page).status_code == 403, (role, page)
        get_user_model().objects.filter(is_staff=True, is_superuser=False).exclude(
            username="alice"
        ).delete()


def test_an_admin_may_do_everything_and_sees_no_key(objects, user):
    browser = staff_browser(ADMIN)
    token = issue_token(user, name="visible")

    assert browser.get("/admin/core/source/add/").status_code == 200
    assert browser.get("/admin/auth/user/").status_code == 200
    tokens = browser.get("/admin/api/apitoken/").content.decode()
    assert token.prefix in tokens and token.key not in tokens and token.digest not in tokens
    detail = browser.get(f"/admin/api/apitoken/{token.pk}/change/").content.decode()
    assert token.key not in detail and token.digest not in detail


def test_a_staff_account_without_a_role_sees_nothing_in_the_admin(objects):
    browser = staff_browser(None)

    index = browser.get("/admin/")
    assert index.status_code == 200
    assert "/admin/core/" not in index.content.decode()
    assert browser.get("/admin/core/event/").status_code == 403


def test_entering_the_admin_still_needs_staff_status(objects):
    browser = staff_browser(ADMIN, staff=False)

    assert browser.get("/admin/").status_code == 302
