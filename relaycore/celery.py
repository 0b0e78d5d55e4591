import os

from celery import Celery

from relaycore.beat_thread import install as install_beat_thread

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "relaycore.settings")

app = Celery("relaycore")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()

# `worker --beat-thread`: Beat inside the worker, for make run (relaycore/beat_thread.py).
install_beat_thread(app)
