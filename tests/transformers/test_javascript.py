"""The JavaScript sandbox: what a transformation can do, cannot reach, and how it fails."""

from __future__ import annotations

import threading

import pytest
from django.test import override_settings

from apps.transformers import javascript

EVENT = {
    "body": {"ref": "refs/heads/main", "size": 2},
    "headers": {"x-github-event": "push"},
    "event_type": "push",
    "source": "github",
    "received_at": "2026-01-01T00:00:00+00:00",
}


@pytest.fixture(autouse=True)
def fresh_engines():
    javascript.forget_engines()
    yield
    javascript.forget_engines()


def test_a_transformation_shapes_the_body_and_headers():
    code = """function transform(event) {
      return {body: {text: event.source + " " + event.event_type + " " + event.body.ref},
              headers: {"X-Team": "core"}};
    }"""
    result = javascript.run(code, EVENT)
    assert result.error is None
    assert result.output == {
        "body": {"text": "github push refs/heads/main"},
        "headers": {"X-Team": "core"},
    }
    assert not result.skipped


def test_a_bare_value_is_taken_as_the_body():
    result = javascript.run("function transform(e) { return [e.body.size, 'x']; }", EVENT)
    assert result.output == {"body": [2, "x"], "headers": {}}


def test_null_skips_the_delivery():
    result = javascript.run("function transform(e) { return null; }", EVENT)
    assert result.skipped and result.output is None and result.error is None


def test_console_lines_are_captured_and_capped():
    code = """function transform(e) {
      console.log("ref", e.body.ref, {a: 1});
      console.warn("careful");
      for (let i = 0; i < 500; i++) console.log(i);
      return e.body;
    }"""
    result = javascript.run(code, EVENT)
    assert result.logs[:2] == ['ref refs/heads/main {"a":1}', "warn: careful"]
    assert len(result.logs) == javascript.MAX_LOG_LINES + 1
    assert result.logs[-1] == "(402 more lines not kept)"


@pytest.mark.parametrize(
    "name",
    ["fetch", "require", "setTimeout", "setInterval", "XMLHttpRequest", "process", "Deno"],
)
def test_the_sandbox_has_no_network_file_timer_or_module_access(name):
    result = javascript.run(f"function transform(e) {{ return typeof {name}; }}", EVENT)
    assert result.output["body"] == "undefined"
    called = javascript.run(f"function transform(e) {{ return {name}('x'); }}", EVENT)
    assert "ReferenceError" in called.error or "TypeError" in called.error


def test_module_loading_fails_cleanly():
    dynamic = javascript.run("function transform(e) { return import('fs'); }", EVENT)
    assert "Promise" in dynamic.error
    static = javascript.run("import fs from 'fs'; function transform(e) { return 1; }", EVENT)
    assert "does not compile" in static.error


def test_memory_outside_the_heap_cannot_be_allocated():
    result = javascript.run("function transform(e) { return new Uint8Array(1e9).length; }", EVENT)
    assert "Uint8Array" in result.error
    buffer = javascript.run("function transform(e) { return new ArrayBuffer(1e9); }", EVENT)
    assert buffer.error is not None


def test_an_infinite_loop_is_stopped_at_the_time_limit():
    with override_settings(TRANSFORM_JS_TIMEOUT_MS=50):
        result = javascript.run("function transform(e) { while (true) {} }", EVENT, key=("t", 1))
    assert result.error == "timed out after 50 ms"
    assert result.duration_ms < 1000
    # The terminated engine was thrown away: the same version runs again.
    again = javascript.run("function transform(e) { while (true) {} }", EVENT, key=("t", 1))
    assert again.error.startswith("timed out")


@override_settings(TRANSFORM_JS_TIMEOUT_MS=5000, TRANSFORM_JS_MEMORY_MB=16)
def test_a_memory_bomb_is_stopped_at_the_memory_limit():
    code = """function transform(e) {
      const keep = [];
      while (true) keep.push(new Array(100000).fill(e.body.size));
    }"""
    result = javascript.run(code, EVENT, key=("bomb", 1))
    assert result.error == "ran out of memory (limit 16 MiB)"


def test_a_thrown_error_names_its_line():
    code = "function transform(e) {\n  throw new Error('no ref');\n}"
    result = javascript.run(code, EVENT)
    assert result.error.startswith("Error: no ref")
    assert "line 2" in result.error


@pytest.mark.parametrize(
    ("code", "message"),
    [
        ("function transform(e) {}", "returned undefined"),
        ("function transform(e) { return () => 1; }", "not JSON"),
        ("function transform(e) { return 10n; }", "BigInt"),
        ("function transform(e) { return {body: 1, headers: {'Bad Name': 'x'}}; }", "header"),
        ("function transform(e) { return {body: 1, headers: {'Host': 'x'}}; }", "set by"),
        ("function transform(e) { return {body: 1, headers: {'X-A': 'a\\nb'}}; }", "one line"),
        ("const x = 1;", "must define a function transform"),
    ],
)
def test_results_that_cannot_be_sent_are_errors(code, message):
    assert message in javascript.run(code, EVENT).error


def test_an_event_with_a_raw_body_passes_it_as_a_string():
    from apps.transformers.base import TransformInput

    data = TransformInput(event_type="", payload=None, body=b"a=1&b=2", source_slug="form")
    event = javascript.event_object(data)
    assert event["body"] == "a=1&b=2"
    assert event["source"] == "form"


def test_engines_are_reused_and_threads_never_share_one():
    code = """let runs = 0;
    function transform(e) { runs += 1; return {n: runs, id: e.body.id}; }"""
    answers = []

    def work(index):
        for step in range(20):
            event = {**EVENT, "body": {"id": f"{index}-{step}"}}
            answers.append(javascript.run(code, event, key=("shared", 1)).output["body"])

    threads = [threading.Thread(target=work, args=(i,)) for i in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(answers) == 160
    assert {a["id"] for a in answers} == {f"{i}-{s}" for i in range(8) for s in range(20)}
    # A pool of at most TRANSFORM_JS_CONTEXTS_PER_VERSION engines served them all.
    assert max(a["n"] for a in answers) >= 160 // 4


def test_code_problems_are_found_before_saving():
    assert javascript.code_problem("function transform(e) { return e; }") is None
    assert "does not compile" in javascript.code_problem("function transform(")
    assert "transform" in javascript.code_problem("function other(e) {}")
    assert javascript.code_problem("") is not None
    with override_settings(TRANSFORM_JS_MAX_CODE_BYTES=10):
        assert "at most 10 bytes" in javascript.code_problem("function transform(e) {}")
