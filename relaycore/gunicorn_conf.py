"""gunicorn settings, from the environment like everything else."""

import os

bind = f"{os.environ.get('BIND', '127.0.0.1')}:{os.environ.get('PORT', '8000')}"
workers = int(os.environ.get("WEB_CONCURRENCY", "2"))
# Threads per worker. workers * threads bounds the database connections the web tier
# can hold (CONN_MAX_AGE keeps one per thread), so keep it under the server's limit.
threads = int(os.environ.get("WEB_THREADS", "8"))
worker_class = "gthread"
timeout = 30
graceful_timeout = 20
keepalive = 5
# The web tier skips the per-request SELECT 1 health check (+6 % ingest, fewer GIL
# handoffs): after a database restart each thread's first request answers 503, which
# producers retry, and Django then drops the dead connection. Workers keep the check: a
# failed routing task would leave its events to the sweeper for a minute.
os.environ.setdefault("DATABASE_HEALTH_CHECKS", "false")
accesslog = "-" if os.environ.get("ACCESS_LOG", "true").lower() == "true" else None
