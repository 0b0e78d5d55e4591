"""The notification types: stable names a channel subscribes to, one line each."""

from __future__ import annotations

DESTINATION_FAILING = "destination.failing"
DESTINATION_DISABLED = "destination.disabled"
DESTINATION_RECOVERED = "destination.recovered"
DEAD_LETTERS = "dead_letters"
SIGNATURE_FAILURES = "source.signature_failures"
TEST = "test"

TYPES: dict[str, str] = {
    DESTINATION_FAILING: "A destination crossed a failure threshold (consecutive failures "
    "or a failure ratio over a window).",
    DESTINATION_DISABLED: "A destination was disabled: nothing is sent to it until it is "
    "enabled again.",
    DESTINATION_RECOVERED: "A destination succeeded again after failing, or was enabled "
    "again after being disabled.",
    DEAD_LETTERS: "A digest of the events dead-lettered to a destination since the last one.",
    SIGNATURE_FAILURES: "A burst of requests refused for their signature on one source.",
    TEST: "Sent by a channel's test action, to check that it arrives.",
}
# What a channel may subscribe to (the test notice goes to the channel tested, always).
SUBSCRIBABLE = tuple(name for name in TYPES if name != TEST)
