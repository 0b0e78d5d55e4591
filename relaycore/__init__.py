"""The project package.

The Celery app (relaycore/celery.py) is made when Django starts (apps.core's ready) or
when `celery -A relaycore` looks for it, not when this package is imported: gunicorn's
master process imports relaycore.gunicorn_conf and needs nothing of Celery (about 12 MB
of RSS it would hold).
"""
