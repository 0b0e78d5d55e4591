"""bench.sqlite_queued with a 512 KiB page cache per connection instead of SQLite's
2 MiB (`--embedded-settings bench.sqlite_queued_small_cache`): kept connections hold
their caches, and the embedded stack's PSS at rest has a budget."""

from bench.sqlite_queued import *  # noqa: F403

DATABASES["default"]["OPTIONS"]["init_command"] += " PRAGMA cache_size=-512;"  # noqa: F405
