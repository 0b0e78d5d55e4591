"""The production settings with the benchmark's URLconf, for the ceiling measurements.

relaycore/settings.py is left alone: this module changes only ROOT_URLCONF and adds
/bench/ to the webhook fast path, so the reference views run behind exactly the same
middleware as ingest.
"""

from relaycore.settings import *  # noqa: F403

ROOT_URLCONF = "bench.urls"
FAST_PATH_PREFIXES = (*FAST_PATH_PREFIXES, "/bench/")  # noqa: F405
