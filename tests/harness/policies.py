"""Reading IAM documents out of planned resources, for the policy tests of modules and the authorization layer."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import hcl2


def as_list(value: Any) -> list[Any]:
    """A policy element that may be a single value or a list (Action, Resource, Statement, condition values)."""
    return value if isinstance(value, list) else [value]


def document(resources: dict[str, dict[str, Any]], address: str, attribute: str = "policy") -> dict[str, Any]:
    """The JSON document in ``attribute`` of a planned resource; fails the test when it is missing or unknown."""
    assert address in resources, f"{address} is not in the plan: {sorted(resources)}"
    value = resources[address].get(attribute)
    assert isinstance(value, str), f"{address}.{attribute} is not known at plan"
    doc: dict[str, Any] = json.loads(value)
    return doc


def statements_by_sid(doc: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """The statements of a document that have a Sid, by Sid."""
    return {s["Sid"]: s for s in as_list(doc["Statement"]) if "Sid" in s}


def tfvars(path: Path) -> dict[str, Any]:
    """A tfvars file's values (strings unquoted)."""
    with path.open() as handle:
        data: dict[str, Any] = hcl2.load(
            handle, serialization_options=hcl2.SerializationOptions(strip_string_quotes=True, explicit_blocks=False)
        )
    return data
