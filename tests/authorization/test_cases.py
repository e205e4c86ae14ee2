"""Every case of tests/authorization/cases/*.yaml as its own test item: the request is evaluated against the
rendered policies of the plan the case file names (first provider source only: the policies are the same under
both), and must get the expected decision."""

from __future__ import annotations

import functools
from pathlib import Path
from typing import Any

import pytest

from tests.authorization.cases import Case, all_cases, decide, load, plan_for

CASES = all_cases()


@functools.cache
def spec_and_plan(path: Path, plan_cache: Path) -> tuple[dict[str, Any], dict[str, Any]]:
    """A case file's spec and its plan JSON, read once per worker rather than for each of its cases (read-only)."""
    spec: dict[str, Any] = load(path)[0]
    return spec, plan_for(spec, plan_cache)


@pytest.mark.parametrize(("path", "case"), CASES, ids=[case.id for _, case in CASES])
def test_case(path: Path, case: Case, plan_cache: Path) -> None:
    spec, plan = spec_and_plan(path, plan_cache)
    decision = decide(spec, plan, case)
    context = f" with {case.context}" if case.context else ""
    assert decision.allowed == (case.expect == "allow"), (
        f"{case.principal} {case.action} on {case.resource}{context}: expected {case.expect} ({case.why}), "
        f"got {'allow' if decision.allowed else 'deny'}: {decision.reason}"
    )


def test_there_are_enough_cases() -> None:
    """The layer's floor: at least 40 cases, each group with must-not cases as well as must-do ones."""
    assert len(CASES) >= 40, f"only {len(CASES)} authorization cases"
    groups = {case.group for _, case in CASES}
    lacking = sorted(g for g in groups if {c.expect for _, c in CASES if c.group == g} != {"allow", "deny"})
    assert not lacking, f"case groups without both allow and deny cases: {lacking}"
