"""The embedded profile as it was before the second pass (docs/performance.md):
Django's own SQLite backend, whose threads wait for the write lock in SQLite's busy
handler, SQLite's default page cache, and with `--embedded-env SQLITE_CONN_MAX_AGE=0
--embedded-env INGEST_BATCHES_IN_FLIGHT=2` a connection per request and two batches in
flight (`--embedded-settings bench.sqlite_stock`, for comparisons in one sitting)."""

from relaycore.settings import *  # noqa: F403

DATABASES["default"]["ENGINE"] = "django.db.backends.sqlite3"  # noqa: F405
DATABASES["default"]["OPTIONS"]["init_command"] = (  # noqa: F405
    "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL;"
)
