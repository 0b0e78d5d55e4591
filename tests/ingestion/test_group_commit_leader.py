"""apps.ingestion.group_commit on its own: who runs a batch, and what each request of a
failed batch gets."""

from __future__ import annotations

import threading

from apps.ingestion.group_commit import GroupCommit
from tests.ingestion.test_group_commit import wait_for


def test_a_lone_request_runs_its_own_batch_at_once():
    ran: list[tuple[int, list[str]]] = []

    def run(items: list[str]) -> list[str]:
        ran.append((threading.get_ident(), items))
        return [item.upper() for item in items]

    group = GroupCommit(run)

    assert group.submit("a") == "A"
    # In the caller's own thread, alone, before submit returned: nothing waited for
    # company, and nothing is left queued.
    assert ran == [(threading.get_ident(), ["a"])]
    assert group.queued() == 0


def test_a_batch_that_raises_raises_in_every_request_of_it():
    started, release = threading.Event(), threading.Event()
    seen: list[list[int]] = []

    def run(items: list[int]) -> list[int]:
        seen.append(items)
        if len(seen) == 1:
            started.set()
            release.wait(10)
            return items
        raise ValueError("batch failed")

    group = GroupCommit(run)
    outcomes: dict[int, object] = {}

    def one(n: int) -> None:
        try:
            outcomes[n] = group.submit(n)
        except ValueError as exc:
            outcomes[n] = exc

    first = threading.Thread(target=one, args=(0,))
    first.start()
    started.wait(10)
    rest = [threading.Thread(target=one, args=(n,)) for n in range(1, 5)]
    for thread in rest:
        thread.start()
    wait_for(lambda: group.queued() == 4, "the followers to queue up")
    release.set()
    for thread in [first, *rest]:
        thread.join(10)

    assert outcomes[0] == 0
    assert sorted(seen[1]) == [1, 2, 3, 4]
    assert all(isinstance(outcomes[n], ValueError) for n in range(1, 5))


def test_with_two_in_flight_a_second_batch_starts_at_once_and_a_third_waits():
    release = threading.Event()
    seen: list[list[int]] = []

    def run(items: list[int]) -> list[int]:
        seen.append(items)
        release.wait(10)
        return items

    group = GroupCommit(run, in_flight=2)
    threads = [threading.Thread(target=group.submit, args=(n,)) for n in range(4)]
    threads[0].start()
    wait_for(lambda: group.in_flight() == 1, "the first batch")
    threads[1].start()
    wait_for(lambda: group.in_flight() == 2, "the second batch, beside the first")
    for thread in threads[2:]:
        thread.start()
    wait_for(lambda: group.queued() == 2, "the others to queue")
    release.set()
    for thread in threads:
        thread.join(10)

    assert seen[:2] == [[0], [1]]
    assert sorted(seen[2]) == [2, 3]  # one batch for both, once one had ended
    assert group.in_flight() == 0
