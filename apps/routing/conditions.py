"""Route conditions: tests an event's body, headers or query string must pass.

A condition is ``{"path": "$.ref", "op": "equals", "value": "refs/heads/main"}``; every
item of a route's list must pass. The path addresses:

- the body: a JSONPath (``$.ref``, ``$.commits[*].id``);
- a header: ``headers.<name>``, the name case-insensitive (``headers.x-github-event``);
- the query string of the request: ``query.<name>``, every value the name was given.

An item may also be a group, nested to MAX_DEPTH: ``{"any": [items]}`` passes if one
item does, ``{"all": [items]}`` if every one does, ``{"not": item}`` if the item fails.
Places are named as in JSON: ``conditions[1].any[0]`` (0-based); the tester and the
validation name the leaf that failed or is wrong.

JSONPaths use jsonpath-ng's extended grammar, so filters such as
``$.commits[?(@.author.name == 'bot')]`` work. Paths compile through apps.core.jsonpath
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
- ``starts_with`` / ``ends_with``: string values and a string value; other types fail.
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
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import parse_qs

import re2
from jsonpath_ng import JSONPath

from apps.core import deadline, jsonpath, regex

# An operator gets every value the path found and the condition's value.
Check = Callable[[list[Any], Any], bool]
# A value test compares one found value with the condition's value.
ValueTest = Callable[[Any, Any], bool]

ALLOWED_KEYS = frozenset({"path", "op", "value"})
GROUP_KEYS = ("any", "all", "not")
MAX_DEPTH = 8
HEADER_PREFIX, QUERY_PREFIX = "headers.", "query."


@dataclass(frozen=True)
class ConditionResult:
    passed: bool
    index: int  # the top-level position in the list
    condition: dict  # the leaf (or group) that decided
    detail: str
    place: str = ""  # e.g. conditions[1].any[0]
    found: str | None = None  # what the leaf's path found, as JSON ("nothing" if none)


@dataclass(frozen=True)
class Subject:
    """What conditions look at: the parsed body, the headers, the query string."""

    payload: Any
    headers: Mapping[str, str] = field(default_factory=dict)
    query: Mapping[str, list[str]] = field(default_factory=dict)

    @classmethod
    def of(cls, payload: Any, headers: Mapping[str, Any] | None = None, query: str = "") -> Subject:
        lowered = {str(name).lower(): value for name, value in (headers or {}).items()}
        return cls(payload, lowered, parse_qs(query or "", keep_blank_values=True))


def is_group(item: Any) -> bool:
    return isinstance(item, dict) and any(key in item for key in GROUP_KEYS)


def compile_path(path: str) -> JSONPath:
    return jsonpath.parse(path)


def compile_regex(pattern: str) -> re2._Regexp:
    return regex.compiled(pattern)


def find_values(path: str, payload: Any) -> list[Any]:
    return [match.value for match in compile_path(path).find(payload)]


def values_at(path: str, subject: Subject) -> list[Any]:
    """What a condition's path finds: in the body, a header, or the query string."""
    if path.startswith(HEADER_PREFIX):
        name = path[len(HEADER_PREFIX) :].lower()
        return [subject.headers[name]] if name in subject.headers else []
    if path.startswith(QUERY_PREFIX):
        return list(subject.query.get(path[len(QUERY_PREFIX) :], []))
    return find_values(path, subject.payload)


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


def _starts(found: Any, expected: Any) -> bool:
    return isinstance(found, str) and isinstance(expected, str) and found.startswith(expected)


def _ends(found: Any, expected: Any) -> bool:
    return isinstance(found, str) and isinstance(expected, str) and found.endswith(expected)


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
    "starts_with": _any(_starts),
    "ends_with": _any(_ends),
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


def _need_text(value: Any) -> str | None:
    return None if isinstance(value, str) else "value must be a string"


def _need_regex(value: Any) -> str | None:
    if not isinstance(value, str):
        return "value must be a regular expression string"
    return regex.problem(value)


