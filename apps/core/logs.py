"""Structured log lines with stable event names: `delivery.attempt.failed outcome_id=3 ...`."""

from __future__ import annotations

import logging


def log_event(logger: logging.Logger, name: str, level: int = logging.INFO, **fields) -> None:
    if not logger.isEnabledFor(level):
        return
    detail = " ".join(f"{key}={value}" for key, value in fields.items())
    logger.log(level, "%s %s", name, detail, extra={"event": name, "fields": fields})
