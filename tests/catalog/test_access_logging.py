"""Access logging of the project buckets: the catalog publishes its access log bucket's name in SSM
(/mlops-templates/access-log-bucket-name, see published.yaml), and a project (modules/mlops-project) reads it and
logs its bucket there, under its own prefix. Planned against a moto server of its own holding (or not) that
parameter, with the real provider (the schema stand-in fakes data sources)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from mlops_templates.toolchain import provider_sources
from tests.harness import moto
from tests.harness.inventory import planned_resources
from tests.harness.paths import MODULES, TESTS
from tests.harness.plans import planned
from tests.harness.terraform import prepare

PARAMETER = "/mlops-templates/access-log-bucket-name"
LOG_BUCKET = "mlops-templates-access-logs-123456789012-eu-west-1"
PROJECT_BUCKET = "sagemaker-project-p-abcdef123456-123456789012"
LOGGING = "module.artifact_bucket.aws_s3_bucket_logging.this[0]"


@pytest.fixture(scope="module")
def server() -> Iterator[moto.MotoServer]:
    own = moto.start()
    yield own
    own.stop()


def _plan(server: moto.MotoServer, scratch: Path) -> dict[str, dict[str, Any]]:
    wc = prepare(MODULES / "mlops-project", scratch, provider_sources()[0], server.url)
    return planned_resources(wc.plan_json(TESTS / "modules" / "mlops_project" / "defaults.tfvars"))


def test_project_bucket_logs_to_the_catalog_log_bucket(server: moto.MotoServer, tmp_path: Path) -> None:
    ssm = server.client("ssm")
    ssm.put_parameter(Name=PARAMETER, Value=LOG_BUCKET, Type="String", Overwrite=True)
    try:
        resources = _plan(server, tmp_path)
    finally:
        ssm.delete_parameter(Name=PARAMETER)
    assert LOGGING in resources, f"the project bucket does not log: {sorted(a for a in resources if 'logging' in a)}"
    assert resources[LOGGING]["target_bucket"] == LOG_BUCKET
    assert resources[LOGGING]["target_prefix"] == f"{PROJECT_BUCKET}/"


def test_without_a_catalog_log_bucket_the_plan_still_works(plan_cache: Path) -> None:
    # The plan of the `defaults` plan case (the worker's own moto server, which no test gives the parameter).
    tfvars = [TESTS / "modules" / "mlops_project" / "defaults.tfvars"]
    resources = planned_resources(planned(plan_cache, MODULES / "mlops-project", tfvars, provider_sources()[0]))
    assert "module.artifact_bucket.aws_s3_bucket.this" in resources
    assert LOGGING not in resources
