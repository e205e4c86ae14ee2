"""pytest configuration: plan-test collection, provider sources, shared fixtures."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import botocore.loaders
import botocore.session
import pytest

from mlops_templates.toolchain import ProviderSource, provider_sources
from tests.harness import moto, schedule
from tests.harness.collector import TftestFile
from tests.harness.plans import session_folder

# Share one running hashicorp/aws process per test worker and local provider source (plugin-dir, or the mirror
# of a cli-config; tests/harness/terraform.py): the provider starts once instead of for every validate, plan, show
# and `terraform test` run block, and is reached through a proxy that answers its schema once, with only the types
# the repository names (tests/harness/provider_proxy.py). MLOPS_TF_REATTACH=0 turns both off.
os.environ.setdefault("MLOPS_TF_REATTACH", "1")

# Go's garbage collector, for the terraform commands (and providers) the tests start: most of the suite's CPU is
# terraform core evaluating configurations, and with the default GOGC=100 a fifth to a third of that went to
# collecting. Collecting only when a process nears 512 MiB (GOGC=off with a soft memory limit) saved about 20% of
# the CPU of plan tests and `terraform test` runs (the process then holds up to that much memory). Left alone when
# either is set.
if "GOGC" not in os.environ and "GOMEMLIMIT" not in os.environ:
    os.environ.update({"GOGC": "off", "GOMEMLIMIT": "512MiB"})


_botocore_loaders: dict[str | None, botocore.loaders.Loader] = {}


def _shared_loader(search_path_string: str | None = None) -> botocore.loaders.Loader:
    """botocore's data loader (endpoints, service models), one per data path in this process.

    moto's ``mock_aws`` gives every mock a new default boto3 session, and each session made a loader that read and
    decoded the endpoint and service model JSON again: about 0.25 s of CPU per client, hundreds of times in the
    suite. Sessions now share the loader and its cache, as the clients of one session always do (the loaded data is
    only read)."""
    loader = _botocore_loaders.get(search_path_string)
    if loader is None:
        loader = _botocore_loaders[search_path_string] = _create_loader(search_path_string)
    return loader


_create_loader = botocore.loaders.create_loader
botocore.session.create_loader = _shared_loader


def pytest_collect_file(parent: pytest.Collector, file_path: Path) -> pytest.Collector | None:
    if file_path.name == "tftest.yaml":
        return TftestFile.from_parent(parent, path=file_path)
    return None


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Lay the tests out for xdist: longest first, balanced over the workers by the last run's durations
    (tests/harness/schedule.py)."""
    workers = max(1, int(os.environ.get("PYTEST_XDIST_WORKER_COUNT", "1")))
    items[:] = schedule.order(items, workers, schedule.last_durations(config))


def pytest_configure(config: pytest.Config) -> None:
    # PlanCase items need a tmp directory factory outside of fixtures.
    config._tmp_path_factory = pytest.TempPathFactory.from_config(config, _ispytest=True)  # type: ignore[attr-defined]
    if not hasattr(config, "workerinput"):  # the xdist controller (which sees every report), or a run without xdist
        config.pluginmanager.register(schedule.DurationRecorder(config), "mlops-templates-durations")


def pytest_report_header(config: pytest.Config) -> list[str]:
    sources = provider_sources()
    return ["terraform tests run under AWS provider sources: " + ", ".join(str(s) for s in sources)]


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    if "provider_source" in metafunc.fixturenames:
        sources = provider_sources()
        metafunc.parametrize("provider_source", sources, ids=[s.label for s in sources], scope="module")
    if "real_provider_source" in metafunc.fixturenames:
        # Applies need a provider that talks to an AWS API (moto); the cli-config stand-in is schema-only.
        real = [s for s in provider_sources() if s.kind != "cli-config"]
        params: list[Any] = real or [
            pytest.param(None, marks=pytest.mark.skip(reason="no real AWS provider source configured"))
        ]
        metafunc.parametrize("real_provider_source", params, ids=[s.label for s in real] or ["none"], scope="module")


@pytest.fixture(scope="session")
def moto_server() -> Iterator[moto.MotoServer]:
    """The moto server of this test process (shared with the plan tests)."""
    yield moto.shared()


@pytest.fixture(scope="session")
def plan_cache(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The session's shared plan folder (tests/harness/plans.py), the one the plan cases use."""
    return session_folder(tmp_path_factory, "plans")


@pytest.fixture
def fresh_moto(moto_server: moto.MotoServer) -> Iterator[moto.MotoServer]:
    """The shared moto server, emptied before and after the test."""
    moto_server.reset()
    yield moto_server
    moto_server.reset()


@pytest.fixture
def provider(provider_source: ProviderSource) -> ProviderSource:
    """Alias for readability in test signatures."""
    return provider_source


@pytest.fixture
def mocked_aws() -> Iterator[None]:
    """moto's in-process mock with fake credentials in eu-west-1 (tests/harness/moto.py: offline_aws)."""
    with moto.offline_aws("eu-west-1"):
        yield
