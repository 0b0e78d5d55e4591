"""User transformations in JavaScript, run in V8 (mini-racer) with nothing but the language.

The sandbox is a bare V8 isolate: it has no network, file system, module loader or
process object to begin with. mini-racer adds timers (``setTimeout`` on top of
``Atomics.waitAsync``); they are removed, and so is every way to allocate memory outside
the V8 heap (ArrayBuffer, typed arrays, WebAssembly), which the heap limit would not see.
``console`` is replaced by a shim that keeps a bounded number of lines for the caller.

Limits: TRANSFORM_JS_TIMEOUT_MS of wall time per run (the isolate is terminated) and
TRANSFORM_JS_MEMORY_MB of V8 heap (V8 stops the script). An engine that hit either is
closed and never reused; any other failure leaves it usable.

Speed: compiling a version costs an isolate and a few milliseconds, a run about half a
millisecond. So engines are kept per (transformation id, version) in a process-wide LRU
(TRANSFORM_JS_CACHED_VERSIONS versions) and reused. One engine serves one thread at a
time: each version has a small pool (TRANSFORM_JS_CONTEXTS_PER_VERSION) checked out
exclusively; a thread that finds the pool busy and full waits for an engine.

Threads: mini-racer 0.14 crashes the process (SIGSEGV) when its engines are made on more
than one thread, unless V8 was started on the main thread (a gunicorn or sender thread
is never that), and when one that was stopped mid-run is freed elsewhere. So every
engine of a process is made and closed on one thread kept for it (_maker); runs happen
on any thread, side by side, as before.

Errors::

    TransformError
    └── JavaScriptError   the code threw, did not compile, ran out of time or memory,
                          or returned what is not JSON; permanent for this version.
"""

from __future__ import annotations

import atexit
import contextlib
import json
import queue
import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Mapping
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Any, TypeVar

from django.conf import settings
from py_mini_racer import JSOOMException, JSParseException, JSTimeoutException, MiniRacer

from apps.transformers.base import TransformError, TransformInput

MAX_LOG_LINES = 100
MAX_LOG_LINE = 2000
MAX_ERROR = 1000
RUNNER = "__relaycore_run"
_WARM_UP = 'JSON.stringify(JSON.parse(\'{"body": {"a": [1, "x", null]}, "headers": {}}\'))'

# Run once in every new engine, before the user's code.
_LOCKDOWN = f"""
(() => {{
  for (const name of ["setTimeout", "clearTimeout", "setInterval", "clearInterval",
                      "__timer_manager", "ArrayBuffer", "SharedArrayBuffer", "DataView",
                      "Atomics", "WebAssembly", "Int8Array", "Uint8Array",
                      "Uint8ClampedArray", "Int16Array", "Uint16Array", "Int32Array",
                      "Uint32Array", "Float16Array", "Float32Array", "Float64Array",
                      "BigInt64Array", "BigUint64Array"]) {{
    if (name in globalThis) {{
      try {{ delete globalThis[name]; }} catch (e) {{}}
      if (name in globalThis) {{ globalThis[name] = undefined; }}
    }}
  }}
  const logs = [];
  let dropped = 0;
  const stringify = JSON.stringify, parse = JSON.parse;
  const text = (value) => {{
    if (typeof value === "string") return value;
    try {{
      const json = stringify(value);
      return json === undefined ? String(value) : json;
    }} catch (e) {{
      return String(value);
    }}
  }};
  const writer = (prefix) => (...args) => {{
    if (logs.length >= {MAX_LOG_LINES}) {{ dropped++; return; }}
    let line = prefix + args.map(text).join(" ");
    if (line.length > {MAX_LOG_LINE}) line = line.slice(0, {MAX_LOG_LINE}) + "…";
    logs.push(line);
  }};
  globalThis.console = {{
    log: writer(""), info: writer(""), debug: writer(""),
    warn: writer("warn: "), error: writer("error: "),
  }};
  const failure = (e) => (e instanceof Error && e.stack) ? String(e.stack) : "thrown: " + text(e);
  Object.defineProperty(globalThis, "{RUNNER}", {{
    value: function {RUNNER}(input) {{
      logs.length = 0;
      dropped = 0;
      let answer;
      try {{
        if (typeof transform !== "function") {{
          throw new Error("the code must define a function transform(event)");
        }}
        const result = transform(parse(input));
        if (result === undefined) {{
          answer = {{ error: "transform(event) returned undefined: "
                             + "return a value, or null to skip delivery" }};
        }} else if (result !== null && typeof result.then === "function") {{
          answer = {{ error: "transform(event) returned a Promise: "
                             + "it must return its result directly" }};
        }} else {{
          const json = stringify(result);
          answer = json === undefined
            ? {{ error: "transform(event) returned " + typeof result + ", which is not JSON" }}
            : {{ result: json }};
        }}
      }} catch (e) {{
        answer = {{ error: failure(e) }};
      }}
      if (dropped) logs.push("(" + dropped + " more lines not kept)");
      answer.logs = logs.slice();
      return stringify(answer);
    }},
  }});
}})();
"""


