"""Plan inventories: the expected ``values``, ``counts`` and ``outputs`` of one plan test case.

An inventory is a YAML file written by hand or by ``python -m tests.inventory`` and then reviewed:

```yaml
values:            # by resource address; a subset match (only the keys given are compared)
  aws_kms_key.this:
    enable_key_rotation: true
counts:            # by resource type, plus `resources` (total) and `modules` (child modules)
  aws_kms_key: 1
outputs:           # planned output values; "(known after apply)" for unknown ones
  alias_name: alias/demo
```
Values that are JSON documents in the plan (IAM policies) may be written as YAML mappings: they are
decoded before the subset match.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Iterator
from typing import Any

UNKNOWN = "(known after apply)"


def _walk_modules(module: dict[str, Any]) -> Iterator[dict[str, Any]]:
    yield from module.get("resources", [])
    for child in module.get("child_modules", []):
        yield from _walk_modules(child)


def planned_resources(plan: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """Address -> planned values of every managed resource in a ``terraform show -json`` plan."""
    root = plan.get("planned_values", {}).get("root_module", {})
    return {r["address"]: r.get("values", {}) for r in _walk_modules(root) if r.get("mode") == "managed"}


def planned_types(plan: dict[str, Any]) -> dict[str, str]:
    """Address -> resource type of every managed resource."""
    root = plan.get("planned_values", {}).get("root_module", {})
    return {r["address"]: r["type"] for r in _walk_modules(root) if r.get("mode") == "managed"}


def module_count(plan: dict[str, Any]) -> int:
    """Number of module instances (calls) the plan holds."""

    def count(module: dict[str, Any]) -> int:
        return sum(1 + count(c) for c in module.get("child_modules", []))

    return count(plan.get("planned_values", {}).get("root_module", {}))


def planned_outputs(plan: dict[str, Any]) -> dict[str, Any]:
    """Output name -> planned value, or UNKNOWN when only known after apply."""
    result: dict[str, Any] = {}
    changes = plan.get("output_changes", {})
    for name, change in changes.items():
        after = change.get("change", change) if "change" in change else change
        if after.get("after_unknown") is True:
            result[name] = UNKNOWN
        else:
            result[name] = after.get("after")
    return result


def counts(plan: dict[str, Any]) -> dict[str, int]:
    """Resources by type, plus ``resources`` and ``modules`` totals."""
    types = planned_types(plan)
    result: dict[str, int] = dict(sorted(Counter(types.values()).items()))
    result["modules"] = module_count(plan)
    result["resources"] = len(types)
    return result


def _decode(expected: Any, actual: Any) -> tuple[Any, bool]:
    """Decode a JSON document in the plan when the inventory writes it as YAML; say whether it was one."""
    if isinstance(expected, dict | list) and isinstance(actual, str):
        try:
            return json.loads(actual), True
        except ValueError:
            return actual, False
    return actual, False


def diff_values(expected: Any, actual: Any, path: str = "", in_document: bool = False) -> list[str]:
    """Differences of ``actual`` from ``expected``: mappings match as subsets, lists element-wise.

    Inside a JSON document (an IAM policy), lists of plain values are sets: providers order them differently
    (hashicorp/aws 5.x keeps its own set order, the 6.x schema stand-in sorts), and IAM ignores the order.
    """
    actual, decoded = _decode(expected, actual)
    in_document = in_document or decoded
    if isinstance(expected, dict):
        if not isinstance(actual, dict):
            return [f"{path or '.'}: expected a mapping, plan has {actual!r}"]
        problems: list[str] = []
        for key, value in expected.items():
            where = f"{path}.{key}" if path else str(key)
            if key not in actual:
                problems.append(f"{where}: missing from the plan (unknown until apply, or not set)")
            else:
                problems += diff_values(value, actual[key], where, in_document)
        return problems
    if isinstance(expected, list):
        if in_document and isinstance(actual, str | int | float | bool):
            actual = [actual]  # IAM writes a one-element list as a plain value
        if not isinstance(actual, list):
            return [f"{path}: expected a list, plan has {actual!r}"]
        if len(expected) != len(actual):
            return [f"{path}: expected {len(expected)} items, plan has {len(actual)}: {json.dumps(actual)[:400]}"]
        scalars = all(not isinstance(v, dict | list) for v in [*expected, *actual])
        if in_document and scalars:
            if sorted(map(str, expected)) != sorted(map(str, actual)):
                return [f"{path}: expected the set {sorted(map(str, expected))}, plan has {sorted(map(str, actual))}"]
            return []
        problems = []
        for i, (e, a) in enumerate(zip(expected, actual, strict=True)):
            problems += diff_values(e, a, f"{path}[{i}]", in_document)
        return problems
    if in_document and isinstance(actual, list) and len(actual) == 1:
        actual = actual[0]  # ... and the other way round
    if expected != actual:
        return [f"{path}: expected {expected!r}, plan has {actual!r}"]
    return []


def check(inventory: dict[str, Any], plan: dict[str, Any]) -> list[str]:
    """Every difference between an inventory and a plan; empty when the plan matches."""
    problems: list[str] = []
    unknown_keys = set(inventory) - {"values", "counts", "outputs"}
    if unknown_keys:
        problems.append(f"inventory has unknown sections {sorted(unknown_keys)} (use values, counts, outputs)")
    if not any(inventory.get(k) for k in ("values", "counts", "outputs")):
        problems.append("inventory asserts nothing: give at least one of values, counts, outputs")
    resources = planned_resources(plan)
    for address, expected in (inventory.get("values") or {}).items():
        if address not in resources:
            near = [a for a in resources if a.split("[")[0] == address.split("[")[0]][:5]
            problems.append(f"values: {address} is not in the plan" + (f" (the plan has {near})" if near else ""))
            continue
        problems += [f"values: {address}: {p}" for p in diff_values(expected, resources[address])]
    actual_counts = counts(plan)
    for key, expected_count in (inventory.get("counts") or {}).items():
        got = actual_counts.get(key, 0)
        if got != expected_count:
            problems.append(f"counts: {key}: expected {expected_count}, plan has {got}")
    outputs = planned_outputs(plan)
    for name, expected in (inventory.get("outputs") or {}).items():
        if name not in outputs:
            problems.append(f"outputs: {name} is not an output of the plan")
        else:
            problems += [f"outputs: {p}" for p in diff_values(expected, outputs[name], name)]
    return problems


def _prune(value: Any) -> Any:
    """Drop nulls, empty collections and tags_all (a copy of tags) from regenerated values."""
    if isinstance(value, dict):
        pruned = {k: _prune(v) for k, v in value.items() if k != "tags_all"}
        return {k: v for k, v in pruned.items() if v not in (None, [], {}, "")}
    if isinstance(value, list):
        return [_prune(v) for v in value]
    if isinstance(value, str) and value[:1] in "{[":
        try:
            return _prune(json.loads(value))
        except ValueError:
            return value
    return value


def generate(plan: dict[str, Any]) -> dict[str, Any]:
    """A full inventory of a plan, to be trimmed by a reviewer to what matters."""
    return {
        "values": {address: _prune(values) for address, values in sorted(planned_resources(plan).items())},
        "counts": counts(plan),
        "outputs": planned_outputs(plan),
    }