_VALUE_RULES: dict[str, Callable[[Any], str | None]] = {
    "in": _need_list,
    "not_in": _need_list,
    "exists": _need_bool,
    "regex": _need_regex,
    "starts_with": _need_text,
    "ends_with": _need_text,
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
        return '"path" must be a JSONPath string such as $.ref, or headers.<name> or query.<name>'
    for prefix in (HEADER_PREFIX, QUERY_PREFIX):
        if path.startswith(prefix):
            name = path[len(prefix) :]
            return None if name.strip() == name and name else f'"{prefix}" needs a name after it'
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


def _place(parent: str, key: str | int) -> str:
    return f"{parent}[{key}]" if isinstance(key, int) else f"{parent}.{key}"


def _leaf_label(place: str, index: int, condition: Any, top: bool) -> str:
    if top:
        return _label(index, condition)
    path = condition.get("path") if isinstance(condition, dict) else None
    suffix = f" ({path})" if isinstance(path, str) and path.strip() else ""
    return f"{place}{suffix}"


def _group_problems(group: dict, place: str, depth: int) -> list[str]:
    keys = [key for key in GROUP_KEYS if key in group]
    if len(keys) != 1 or len(group) != 1:
        return [f"{place}: a group has exactly one key, any, all or not"]
    key = keys[0]
    inner = group[key]
    if depth >= MAX_DEPTH:
        return [f"{place}: groups nest at most {MAX_DEPTH} deep"]
    if key == "not":
        return _item_problems(inner, _place(place, "not"), 0, depth + 1, top=False)
    if not isinstance(inner, list) or not inner:
        return [f"{place}.{key}: must be a non-empty list of conditions"]
    messages = []
    for index, item in enumerate(inner):
        messages += _item_problems(item, _place(_place(place, key), index), index, depth + 1)
    return messages


def _item_problems(item: Any, place: str, index: int, depth: int, top: bool = False) -> list:
    if is_group(item):
        return _group_problems(item, place, depth)
    label = _leaf_label(place, index, item, top)
    return [f"{label}: {problem}" for problem in condition_problems(item)]


def validate_conditions(conditions: Any) -> list[str]:
    """Human messages for every problem, each naming its place; [] when valid. A
    top-level condition is "condition 2 ($.ref)", a nested one "conditions[1].any[0]"."""
    if not isinstance(conditions, list):
        return ["conditions must be a list of {path, op, value} objects"]
    messages = []
    for index, item in enumerate(conditions):
        messages += _item_problems(item, f"conditions[{index}]", index, 1, top=True)
    return messages


# -- evaluation -----------------------------------------------------------------


def _shown(values: list[Any], limit: int = 200) -> str:
    text = json.dumps(values[0] if len(values) == 1 else values, default=str)
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _run(index: int, condition: dict, subject: Subject, label: str, place: str):
    problems = condition_problems(condition)
    if problems:
        detail = f"{label}: invalid: {problems[0]}"
        return ConditionResult(False, index, condition, detail, place)
    op, expected = condition["op"], condition.get("value", True)
    try:
        values = values_at(condition["path"], subject)
    except deadline.DeadlineExceeded:
        raise
    except Exception as exc:  # odd payload shapes can trip filters; fail, don't crash
        return ConditionResult(False, index, condition, f"{label}: path failed: {exc}", place)
    passed = _OPERATORS[op](values, expected)
    found = _shown(values) if values else "nothing"
    verdict = "passed" if passed else "failed"
    detail = f"{label}: {op} {json.dumps(expected, default=str)} {verdict}; found {found}"
    return ConditionResult(passed, index, condition, detail, place, found)


def _check(item: Any, subject: Subject, index: int, place: str, top: bool, depth: int = 1):
    """The result of one item, a leaf or a group; a failed group names its leaf."""
    deadline.check()
    if not isinstance(item, dict):
        label = f"condition {index + 1}" if top else place
        return ConditionResult(False, index, {}, f"{label}: invalid: not an object", place)
    if not is_group(item):
        return _run(index, item, subject, _leaf_label(place, index, item, top), place)
    problems = _group_problems(item, place, depth)
    if problems:
        return ConditionResult(False, index, item, f"invalid: {problems[0]}", place)
    key = next(key for key in GROUP_KEYS if key in item)
    if key == "not":
        inner = _check(item["not"], subject, index, _place(place, "not"), False, depth + 1)
        if inner.passed:
            detail = f"{place}: not: the condition inside passed ({inner.detail})"
            return ConditionResult(False, index, item, detail, place)
        return ConditionResult(True, index, item, f"{place}: not: passed", place)
    results = []
    for position, child in enumerate(item[key]):
        child_place = _place(_place(place, key), position)
        result = _check(child, subject, index, child_place, False, depth + 1)
        if key == "all" and not result.passed:
            return result  # the failing leaf itself
        if key == "any" and result.passed:
            return ConditionResult(True, index, item, f"{place}: any: passed", place)
        results.append(result)
    if key == "all":
        return ConditionResult(True, index, item, f"{place}: all: passed", place)
    first = results[0]
    details = "; ".join(result.detail for result in results)
    detail = f"{place}: none of any passed: {details}"
    return ConditionResult(False, index, first.condition, detail, first.place)


def check_condition(
    condition: Any, payload: Any, index: int = 0, subject: Subject | None = None
) -> ConditionResult:
    subject = subject or Subject(payload)
    return _check(condition, subject, index, f"conditions[{index}]", True)


def evaluate(condition: dict, payload: Any) -> bool:
    return check_condition(condition, payload).passed


def first_failure(
    conditions: list[dict], payload: Any, headers: Mapping[str, Any] | None = None, query: str = ""
) -> ConditionResult | None:
    """The first item that fails, or None when all pass (an empty list passes)."""
    if conditions is not None and not isinstance(conditions, list):
        detail = "conditions: invalid: not a list"
        return ConditionResult(False, 0, {}, detail)
    subject = Subject.of(payload, headers, query)
    for index, condition in enumerate(conditions or []):
        result = check_condition(condition, payload, index, subject)
        if not result.passed:
            return result
    return None