class JavaScriptError(TransformError):
    """The transformation failed on this event; the message says how."""


@dataclass(frozen=True)
class RunResult:
    """One run, as the run endpoints show it. `output` is {"body", "headers"} or None."""

    output: dict[str, Any] | None
    skipped: bool
    logs: list[str] = field(default_factory=list)
    duration_ms: float = 0.0
    error: str | None = None


def event_object(data: TransformInput) -> dict[str, Any]:
    """What `transform(event)` receives."""
    body: Any = data.payload
    if body is None:
        body = data.body.decode("utf-8", errors="replace")
    return {
        "body": body,
        "headers": dict(data.headers),
        "event_type": data.event_type,
        "source": data.source_slug,
        "received_at": data.received_at.isoformat() if data.received_at else None,
    }


# -- engines ---------------------------------------------------------------------------

T = TypeVar("T")
_maker: ThreadPoolExecutor | None = None
_maker_lock = threading.Lock()


def _on_maker(work: Callable[[], T]) -> T:
    """`work` done on the process's one thread that makes and closes engines."""
    global _maker
    with _maker_lock:
        if _maker is None:
            _maker = ThreadPoolExecutor(max_workers=1, thread_name_prefix="v8-maker")
    try:
        future = _maker.submit(work)
    except RuntimeError:  # the interpreter is exiting (atexit): no other thread runs
        return work()
    return future.result()


class _Engine:
    """One isolate with the lockdown and the user's code loaded."""

    def __init__(self, code: str) -> None:
        self.broken = False
        self.racer = _on_maker(MiniRacer)
        try:
            self.racer.set_hard_memory_limit(settings.TRANSFORM_JS_MEMORY_MB * 1024 * 1024)
            self.racer.eval(_LOCKDOWN)
            # Loading the code happens once per engine, and a fresh isolate's first eval
            # pays V8's own warm-up: on a busy machine that alone can pass 100 ms, which
            # would dead-letter the first delivery of every version in every worker. So
            # it gets a wider (still hard) bound than each event's call.
            self.racer.eval(code, timeout_sec=_load_timeout_seconds())
            # Touch the builtins every call uses, so that their first use is not billed
            # to the first event's (strict) limit.
            self.racer.eval(_WARM_UP, timeout_sec=_load_timeout_seconds())
        except BaseException:
            self.close()
            raise

    def run(self, event_json: str) -> Any:
        call = f"{RUNNER}({json.dumps(event_json)})"
        return self.racer.eval(call, timeout_sec=_timeout_seconds())

    def close(self) -> None:
        self.broken = True
        racer, self.racer = self.racer, None
        if racer is not None:
            # One trivial round trip first: a terminated run's last callback arrives
            # before it, not after the engine's event loop has gone.
            with contextlib.suppress(Exception):
                racer.eval("0", timeout_sec=1.0)
            _on_maker(racer.close)


def _timeout_seconds() -> float:
    return settings.TRANSFORM_JS_TIMEOUT_MS / 1000


def _load_timeout_seconds() -> float:
    return max(1.0, 10 * _timeout_seconds())


