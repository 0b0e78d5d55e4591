"""The embedded profile on Django's own SQLite backend, whose threads wait for the write
lock in SQLite's busy handler, instead of relaycore.sqlite's queue
(`--embedded-settings bench.sqlite_stock`, for comparisons in one sitting)."""

from relaycore.settings import *  # noqa: F403

DATABASES["default"]["ENGINE"] = "django.db.backends.sqlite3"  # noqa: F405
