"""Route conditions: JSONPath tests an event's payload must pass.

A condition is ``{"path": "$.ref", "op": "equals", "value": "refs/heads/main"}``; every
condition of a route must pass. Paths use jsonpath-ng's extended grammar, so filters such
as ``$.commits[?(@.author.name == 'bot')]`` work. Paths compile through apps.core.jsonpath
and regexes through apps.core.regex: both run on RE2, in time linear in the payload, and
both are cached.

How operators treat what the path finds:

- Several values (``$.commits[*].id``): the condition passes if ANY value passes. The
  negative operators ``not_equals`` and ``not_in`` pass only if NO value matches: they
  are the exact opposite of ``equals`` / ``in`` over the values found.
- Nothing found: every operator fails except ``exists`` with ``"value": false``. So
  ``not_equals`` on an absent field fails; "not main" is not read as "absent".
- ``exists``: value optional, defaults to true; a JSON null counts as present.
- ``equals`` / ``in`` compare JSON values; true and false never equal 1 and 0.
  ``in`` / ``not_in`` need a list value.
- ``contains``: substring when the found value is a string (the value must be a string
  too), membership when it is a list; anything else does not contain.
- ``regex``: an RE2 search (apps.core.regex) in string values; other types never match.
  A pattern RE2 refuses (backreferences, lookarounds) fails the condition.
- ``gt`` / ``gte`` / ``lt`` / ``lte``: numbers, with numeric strings ("42", "3.5")
  coerced on both sides; booleans, null and other text make the comparison false.

``validate_conditions`` refuses what evaluation could only treat as failing: unknown
operators, bad JSONPath, bad regexes, missing or mistyped values. Evaluation never
raises: a malformed condition fails, with the reason in ``ConditionResult.detail``. The one
exception is ``DeadlineExceeded``: the bound on routing one event (apps.core.deadline),
checked before each condition and inside JSONPath filters.
Messages number conditions from 1 ("condition 2 ($.ref): ..."); ``ConditionResult.index``
is the 0-based position in the list.
"""

from __future__ import annotations

import json
import math
import operator
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import re2
from jsonpath_ng import JSONPath

from apps.core import deadline, jsonpath, regex

# An operator gets every value the path found and the condition's value.
Check = Callable[[list[Any], Any], bool]
# A value test compares one found value with the condition's value.
ValueTest = Callable[[Any, Any], bool]

ALLOWED_KEYS = frozenset({"path", "op", "value"})


@dataclass(frozen=True)
class ConditionResult:
    passed: bool
    index: int
    condition: dict
    detail: str


def compile_path(path: str) -> JSONPath:
    return jsonpath.parse(path)


def compile_regex(pattern: str) -> re2._Regexp:
    return regex.compiled(pattern)


def find_values(path: str, payload: Any) -> list[Any]:
    return [match.value for match in compile_path(path).find(payload)]


# -- value tests -------------------------------------------------------------


def _same(found: Any, expected: Any) -> bool:
    # In Python True == 1; in JSON they are different values.
    if isinstance(found, bool) or isinstance(expected, bool):
        return type(found) is type(expected) and found == expected
    return found == expected


def _member(found: Any, expected: Any) -> bool:
    return isinstance(expected, list) and any(_same(found, item) for item in expected)


def _contains(found: Any, expected: Any) -> bool:
    if isinstance(found, str):
        return isinstance(expected, str) and expected in found
    if isinstance(found, list):
        return any(_same(item, expected) for item in found)
    return False


def _matches(found: Any, expected: Any) -> bool:
    return isinstance(found, str) and compile_regex(expected).search(found) is not None


