"""gunicorn settings, from the environment like everything else (`.env` included: this
file is read before Django's settings, so it reads `.env` itself)."""

import os
from pathlib import Path

from relaycore.env import load_env_file

load_env_file(Path(__file__).resolve().parent.parent)

bind = f"{os.environ.get('BIND', '127.0.0.1')}:{os.environ.get('PORT', '8000')}"
# The embedded profile (no DATABASE_URL) writes one SQLite file, one writer at a time:
# a second process would add its memory (about 70 MB) and nothing to that lock's rate.
_embedded = not os.environ.get("DATABASE_URL")
workers = int(os.environ.get("WEB_CONCURRENCY", "1" if _embedded else "2"))
# Threads per worker. workers * threads bounds the database connections the web tier
# can hold (CONN_MAX_AGE keeps one per thread), so keep it under the server's limit.
threads = int(os.environ.get("WEB_THREADS", "16" if _embedded else "8"))
if _embedded:
    # The web threads keep their SQLite connections (relaycore/settings.py): an ingest
    # batch no longer opens one. Read by Django's settings in the forked workers.
    os.environ.setdefault("SQLITE_CONN_MAX_AGE", "600")
worker_class = "gthread"
timeout = 30
graceful_timeout = 20
keepalive = 5
accesslog = "-" if os.environ.get("ACCESS_LOG", "true").lower() == "true" else None
# gunicorn 25.1+ serves a control interface (gunicornc) from a thread of the master, on a
# socket under ~/.gunicorn shared by every gunicorn of the user. Nothing here uses it;
# without it the master holds 1.6 MiB less RSS (docs/performance.md, "Web memory").
control_socket_disable = True