class _Pool:
    """The engines of one version; each is used by one thread at a time."""

    def __init__(self, code: str, size: int) -> None:
        self.code = code
        self.size = size
        self.idle: queue.LifoQueue[_Engine] = queue.LifoQueue()
        self.made = 0
        self.closed = False
        self.lock = threading.Lock()

    def take(self) -> _Engine:
        while True:
            try:
                return self.idle.get_nowait()
            except queue.Empty:
                pass
            with self.lock:
                make = self.made < self.size
                if make:
                    self.made += 1
            if make:
                try:
                    return _Engine(self.code)
                except BaseException:
                    with self.lock:
                        self.made -= 1
                    raise
            # All engines busy: wait for one back (or for a broken one's place).
            try:
                return self.idle.get(timeout=0.05)
            except queue.Empty:
                continue

    def give(self, engine: _Engine) -> None:
        if engine.broken or self.closed:
            engine.close()
            with self.lock:
                self.made -= 1
            return
        self.idle.put(engine)

    def close(self) -> None:
        self.closed = True
        while True:
            try:
                self.idle.get_nowait().close()
            except queue.Empty:
                return


_pools: OrderedDict[tuple[Any, ...], _Pool] = OrderedDict()
_pools_lock = threading.Lock()


def _pool(key: tuple[Any, ...], code: str) -> _Pool:
    with _pools_lock:
        pool = _pools.get(key)
        if pool is not None and pool.code == code:
            _pools.move_to_end(key)
            return pool
        if pool is not None:
            pool.close()
        pool = _pools[key] = _Pool(code, settings.TRANSFORM_JS_CONTEXTS_PER_VERSION)
        while len(_pools) > settings.TRANSFORM_JS_CACHED_VERSIONS:
            _, oldest = _pools.popitem(last=False)
            oldest.close()
        return pool


def forget_engines() -> None:
    """Close every cached engine (tests, and settings changes)."""
    with _pools_lock:
        for pool in _pools.values():
            pool.close()
        _pools.clear()


# Engines closed before the interpreter goes: mini-racer's callbacks complain otherwise.
atexit.register(forget_engines)


# -- running ---------------------------------------------------------------------------


def run(code: str, event: Mapping[str, Any], key: tuple[Any, ...] | None = None) -> RunResult:
    """Run `transform(event)`. `key` names a stored version (its engines are kept and
    reused); without one (a draft being tried) a fresh engine is made and closed."""
    started = time.perf_counter()
    try:
        event_json = json.dumps(event, ensure_ascii=False, default=str)
        if key is None:
            answer = _run_once(code, event_json)
        else:
            answer = _run_pooled(_pool(key, code), event_json)
    except JavaScriptError as exc:
        return RunResult(None, False, [], _since(started), str(exc))
    logs = [str(line) for line in answer.get("logs", [])][: MAX_LOG_LINES + 1]
    duration = _since(started)
    if "error" in answer:
        return RunResult(None, False, logs, duration, _clip(_user_frames(str(answer["error"]))))
    try:
        output = normalise(json.loads(answer["result"]))
    except JavaScriptError as exc:
        return RunResult(None, False, logs, duration, str(exc))
    return RunResult(output, output is None, logs, duration, None)


def _since(started: float) -> float:
    return round((time.perf_counter() - started) * 1000, 3)


def _user_frames(stack: str) -> str:
    """A thrown error's stack without the runner's own frames, lines named plainly."""
    lines = []
    for line in stack.splitlines():
        if f"at {RUNNER} " in line:
            break
        lines.append(line.replace("(<anonymous>:", "(line ").replace("at <anonymous>:", "at line "))
    return "\n".join(lines)


def _clip(text: str) -> str:
    return text if len(text) <= MAX_ERROR else text[: MAX_ERROR - 1] + "…"


def _run_once(code: str, event_json: str) -> dict[str, Any]:
    engine = _compiled(code)
    try:
        return _call(engine, event_json)
    finally:
        engine.close()


def _run_pooled(pool: _Pool, event_json: str) -> dict[str, Any]:
    engine = _taken(pool)
    try:
        return _call(engine, event_json)
    finally:
        pool.give(engine)


def _compiled(code: str) -> _Engine:
    try:
        return _Engine(code)
    except (JSTimeoutException, JSOOMException) as exc:
        raise JavaScriptError(_limit_message(exc, "while loading the code")) from None
    except JSParseException as exc:
        raise JavaScriptError(_clip(f"the code does not compile: {_first_lines(exc)}")) from None
    except Exception as exc:  # a top-level throw: any JSEvalException
        raise JavaScriptError(_clip(f"the code failed to load: {_first_lines(exc)}")) from None


