"""`make bench BENCH_ARGS="--profile embedded"`: the embedded profile as `make run`
starts it (scripts/run.py: SQLite and the bundled Redis in a temporary var dir, its
processes and defaults, not the production tuning), measured beside the production
profile's ingest of the same sitting.

Rounds alternate: embedded ingest, production ingest (gunicorn alone, as in scenario 1
of the production run), ... then c=1, then the embedded stack's end to end rounds. The
stack's PSS (every process under the supervisor, itself included) is read at rest
after the warm-up and again after the load.

The bench process reaches both databases through the ORM: `default` is the stack's
SQLite file, `production` the benchmark's PostgreSQL database (bench/embedded_settings.py),
and Router sends every query to the one being measured.
"""

from __future__ import annotations

import os
import shutil
import sys
import tempfile
import time
from pathlib import Path

from bench import memory
from bench.services import (
    ROOT,
    SERVICE_PYTHON,
    Service,
    Stack,
    Tuning,
    answers,
    database_url,
    drop_database,
    flush_redis,
    free_port,
    recreate_database,
    wait_for,
)

REST_SECONDS = 5.0  # for Beat's ticks and the last batch to settle before reading PSS
# The settings make run takes from the environment: the bench's must not leak into it.
TUNING_KEYS = ("WEB_CONCURRENCY", "WEB_THREADS", "WORKER_CONCURRENCY")


class Router:
    """Every query of the bench process goes to `Router.target`."""

    target = "default"

    def db_for_read(self, model, **hints) -> str:
        return Router.target

    def db_for_write(self, model, **hints) -> str:
        return Router.target

    def allow_relation(self, obj1, obj2, **hints) -> bool:
        return True


class EmbeddedStack:
    """scripts/run.py on a var dir and ports of its own, and the sink."""

    def __init__(
        self, keys: dict[str, str], settings_module: str, extra: dict[str, str] | None = None
    ) -> None:
        self.var_dir = Path(tempfile.mkdtemp(prefix="rc-bench-embedded-"))
        self.web_port, self.sink_port, self.redis_port = free_port(), free_port(), free_port()
        production_only = ("DATABASE_", "REDIS_", "RELAYCORE_", "DJANGO_", *TUNING_KEYS)
        self.env = {k: v for k, v in os.environ.items() if not k.startswith(production_only)}
        self.env.update(
            keys,
            RELAYCORE_VAR_DIR=str(self.var_dir),
            RELAYCORE_ENV_FILE="",
            EMBEDDED_REDIS_PORT=str(self.redis_port),
            PORT=str(self.web_port),
            DJANGO_SETTINGS_MODULE=settings_module,
            DESTINATION_ALLOWED_NETWORKS="127.0.0.0/8",
            SECURE_SSL_REDIRECT="false",
            ACCESS_LOG="false",  # as in the production run: logging is not what is measured
            LOG_LEVEL="WARNING",
            PYTHONDONTWRITEBYTECODE="1",
        )
        self.env.update(extra or {})
        self.supervisor: Service | None = None
        self.sink: Service | None = None

    @property
    def web_url(self) -> str:
        return f"http://127.0.0.1:{self.web_port}"

    @property
    def sink_url(self) -> str:
        return f"http://127.0.0.1:{self.sink_port}"

    def start(self) -> None:
        sink = [sys.executable, "-m", "bench.sink", "--port", str(self.sink_port)]
        self.sink = Service("sink", sink, self.env)
        self.sink.start()
        wait_for(lambda: answers(f"{self.sink_url}/stats"), 10, "the sink", self.sink)
        run = [SERVICE_PYTHON, str(ROOT / "scripts" / "run.py")]
        self.supervisor = Service("make run", run, self.env)
        self.supervisor.start()
        wait_for(lambda: answers(f"{self.web_url}/healthz"), 90, "make run", self.supervisor)

    def pss(self) -> dict:
        return memory.stack_pss(self.supervisor.proc.pid)

    def check_alive(self) -> None:
        for service in (self.supervisor, self.sink):
            if service:
                service.check_alive()

    def stop(self) -> None:
        # SIGTERM to the supervisor: its ordered stop, as after a Ctrl-C.
        for service in (self.supervisor, self.sink):
            if service:
                service.stop(timeout=90)

    def remove(self) -> None:
        shutil.rmtree(self.var_dir, ignore_errors=True)
        for service in (self.supervisor, self.sink):
            if service:
                shutil.rmtree(service.log.parent, ignore_errors=True)


