"""The embedded profile with relaycore.sqlite, the backend whose threads queue for
SQLite's write lock inside the process (`--embedded-settings bench.sqlite_queued`)."""

from relaycore.settings import *  # noqa: F403

DATABASES["default"]["ENGINE"] = "relaycore.sqlite"  # noqa: F405
