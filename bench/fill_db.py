"""A filled database of its own, left in place (bench/growth_fill.py)."""

from __future__ import annotations


def main() -> int:
    """Fill a database of its own and leave it, for EXPLAIN and timing by hand:

    BENCH_DB=relaycore_growth_h6 .venv/bin/python -m bench.fill_db 500000
    BENCH_DB=relaycore_growth_h6 .venv/bin/python -m bench.fill_db --drop
    """
    import argparse
    import os

    parser = argparse.ArgumentParser()
    parser.add_argument("events", type=int, nargs="?", default=500_000)
    parser.add_argument("--drop", action="store_true")
    args = parser.parse_args()
    from bench.services import Stack, Tuning, drop_database, recreate_database

    if args.drop:
        drop_database()
        return 0
    stack = Stack(Tuning())
    recreate_database()
    stack.migrate()
    os.environ.update(stack.env)
    os.environ["DJANGO_SETTINGS_MODULE"] = "bench.settings"
    import django

    django.setup()
    from bench.growth_fill import fill, sizes

    print(fill(args.events), sizes())
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
