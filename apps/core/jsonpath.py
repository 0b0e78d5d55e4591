"""JSONPath for user-written paths: jsonpath-ng's extended grammar, regexes on RE2.

jsonpath-ng runs a filter's ``=~`` and the ``sub(/pattern/, repl)`` operator on Python's
backtracking ``re``. This parser builds the same trees, except that those two nodes use
apps.core.regex, so a path in a route condition or a source's ``event_type_path`` (read
inside the ingest request) runs in time linear in the payload. Each filter test also
calls ``deadline.check()``, so a filter over a huge list stops at the bound of the work
around it (routing one event).

A pattern RE2 refuses makes ``parse`` raise ``InvalidPath``, naming the pattern: saving
such a path is refused, and a stored one fails where it is used, never falls back to
``re``.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any

from jsonpath_ng import DatumInContext, JSONPath
from jsonpath_ng.ext import filter as ext_filter
from jsonpath_ng.ext import parser as ext_parser
from jsonpath_ng.ext import string as ext_string

from apps.core import deadline, regex


class InvalidPath(ValueError):
    """A path jsonpath-ng cannot parse, or whose regex RE2 refuses."""


class Expression(ext_filter.Expression):
    """A filter test; ``=~`` on RE2, and a deadline check per element tested."""

    def find(self, datum: Any) -> list[DatumInContext]:
        deadline.check()
        if self.op != "=~":
            return super().find(datum)
        wrapped = DatumInContext.wrap(datum)
        pattern = regex.compiled(self.value)
        return [
            found
            for found in self.target.find(wrapped)
            if isinstance(found.value, str) and pattern.search(found.value) is not None
        ]


class Sub(ext_string.Sub):
    """```sub(/pattern/, repl)``` on RE2 (the library's constructor compiles with re)."""

    def __init__(self, method: str) -> None:
        body = ext_string._SUB_BODY.match(method)
        parts = ext_string._SUB_PARTS.fullmatch(body.group(1)) if body else None
        if parts is None:
            raise ext_string.DefintionInvalid(f"{method} is not valid")
        self.expr = parts.group(1).strip()
        self.repl = parts.group(2).strip()
        self.regex = regex.compiled(self.expr)
        self.method = method

    def find(self, datum: Any) -> list[DatumInContext]:
        deadline.check()
        datum = DatumInContext.wrap(datum)
        if not isinstance(datum.value, str):
            return []
        value = self.regex.sub(self.repl, datum.value)
        return [] if value == datum.value else [DatumInContext.wrap(value)]


class _Parser(ext_parser.ExtendedJsonPathParser):
    # PLY reads each rule's grammar from its docstring and checks it against the
    # library's pre-built tables: the overrides keep the docstrings as they are.
    def p_expression(self, p: Any) -> None:
        super().p_expression(p)
        found = p[0]
        if found.op == "=~":
            regex.compiled(found.value)  # refused now, not at match time
        p[0] = Expression(found.target, found.op, found.value)

    def p_expression_not(self, p: Any) -> None:
        p[0] = Expression(p[2], p[1], None)

    def p_jsonpath_named_operator(self, p: Any) -> None:
        name = p[1]
        if isinstance(name, str) and name.startswith("sub("):
            p[0] = Sub(name)
        else:
            super().p_jsonpath_named_operator(p)


_Parser.p_expression.__doc__ = ext_parser.ExtendedJsonPathParser.p_expression.__doc__
_Parser.p_expression_not.__doc__ = ext_parser.ExtendedJsonPathParser.p_expression_not.__doc__
_Parser.p_jsonpath_named_operator.__doc__ = (
    ext_parser.ExtendedJsonPathParser.p_jsonpath_named_operator.__doc__
)


@lru_cache(maxsize=1024)
def parse(path: str) -> JSONPath:
    """The compiled path; raises InvalidPath with a message fit for a user."""
    try:
        return _Parser().parse(path)
    except regex.UnsupportedPattern as exc:
        raise InvalidPath(str(exc)) from None
    except Exception as exc:  # noqa: BLE001 - jsonpath-ng raises several unrelated types
        raise InvalidPath(str(exc) or type(exc).__name__) from None


@lru_cache(maxsize=256)  # a bad stored path is met again on every event
def problem(path: str) -> str | None:
    """Why the path cannot be used, or None."""
    try:
        parse(path)
    except InvalidPath as exc:
        return str(exc)
    return None
