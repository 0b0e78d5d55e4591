"""Every user-supplied regular expression compiles here, on RE2.

Python's ``re`` backtracks: ``^(a+)+$`` against 48 ``a``s and a ``!`` runs for hours, and
a route condition or a JSONPath ``=~`` filter is evaluated on what anyone who knows a
source's URL sends. RE2 answers in time linear in the input, whatever the pattern. The
price is its dialect: no backreferences (``\\1``) and no lookarounds (``(?=``, ``(?!``,
``(?<=``, ``(?<!``); ``\\Z`` is written ``\\z``. Such patterns are refused when saved
(``problem``), and one already stored fails its condition at match time (``compiled``
raises ``UnsupportedPattern``): never a fallback to ``re``.
"""

from __future__ import annotations

from functools import lru_cache

import re2

# Per compiled pattern; RE2 refuses a pattern whose automaton needs more.
MAX_MEMORY_BYTES = 8 << 20

_OPTIONS = re2.Options()
_OPTIONS.log_errors = False  # the refusal goes to the user, not to stderr
_OPTIONS.max_mem = MAX_MEMORY_BYTES


class UnsupportedPattern(ValueError):
    """The pattern is not valid RE2 (or too large for it)."""


def _reason(exc: Exception) -> str:
    text = exc.args[0] if exc.args else str(exc)
    return text.decode("utf-8", "replace") if isinstance(text, bytes) else str(text)


@lru_cache(maxsize=512)
def compiled(pattern: str) -> re2._Regexp:
    if not isinstance(pattern, str):
        raise UnsupportedPattern("a regular expression must be a string")
    try:
        return re2.compile(pattern, _OPTIONS)
    except re2.error as exc:
        raise UnsupportedPattern(
            f"invalid regex {pattern!r}: {_reason(exc)} (regexes use the RE2 dialect: no "
            "backreferences or lookarounds)"
        ) from None


@lru_cache(maxsize=256)  # a bad stored pattern is met again on every event
def problem(pattern: str) -> str | None:
    """Why the pattern cannot be used, or None."""
    try:
        compiled(pattern)
    except UnsupportedPattern as exc:
        return str(exc)
    return None


def search(pattern: str, text: str) -> bool:
    return compiled(pattern).search(text) is not None
