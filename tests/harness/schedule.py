"""The order the tests are handed to the xdist workers: longest first, balanced by the last run's durations.

xdist's worksteal scheduler gives each of N workers a contiguous slice of the collection first (slice i holds
``remaining // (N - i)`` tests), then, when a worker runs dry, moves half of the longest queue's tail to it. So the
collection is laid out as N slices of those sizes whose expected durations are about equal, each slice longest test
first: the long tests start at once on every worker, and what is stolen at the end is short.

Expected durations are those of the last run (setup, call and teardown, wall clock: a test waiting on a provider
occupies its worker as much as one computing), kept in pytest's cache (``.pytest_cache``, ``make clean`` removes it);
a test without one counts as :data:`UNKNOWN_SECONDS`, or :data:`SLOW_SECONDS` when marked ``slow``. Without a cache
(the first run, ``-p no:cacheprovider``) slow-marked tests start first, the rest keep their collection order.

Tests that share a module- or class-scoped fixture (the demo's one run, a module's plan) stay together in one slice:
split over two workers, the fixture would run on both.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

import pytest

CACHE_KEY = "mlops-templates/durations"
UNKNOWN_SECONDS = 1.0
SLOW_SECONDS = 30.0
LONG_SECONDS = 3.0  # placed one by one; shorter single tests fill the slices in collection order
SHARED_SCOPES = frozenset({"module", "class", "package"})


def shares_a_fixture(item: pytest.Item) -> bool:
    """Whether the item uses a fixture (or parametrization) that lives for its module or class."""
    info = getattr(item, "_fixtureinfo", None)
    if info is None:
        return False
    return any(
        getattr(definition, "scope", "function") in SHARED_SCOPES
        for definitions in info.name2fixturedefs.values()
        for definition in definitions
    )


def units_of(items: Iterable[pytest.Item]) -> list[list[pytest.Item]]:
    """The items in collection order, grouped: a module's items that share a fixture form one unit."""
    units: dict[str, list[pytest.Item]] = {}
    for item in items:
        key = f"{item.path}::shared" if shares_a_fixture(item) else item.nodeid
        units.setdefault(key, []).append(item)
    return list(units.values())


def expected_seconds(item: pytest.Item, durations: Mapping[str, float]) -> float:
    known = durations.get(item.nodeid)
    if known is not None:
        return float(known)
    return SLOW_SECONDS if item.get_closest_marker("slow") is not None else UNKNOWN_SECONDS


def order(items: list[pytest.Item], workers: int, durations: Mapping[str, float]) -> list[pytest.Item]:
    """The items laid out as ``workers`` slices of xdist's first-distribution sizes, balanced, longest first."""
    if workers <= 1 or len(items) <= workers:
        return items
    sizes = []
    remaining = len(items)
    for i in range(workers):
        sizes.append(remaining // (workers - i))
        remaining -= sizes[-1]
    units = [(sum(expected_seconds(i, durations) for i in group), n, group) for n, group in enumerate(units_of(items))]
    # The long units (and those of several items), longest first, each to the least loaded slice that has room for
    # it; then the short single items, in collection order (tests of one module next to each other: one worker
    # reads a plan or spec file, the others do not wait for it), as each slice's remaining room: every slice gets
    # its exact size, and no unit straddles two slices.
    placed = sorted((u for u in units if u[0] >= LONG_SECONDS or len(u[2]) > 1), key=lambda u: (-u[0], u[1]))
    short = [u for u in units if u[0] < LONG_SECONDS and len(u[2]) == 1]
    slices: list[list[tuple[float, int, list[pytest.Item]]]] = [[] for _ in range(workers)]
    loads = [0.0] * workers
    counts = [0] * workers
    for unit in placed:
        fitting = [w for w in range(workers) if counts[w] + len(unit[2]) <= sizes[w]]
        target = min(fitting or range(workers), key=lambda w: (loads[w], counts[w]))
        slices[target].append(unit)
        loads[target] += unit[0]
        counts[target] += len(unit[2])
    ordered: list[pytest.Item] = []
    for w, share in enumerate(slices):
        room = max(0, sizes[w] - counts[w]) if w < workers - 1 else len(short)
        for _, _, group in sorted(share, key=lambda u: (-u[0], u[1])):
            ordered += group
        for _, _, group in short[:room]:
            ordered += group
        short = short[room:]
    return ordered


class DurationRecorder:
    """Collects the duration of every test of this run (in the xdist controller, or the single process) and stores
    them in pytest's cache at the end."""

    def __init__(self, config: pytest.Config) -> None:
        self.config = config
        self.seconds: dict[str, float] = {}

    @pytest.hookimpl
    def pytest_runtest_logreport(self, report: pytest.TestReport) -> None:
        self.seconds[report.nodeid] = self.seconds.get(report.nodeid, 0.0) + report.duration

    @pytest.hookimpl
    def pytest_sessionfinish(self) -> None:
        cache = getattr(self.config, "cache", None)
        if cache is None or not self.seconds:
            return
        known = cache.get(CACHE_KEY, {})
        known = known if isinstance(known, dict) else {}
        cache.set(CACHE_KEY, {**known, **{k: round(v, 2) for k, v in self.seconds.items()}})


def last_durations(config: pytest.Config) -> dict[str, float]:
    cache = getattr(config, "cache", None)
    known = cache.get(CACHE_KEY, {}) if cache is not None else {}
    return {str(k): float(v) for k, v in known.items()} if isinstance(known, dict) else {}
