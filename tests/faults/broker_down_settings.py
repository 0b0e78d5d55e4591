"""The gateway's settings with the Celery broker elsewhere (FAULT_BROKER_URL), for the
test where the broker is unreachable while Redis and the database are fine."""

from relaycore.env import env_str
from relaycore.settings import *  # noqa: F403

CELERY_BROKER_URL = env_str("FAULT_BROKER_URL")
