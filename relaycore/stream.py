"""`python -m relaycore.stream`: the stream process (server-sent events for `relaycore
listen`, apps/api/stream/), uvicorn on STREAM_BIND:STREAM_PORT.

Its streams never end by themselves, and uvicorn's graceful stop waits for open
responses: on SIGTERM or Ctrl-C the feed ends them all first, so the process stops at
once and each client resumes from the last id it received.
"""

from __future__ import annotations

import asyncio
import os

import django
import uvicorn

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "relaycore.settings")
django.setup()

from django.conf import settings  # noqa: E402  (after django.setup)

from apps.api.stream.app import application, feed  # noqa: E402


class StreamServer(uvicorn.Server):
    async def serve(self, sockets=None) -> None:
        self.loop = asyncio.get_running_loop()
        await super().serve(sockets)

    def handle_exit(self, sig, frame) -> None:
        super().handle_exit(sig, frame)
        self.loop.call_soon_threadsafe(feed.close_all)


def main() -> None:
    config = uvicorn.Config(
        application,
        host=settings.STREAM_BIND,
        port=settings.STREAM_PORT,
        lifespan="on",
        access_log=False,
        log_config=None,  # Django's logging (LOG_FORMAT, LOG_LEVEL) for uvicorn's loggers too
        server_header=False,
        log_level=settings.LOG_LEVEL.lower(),
        timeout_graceful_shutdown=10,
    )
    StreamServer(config).run()


if __name__ == "__main__":
    main()
