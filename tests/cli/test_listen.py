"""`relaycore listen` against a running gateway, replaying to a local HTTP server."""

from __future__ import annotations

import os
import signal
import time

from tests.cli.conftest import settle
from tests.e2e.conftest import wait_until


def test_it_replays_each_accepted_event_to_the_local_app_as_received(
    gateway, github, viewer_token, sink, listeners
):
    listener = listeners(gateway, viewer_token, github.slug, sink.url)
    assert "streaming" in listener.wait_for_line("listening to")

    sent = []
    for query in ("", "env=prod", ""):
        response, body = gateway.send(github.slug, query=query)
        assert response.status_code == 200, response.text
        sent.append((time.monotonic(), body))
    refused, _ = gateway.send(github.slug, sign=False)
    assert refused.status_code == 401

    arrived = sink.wait_for(3)
    settle()

    assert len(sink.requests) == 3  # the refused one is not replayed
    assert [r.body for r in arrived] == [body for _, body in sent]
    assert {r.method for r in arrived} == {"POST"}
    assert [r.path for r in arrived] == ["/hook", "/hook?env=prod", "/hook"]
    first = arrived[0].headers
    assert first["x-github-event"] == "push"
    assert first["content-type"] == "application/json"
    assert first["x-hub-signature-256"].startswith("sha256=")
    assert first["host"] == f"127.0.0.1:{sink.port}"
    for (accepted_at, _), request in zip(sent, arrived, strict=True):
        assert request.at - accepted_at < 2.0  # within 2 s of its 200
    replayed = [line for line in listener.lines if " event " in line and "ms" in line]
    assert len(replayed) == 3
    assert all("push" in line and " 200 " in line for line in replayed)


def test_it_replays_only_the_event_types_asked_for(gateway, github, viewer_token, sink, listeners):
    listener = listeners(
        gateway, viewer_token, github.slug, sink.url, "--events", "pull_request,issues"
    )
    listener.wait_for_line("listening to")

    for kind in ("push", "pull_request", "release", "issues"):
        assert gateway.send(github.slug, kind)[0].status_code == 200
    sink.wait_for(2)
    settle()

    assert [r.headers["x-github-event"] for r in sink.requests] == ["pull_request", "issues"]


def test_a_restart_of_the_gateway_mid_stream_loses_and_repeats_nothing(
    gateway, github, viewer_token, sink, listeners
):
    listener = listeners(gateway, viewer_token, github.slug, sink.url)
    listener.wait_for_line("listening to")
    bodies = [gateway.send(github.slug)[1] for _ in range(5)]

    gateway.kill()  # some of the five are likely not fetched yet
    listener.wait_for_line("lost the gateway")
    gateway.start()
    bodies += [gateway.send(github.slug)[1] for _ in range(5)]
    sink.wait_for(10, timeout=30)
    settle()

    assert [r.body for r in sink.requests] == bodies
    listener.wait_for_line("reconnected")
    # Back on the stream (it polls while only the web process answers).
    wait_until(lambda: gateway.subscribers() == 1, timeout=15, message="not streaming")


def test_while_the_stream_is_down_it_polls_and_misses_nothing(
    gateway, github, viewer_token, sink, listeners
):
    listener = listeners(gateway, viewer_token, github.slug, sink.url)
    listener.wait_for_line("listening to")
    bodies = [gateway.send(github.slug)[1] for _ in range(3)]
    sink.wait_for(3)

    os.killpg(gateway.stream.pid, signal.SIGKILL)
    gateway.stream.wait(10)
    bodies += [gateway.send(github.slug)[1] for _ in range(3)]
    sink.wait_for(6, timeout=30)
    settle()

    assert [r.body for r in sink.requests] == bodies
    listener.wait_for_line("cannot reach the stream")
    gateway.start_stream()
    wait_until(lambda: gateway.subscribers() == 1, timeout=15, message="not streaming")
    bodies.append(gateway.send(github.slug)[1])
    sink.wait_for(7)
    settle()
    assert [r.body for r in sink.requests] == bodies


def test_it_resumes_from_its_resume_file_after_ctrl_c(
    gateway, github, viewer_token, sink, listeners, tmp_path
):
    state = tmp_path / "cursor"
    first = listeners(gateway, viewer_token, github.slug, sink.url, "--resume-file", str(state))
    first.wait_for_line("listening to")
    bodies = [gateway.send(github.slug)[1] for _ in range(2)]
    sink.wait_for(2)

    assert first.interrupt() == 0
    assert "stopped after event" in first.lines[-1]
    bodies += [gateway.send(github.slug)[1] for _ in range(2)]  # while nobody listens
    second = listeners(gateway, viewer_token, github.slug, sink.url, "--resume-file", str(state))
    second.wait_for_line("resuming after")
    sink.wait_for(4)
    settle()

    assert [r.body for r in sink.requests] == bodies


def test_a_bad_token_is_refused_with_a_clear_message(gateway, github, sink, listeners):
    listener = listeners(gateway, "rc_notatoken_xxx", github.slug, sink.url)

    code = wait_until(lambda: listener.proc.poll(), timeout=15)

    assert code == 2
    assert "the gateway refused the token (401): Invalid token." in listener.err.read_text()


def test_a_token_without_a_role_is_refused_with_the_reason(gateway, github, sink, listeners):
    from django.contrib.auth import get_user_model

    from apps.api.tokens import issue_token

    nobody = get_user_model().objects.create_user("nobody")
    listener = listeners(gateway, issue_token(nobody).key, github.slug, sink.url)

    assert wait_until(lambda: listener.proc.poll(), timeout=15) == 2
    assert "the gateway refused the token (403): " in listener.err.read_text()
    assert "no role" in listener.err.read_text()