def as_number(value: Any) -> int | float | None:
    """A finite number from a number or numeric string, else None."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int | float):
        return value if math.isfinite(value) else None
    if not isinstance(value, str):
        return None
    text = value.strip()
    for convert in (int, float):
        try:
            number = convert(text)
        except ValueError:
            continue
        return number if math.isfinite(number) else None
    return None


def _compare(relation: Callable[[Any, Any], bool]) -> ValueTest:
    def test(found: Any, expected: Any) -> bool:
        left, right = as_number(found), as_number(expected)
        return left is not None and right is not None and relation(left, right)

    return test


# -- operators: how a value test applies to everything the path found -------


def _any(test: ValueTest) -> Check:
    def check(values: list[Any], expected: Any) -> bool:
        return any(test(value, expected) for value in values)

    return check


def _none(test: ValueTest) -> Check:
    def check(values: list[Any], expected: Any) -> bool:
        # A missing path fails here too: see the module docstring.
        return bool(values) and not any(test(value, expected) for value in values)

    return check


def _exists(values: list[Any], expected: Any) -> bool:
    return bool(values) is (expected is not False)


_OPERATORS: dict[str, Check] = {
    "equals": _any(_same),
    "not_equals": _none(_same),
    "in": _any(_member),
    "not_in": _none(_member),
    "exists": _exists,
    "contains": _any(_contains),
    "regex": _any(_matches),
    "gt": _any(_compare(operator.gt)),
    "gte": _any(_compare(operator.ge)),
    "lt": _any(_compare(operator.lt)),
    "lte": _any(_compare(operator.le)),
}
OPERATORS: tuple[str, ...] = tuple(_OPERATORS)


# -- validation -----------------------------------------------------------------


def _need_list(value: Any) -> str | None:
    return None if isinstance(value, list) else "value must be a list"


def _need_bool(value: Any) -> str | None:
    return None if isinstance(value, bool) else "value must be true or false"


def _need_number(value: Any) -> str | None:
    return None if as_number(value) is not None else "value must be a number"


def _need_regex(value: Any) -> str | None:
    if not isinstance(value, str):
        return "value must be a regular expression string"
    return regex.problem(value)


_VALUE_RULES: dict[str, Callable[[Any], str | None]] = {
    "in": _need_list,
    "not_in": _need_list,
    "exists": _need_bool,
    "regex": _need_regex,
    "gt": _need_number,
    "gte": _need_number,
    "lt": _need_number,
    "lte": _need_number,
}


def _label(index: int, condition: Any) -> str:
    path = condition.get("path") if isinstance(condition, dict) else None
    suffix = f" ({path})" if isinstance(path, str) and path.strip() else ""
    return f"condition {index + 1}{suffix}"


def _path_problem(path: Any) -> str | None:
    if not isinstance(path, str) or not path.strip():
        return '"path" must be a JSONPath string such as $.ref'
    problem = jsonpath.problem(path)
    return f"invalid JSONPath: {problem}" if problem else None


def _op_problem(condition: dict) -> str | None:
    op = condition.get("op")
    if op in _OPERATORS:
        if "value" not in condition:
            return None if op == "exists" else f'operator {op!r} needs a "value"'
        rule = _VALUE_RULES.get(op)
        return rule(condition["value"]) if rule else None
    expected = ", ".join(OPERATORS)
    if not isinstance(op, str) or not op:
        return f'"op" is required; expected one of {expected}'
    return f"unknown operator {op!r}; expected one of {expected}"


def condition_problems(condition: Any) -> list[str]:
    """What is wrong with one condition, without its label."""
    if not isinstance(condition, dict):
        return ['must be an object with "path", "op" and usually "value"']
    problems = []
    extra = sorted(str(key) for key in condition if key not in ALLOWED_KEYS)
    if extra:
        problems.append(f"unexpected key(s) {', '.join(extra)}")
    for problem in (_path_problem(condition.get("path")), _op_problem(condition)):
        if problem:
            problems.append(problem)
    return problems


def validate_conditions(conditions: Any) -> list[str]:
    """Human messages for every problem, each naming its condition; [] when valid."""
    if not isinstance(conditions, list):
        return ["conditions must be a list of {path, op, value} objects"]
    messages = []
    for index, condition in enumerate(conditions):
        label = _label(index, condition)
        messages.extend(f"{label}: {problem}" for problem in condition_problems(condition))
    return messages


# -- evaluation -----------------------------------------------------------------


def _shown(values: list[Any], limit: int = 200) -> str:
    text = json.dumps(values[0] if len(values) == 1 else values, default=str)
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _run(index: int, condition: dict, payload: Any) -> ConditionResult:
    label = _label(index, condition)
    problems = condition_problems(condition)
    if problems:
        return ConditionResult(False, index, condition, f"{label}: invalid: {problems[0]}")
    op, expected = condition["op"], condition.get("value", True)
    try:
        values = find_values(condition["path"], payload)
    except deadline.DeadlineExceeded:
        raise
    except Exception as exc:  # odd payload shapes can trip filters; fail, don't crash
        return ConditionResult(False, index, condition, f"{label}: path failed: {exc}")
    passed = _OPERATORS[op](values, expected)
    found = _shown(values) if values else "nothing"
    verdict = "passed" if passed else "failed"
    detail = f"{label}: {op} {json.dumps(expected, default=str)} {verdict}; found {found}"
    return ConditionResult(passed, index, condition, detail)


def check_condition(condition: Any, payload: Any, index: int = 0) -> ConditionResult:
    if not isinstance(condition, dict):
        detail = f"condition {index + 1}: invalid: not an object"
        return ConditionResult(False, index, {}, detail)
    return _run(index, condition, payload)


def evaluate(condition: dict, payload: Any) -> bool:
    return check_condition(condition, payload).passed


def first_failure(conditions: list[dict], payload: Any) -> ConditionResult | None:
    """The first condition that fails, or None when all pass (an empty list passes)."""
    if conditions is not None and not isinstance(conditions, list):
        detail = "conditions: invalid: not a list"
        return ConditionResult(False, 0, {}, detail)
    for index, condition in enumerate(conditions or []):
        deadline.check()
        result = check_condition(condition, payload, index)
        if not result.passed:
            return result
    return None
