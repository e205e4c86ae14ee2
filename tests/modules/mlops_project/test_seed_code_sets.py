"""Seed-code sets in Terraform: a packaged product's artifacts.json allows sets, Studio's SeedCodeSet chooses one.

The plan case ``seed_code_sets`` (tftest.yaml) proves that the chosen set, not the default, seeds the repositories;
here, a set the product does not allow fails the plan of the product itself, naming the sets it allows.
"""

from __future__ import annotations

from pathlib import Path

from mlops_templates.toolchain import ProviderSource
from tests.harness.moto import MotoServer
from tests.harness.paths import REPO
from tests.harness.terraform import prepare

ARTIFACTS = Path(__file__).with_name("seed_code_sets.artifacts.json")


def test_unknown_seed_code_set_fails_the_plan_naming_the_allowed_sets(
    provider: ProviderSource, moto_server: MotoServer, tmp_path: Path
) -> None:
    wc = prepare(
        REPO / "products" / "build-train-deploy",
        tmp_path,
        provider,
        endpoint_url=moto_server.url,
        extra_files={"artifacts.json": ARTIFACTS.read_text()},
    )
    variables = ["-var", "SageMakerProjectName=churn", "-var", "SageMakerProjectId=p-abcdef123456"]
    proc = wc.run("plan", "-no-color", "-input=false", *variables, "-var", "SeedCodeSet=fraud-xgboost", check=False)
    output = " ".join((proc.stdout + proc.stderr).split())
    assert proc.returncode != 0, output
    assert 'seed_code_set "fraud-xgboost" is not a seed-code set of this product' in output
    assert "allowed: abalone-xgboost, churn-lightgbm." in output
