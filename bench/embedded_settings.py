"""The bench process's settings for `--profile embedded` (bench/embedded.py): the
embedded profile's settings, whose `default` database is the stack's SQLite file, plus
the production profile's benchmark database as `production`; bench.embedded.Router
picks one for every query."""

import os

import dj_database_url

from relaycore.settings import *  # noqa: F403

if os.environ.get("BENCH_PRODUCTION_URL"):
    DATABASES["production"] = dj_database_url.parse(os.environ["BENCH_PRODUCTION_URL"])  # noqa: F405
DATABASE_ROUTERS = ["bench.embedded.Router"]
