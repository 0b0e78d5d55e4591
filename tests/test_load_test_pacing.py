"""The benchmark's load client (load_test.py): paced, it sends at the rate it was given
from the first request on, with no burst while its connections are set up."""

from __future__ import annotations

import pytest

from load_test import Job, Plan, run_job

pytestmark = pytest.mark.profile_independent


def test_a_paced_run_starts_at_its_rate_without_a_burst(sink):
    rate, concurrency = 100.0, 64
    plan = Plan(url=sink.url, requests=60, scheme="none", unique=True)

    tally = run_job(Job(plan, concurrency, processes=1, rate=rate))

    arrived = sorted(request.at for request in sink.wait_for(60))
    assert sum(tally.counts.values()) == 60
    # At 100/s a tenth of a second holds about 10 requests. Building each sender's
    # client (an SSL context apiece) used to delay the start, which then came as one
    # burst: 60 senders' worth at once.
    first_tenth = [at for at in arrived if at < arrived[0] + 0.1]
    assert len(first_tenth) <= 25, len(first_tenth)  # room for a loaded machine's stalls
    assert arrived[-1] - arrived[0] == pytest.approx(59 / rate, abs=0.15)
