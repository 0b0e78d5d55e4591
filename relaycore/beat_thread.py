"""Beat as a thread of the Celery worker: `celery -A relaycore worker --beat-thread`.

`make run` starts one worker and needs exactly one Beat beside it. `worker -B` would
fork Beat into a process of its own (about 60 MB of PSS in the embedded profile); this
bootstep runs the same scheduler (CELERY_BEAT_SCHEDULER, the worker's `-s` file) in a
thread of the worker instead, started and stopped with it. Production deployments keep
Beat as a process of its own (docker-compose.yml), so that workers scale apart from it.
"""

from __future__ import annotations

import click
from celery import bootsteps
from celery.beat import EmbeddedService

OPTION = click.Option(
    ["--beat-thread"],
    is_flag=True,
    default=False,
    help="Run Beat in a thread of this worker (only one worker may have it).",
)


class BeatThread(bootsteps.StartStopStep):
    label = "Beat (thread)"
    conditional = True

    def __init__(self, worker, beat_thread: bool = False, **options) -> None:
        self.enabled = bool(beat_thread)
        super().__init__(worker, **options)

    def create(self, worker):
        # thread=True: celery.beat._Threaded, which polls its stop flag at least each second.
        return EmbeddedService(
            worker.app,
            thread=True,
            schedule_filename=worker.schedule_filename,
            scheduler_cls=worker.scheduler,
        )


def install(app) -> None:
    app.user_options["worker"].add(OPTION)
    app.steps["worker"].add(BeatThread)
