from django.apps import AppConfig


class DeliveryConfig(AppConfig):
    name = "apps.delivery"
    label = "delivery"

    def ready(self) -> None:
        from celery.signals import task_postrun, task_prerun, worker_shutdown
        from django.db import close_old_connections

        # What Django does around a request, done around a task: keep the thread's
        # connection while it is healthy and younger than CONN_MAX_AGE, drop it after an
        # error (a restarted PostgreSQL), instead of reconnecting for every task.
        def recycle(**_: object) -> None:
            close_old_connections()

        task_prerun.connect(recycle, weak=False, dispatch_uid="relaycore.recycle.prerun")
        task_postrun.connect(recycle, weak=False, dispatch_uid="relaycore.recycle.postrun")

        # A warm shutdown lets the requests already handed to the sender finish and be
        # recorded (whatever is still out after this is re-run when its lease ends).
        def drain(**_: object) -> None:
            from apps.delivery import batch

            batch.wait_idle(timeout=20.0)

        worker_shutdown.connect(drain, weak=False, dispatch_uid="relaycore.sender.drain")

        # Pausing or disabling holds what waits; resuming or enabling releases it.
        from django.db.models.signals import post_save, pre_save

        from apps.core.models import Destination, Route, Source
        from apps.delivery import holding

        for model in (Source, Destination, Route):
            uid = f"relaycore.holding.{model.__name__}"
            pre_save.connect(holding.remember, sender=model, weak=False, dispatch_uid=uid)
            post_save.connect(holding.apply_change, sender=model, weak=False, dispatch_uid=uid)
