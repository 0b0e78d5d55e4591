"""The embedded profile with SQLite at synchronous=NORMAL instead of FULL, for measuring
what FULL costs (`--profile embedded --embedded-settings bench.sqlite_normal`). Never a
setting of the product: with NORMAL a power cut can take back events answered 200."""

from relaycore.settings import *  # noqa: F403

DATABASES["default"]["OPTIONS"]["init_command"] = (  # noqa: F405
    "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;"
)