def _taken(pool: _Pool) -> _Engine:
    try:
        return pool.take()
    except (JSTimeoutException, JSOOMException) as exc:
        raise JavaScriptError(_limit_message(exc, "while loading the code")) from None
    except JSParseException as exc:
        raise JavaScriptError(_clip(f"the code does not compile: {_first_lines(exc)}")) from None
    except Exception as exc:
        raise JavaScriptError(_clip(f"the code failed to load: {_first_lines(exc)}")) from None


def _call(engine: _Engine, event_json: str) -> dict[str, Any]:
    try:
        raw = engine.run(event_json)
    except (JSTimeoutException, JSOOMException) as exc:
        engine.close()  # a terminated isolate is not trusted again
        raise JavaScriptError(_limit_message(exc)) from None
    except Exception as exc:
        engine.close()
        raise JavaScriptError(_clip(f"the engine failed: {_first_lines(exc)}")) from None
    if engine.racer is not None and engine.racer.was_hard_memory_limit_reached():
        engine.close()
    return json.loads(raw)


def _limit_message(exc: Exception, where: str = "") -> str:
    suffix = f" {where}" if where else ""
    if isinstance(exc, JSTimeoutException):
        return f"timed out after {settings.TRANSFORM_JS_TIMEOUT_MS} ms{suffix}"
    return f"ran out of memory (limit {settings.TRANSFORM_JS_MEMORY_MB} MiB){suffix}"


def _first_lines(exc: Exception) -> str:
    lines = [line for line in str(exc).splitlines() if line.strip()]
    # mini-racer's text: "<anonymous>:3: SyntaxError: ...", the source line, a caret.
    return lines[0].replace("<anonymous>:", "line ") if lines else type(exc).__name__


# -- results ---------------------------------------------------------------------------


def normalise(result: Any) -> dict[str, Any] | None:
    """{"body", "headers"} from what transform returned; None means skip. An object with
    a "body" key and no keys but "body" and "headers" is that shape; anything else is
    the body itself."""
    if result is None:
        return None
    if isinstance(result, dict) and "body" in result and set(result) <= {"body", "headers"}:
        headers = result.get("headers")
        return {"body": result["body"], "headers": _headers(headers)}
    return {"body": result, "headers": {}}


_TOKEN = frozenset("!#$%&'*+-.^_`|~0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ")
# Set by the gateway or by the HTTP client; a transformation may not change them.
RESERVED_HEADERS = frozenset(
    {
        "host",
        "content-length",
        "transfer-encoding",
        "connection",
        "webhook-signature",
        "webhook-id",
        "webhook-timestamp",
    }
)


def _headers(headers: Any) -> dict[str, str]:
    if headers is None:
        return {}
    if not isinstance(headers, dict):
        raise JavaScriptError('"headers" must be an object of strings')
    clean: dict[str, str] = {}
    for name, value in headers.items():
        if not name or not set(name) <= _TOKEN:
            raise JavaScriptError(f"header name {name!r} is not a valid HTTP header name")
        if name.lower() in RESERVED_HEADERS or name.lower().startswith("x-relaycore-"):
            raise JavaScriptError(f"header {name!r} is set by RelayCore, not by a transformation")
        if isinstance(value, int | float) and not isinstance(value, bool):
            value = json.dumps(value)
        if not isinstance(value, str):
            raise JavaScriptError(f"header {name!r} must have a string value")
        if any(char in value for char in "\r\n\x00"):
            raise JavaScriptError(f"header {name!r} must be one line")
        clean[name] = value
    return clean


# -- validation ------------------------------------------------------------------------


def code_problem(code: Any) -> str | None:
    """Why `code` cannot be saved as a transformation, or None: it must load within the
    limits and define a function transform(event)."""
    if not isinstance(code, str) or not code.strip():
        return "must be JavaScript defining a function transform(event)"
    limit = settings.TRANSFORM_JS_MAX_CODE_BYTES
    if len(code.encode("utf-8")) > limit:
        return f"must be at most {limit} bytes"
    try:
        engine = _compiled(code)
    except JavaScriptError as exc:
        return str(exc)
    try:
        defined = engine.racer.eval("typeof transform", timeout_sec=_timeout_seconds())
    finally:
        engine.close()
    return None if defined == "function" else "must define a function transform(event)"