def setup_django(stack: EmbeddedStack, production: Stack | None) -> None:
    for key in [k for k in os.environ if k.startswith(("DATABASE_", "REDIS_"))]:
        del os.environ[key]
    os.environ.update(stack.env)
    os.environ["DJANGO_SETTINGS_MODULE"] = "bench.embedded_settings"
    if production:
        os.environ["BENCH_PRODUCTION_URL"] = database_url()
    import django

    django.setup()


def use(alias: str) -> None:
    Router.target = alias


def run(args, n: dict) -> dict:
    production = None if args.no_production else Stack(Tuning())
    keys = {"SECRET_KEY": "bench-embedded", "FIELD_ENCRYPTION_KEY": ""}
    if production:
        keys = {k: production.env[k] for k in ("SECRET_KEY", "FIELD_ENCRYPTION_KEY")}
    else:
        from cryptography.fernet import Fernet

        keys["FIELD_ENCRYPTION_KEY"] = Fernet.generate_key().decode()
    extra = dict(item.split("=", 1) for item in args.embedded_env)
    stack = EmbeddedStack(keys, args.embedded_settings, extra)
    if production:
        recreate_database()
        flush_redis()
    setup_django(stack, production)
    from bench import scenarios
    from bench.__main__ import warm_up

    results: dict = {
        "counts": n,
        "settings_module": args.embedded_settings,
        "settings": extra,
        "load_before": os.getloadavg(),
    }
    only = {name for name in args.only.split(",") if name}

    def want(name: str) -> bool:
        return not only or name in only

    try:
        stack.start()
        if production:
            production.migrate()
            production.start_web()
        use("default")
        warm_up(stack, scenarios)
        time.sleep(REST_SECONDS)
        results["pss_at_rest"] = stack.pss()
        print("pss at rest", results["pss_at_rest"]["total_mb"], "MB", flush=True)
        if want("ingest"):
            results.update(ingest_rounds(stack, production, scenarios, n["ingest"], args.rounds))
            single = scenarios.make_source("single")
            results["single"] = scenarios.wrk.send(
                scenarios.plan(stack, single.slug, max(n["ingest"] // 10, 200)), 1
            )
            print("c=1", results["single"]["latency_ms"], flush=True)
        if want("e2e"):
            rounds = [
                scenarios.timed(lambda i=i: scenarios.end_to_end(stack, n["e2e"], f"e2e-{i}"))
                for i in range(1, args.rounds + 1)
            ]
            results["e2e_rounds"] = rounds
            results["e2e"] = scenarios.median_round(rounds, lambda r: r.get("deliveries_per_s", 0))
            print("e2e", results["e2e"].get("deliveries_per_s"), flush=True)
        time.sleep(REST_SECONDS)
        results["pss_after_load"] = stack.pss()
        print("pss after load", results["pss_after_load"]["total_mb"], "MB", flush=True)
        results["load_after"] = os.getloadavg()
    except BaseException:
        logs = [stack.supervisor, stack.sink, *(production.started if production else [])]
        print(f"benchmark failed; logs: {[str(s.log) for s in logs if s]}", file=sys.stderr)
        raise
    finally:
        stack.stop()
        if production:
            from django.db import connections

            production.stop_all()
            connections.close_all()
            drop_database()
            flush_redis()
    stack.remove()
    if production:
        production.remove_logs()
    return results


def ingest_rounds(stack, production, scenarios, count: int, rounds: int) -> dict:
    """Scenario 1 on each profile, alternating, and the median round of each."""
    found: dict[str, list[dict]] = {"embedded": [], "production": []}
    for i in range(1, rounds + 1):
        use("default")
        found["embedded"].append(scenarios.ingest_only(stack, count, f"ingest-{i}"))
        print("embedded ingest", found["embedded"][-1]["accepted_per_s"], flush=True)
        if production:
            use("production")
            found["production"].append(scenarios.ingest_only(production, count, f"ingest-{i}"))
            print("production ingest", found["production"][-1]["accepted_per_s"], flush=True)
            use("default")
    result = {
        "ingest_rounds": found["embedded"],
        "ingest": scenarios.median_round(found["embedded"], _accepted),
    }
    if production:
        result["production_ingest_rounds"] = found["production"]
        result["production_ingest"] = scenarios.median_round(found["production"], _accepted)
    return result


def _accepted(result: dict) -> float:
    return result["accepted_per_s"]
