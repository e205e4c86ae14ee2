"""The test layout for xdist (tests/harness/schedule.py), on stand-in items."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, cast

import pytest

from tests.harness import schedule


@dataclass
class _Definition:
    scope: str


@dataclass
class _FixtureInfo:
    name2fixturedefs: dict[str, list[_Definition]]


@dataclass
class _Item:
    nodeid: str
    slow: bool = False
    scope: str = "function"
    _fixtureinfo: _FixtureInfo = field(init=False)

    def __post_init__(self) -> None:
        self._fixtureinfo = _FixtureInfo({"a_fixture": [_Definition(self.scope)]})

    @property
    def path(self) -> Path:
        return Path(self.nodeid.split("::")[0])

    def get_closest_marker(self, name: str) -> Any:
        return object() if name == "slow" and self.slow else None


def _items(*items: _Item) -> list[pytest.Item]:
    return cast(list[pytest.Item], list(items))


def _slices(ordered: list[pytest.Item], workers: int) -> list[list[str]]:
    """What xdist's worksteal scheduler first sends to each worker: remaining // (workers - i) tests each."""
    ids, slices = [i.nodeid for i in ordered], []
    for i in range(workers):
        size = len(ids) // (workers - i)
        slices.append(ids[:size])
        ids = ids[size:]
    return slices


def test_one_worker_keeps_the_collection_order() -> None:
    items = _items(_Item("a.py::x"), _Item("b.py::y", slow=True))
    assert schedule.order(items, 1, {}) == items


def test_the_slices_are_balanced_by_the_last_durations_longest_first() -> None:
    durations = {"a.py::long": 100.0, "b.py::mid": 60.0, "c.py::mid": 50.0}
    shorts = [_Item(f"s.py::t{n}") for n in range(9)]
    items = _items(*shorts[:4], _Item("a.py::long"), *shorts[4:], _Item("b.py::mid"), _Item("c.py::mid"))
    ordered = schedule.order(items, 2, durations)
    assert sorted(i.nodeid for i in ordered) == sorted(i.nodeid for i in items)
    first, second = _slices(ordered, 2)
    assert first[0] == "a.py::long" and second[:2] == ["b.py::mid", "c.py::mid"]
    assert len(first) == len(second) == 6
    # the short tests fill the slices in collection order
    assert [i for i in first + second if i.startswith("s.py")] == [s.nodeid for s in shorts]


def test_without_durations_slow_tests_start_first_on_every_worker() -> None:
    items = _items(*[_Item(f"s.py::t{n}") for n in range(10)], _Item("x.py::a", slow=True), _Item("y.py::b", slow=True))
    slices = _slices(schedule.order(items, 2, {}), 2)
    assert {slices[0][0], slices[1][0]} == {"x.py::a", "y.py::b"}


def test_tests_sharing_a_module_fixture_stay_on_one_worker() -> None:
    shared = [_Item(f"demo.py::t{n}", slow=True, scope="module") for n in range(4)]
    items = _items(*[_Item(f"s.py::t{n}") for n in range(8)], *shared, _Item("z.py::slow", slow=True))
    slices = _slices(schedule.order(items, 3, {}), 3)
    holding = [s for s in slices if any(i.startswith("demo.py") for i in s)]
    assert len(holding) == 1 and [i for i in holding[0] if i.startswith("demo.py")] == [i.nodeid for i in shared]
