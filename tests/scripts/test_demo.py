"""The demo end to end, on its own embedded emulator: every step runs and the outcomes are the expected ones."""

from __future__ import annotations

import io
import json
import os
import socket
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from rich.console import Console

from mlops_templates import demo
from mlops_templates.errors import ConfigError, ToolchainError
from tests.harness.paths import REPO
from tests.harness.terraform import shared_providers_for_emulator

# The whole module is slow (its tests share one demo run, a module fixture): started first, and together.
pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def report() -> demo.DemoReport:
    output = io.StringIO()
    # The demo's plans reach a provider process shared by its commands, as the plan tests' do (the same binary and
    # configuration; each command no longer starts the provider and decodes its whole schema: about 60 s of CPU).
    with shared_providers_for_emulator() as terraform_env:
        result = demo.run(REPO, Console(file=output, width=120), terraform_env=terraform_env)
    result_text = output.getvalue()
    assert "ROLLBACK" in result_text
    return result


def test_every_step_ran(report: demo.DemoReport) -> None:
    titles = [title for title, _ in report.steps]
    assert len(titles) == 12
    assert titles[-2].startswith("reject version 2") and titles[-1].startswith("delete the project")
    assert any(t.startswith("a third-party git project") for t in titles)
    assert any(t.startswith("an any-git project") for t in titles)
    assert report.seconds < 180, f"the demo took {report.seconds:.0f}s; the budget is 3 minutes"


def test_plans_show_what_a_project_creates(report: demo.DemoReport) -> None:
    creates = report.plans["products/build-train-deploy"]
    assert creates["aws_codecommit_repository"] == 2
    assert creates["aws_codepipeline"] == 2
    assert creates["aws_cloudwatch_event_rule"] == 3
    assert creates["aws_sagemaker_model_package_group"] == 1
    # build-train: the build half only (one repository, one pipeline, the push rule; nothing deploys)
    build_only = report.plans["products/build-train"]
    assert (build_only["aws_codecommit_repository"], build_only["aws_codepipeline"]) == (1, 1)
    assert build_only["aws_cloudwatch_event_rule"] == 1 and build_only["aws_sagemaker_model_package_group"] == 1
    if (REPO / "catalog" / "main.tf").exists():
        assert report.plans["catalog"]["aws_servicecatalog_product"] >= 1


def test_seed_code_commits_hold_the_packaged_files(report: demo.DemoReport) -> None:
    assert set(report.commits) == {
        "sagemaker-demo-p-demo00000001-modelbuild",
        "sagemaker-demo-p-demo00000001-modeldeploy",
    }
    build_files = report.commits["sagemaker-demo-p-demo00000001-modelbuild"][0]["files"]
    assert "pipelines/abalone/pipeline.py" in build_files and "codebuild-buildspec.yml" in build_files
    deploy_files = report.commits["sagemaker-demo-p-demo00000001-modeldeploy"][0]["files"]
    assert "build.py" in deploy_files and "endpoint/modules/sagemaker-endpoint/main.tf" in deploy_files
    # The second push of each repository was skipped: exactly one commit each.
    assert all(len(commits) == 1 for commits in report.commits.values())


def test_training_evaluated_the_model(report: demo.DemoReport) -> None:
    mse = report.evaluation["regression_metrics"]["mse"]["value"]
    assert 0 < mse < 10


def test_deployments_follow_approvals_and_roll_back(report: demo.DemoReport) -> None:
    first, second, third = report.deployments
    assert first["model_package_version"] == 1 and not first["rollback"]
    assert second["model_package_version"] == 2 and not second["rollback"]
    assert third["model_package_version"] == 1 and third["rollback"]
    assert third["rolled_back_from"] == second["model_package_arn"]
    assert set(third["stage_files"]) == {"staging", "prod"}
    assert third["stage_files"]["prod"]["autoscaling"]["max_capacity"] == 4


def test_deleting_the_project_leaves_nothing(report: demo.DemoReport) -> None:
    """The teardown handler, run against the emulator, removes what the pipelines created; nothing of it is left."""
    removed = report.teardown["removed"]
    assert report.teardown["status"] == "deleted" and report.teardown["left"] == []
    assert sorted(removed["endpoints"]) == ["demo-prod", "demo-staging"]
    assert removed["scalable_targets"] == ["endpoint/demo-prod/variant/AllTraffic"]
    assert removed["pipelines"] == [f"demo-{demo.PROJECT_ID}-pipeline"]
    assert len(removed["models"]) == len(removed["endpoint_configs"]) == 4  # two stages, two deployments
    assert len(removed["model_packages"]) == 2
    assert report.left == {
        "endpoints": [],
        "endpoint_configs": [],
        "models": [],
        "pipelines": [],
        "model_packages": [],
        "scalable_targets": [],
    }


def test_demo_exits_non_zero_and_names_the_problem(tmp_path: Path) -> None:
    env = {**os.environ, "NO_COLOR": "1"}
    proc = subprocess.run(
        [sys.executable, "-m", "mlops_templates", "demo", "--repo", str(tmp_path)],
        capture_output=True,
        text=True,
        env=env,
        check=False,
        timeout=300,
    )
    assert proc.returncode == ConfigError.exit_code, proc.stdout + proc.stderr
    assert f"{tmp_path} is not a sagemaker-mlops-templates repository" in proc.stderr


def test_demo_without_registry_access_says_how_to_use_a_mirror(tmp_path: Path) -> None:
    """`mlops-templates demo` run directly (not through make, which sets MLOPS_TF_PROVIDERS), air-gapped."""
    with socket.socket() as sock:  # a port nothing listens on: every connection through this "proxy" fails
        sock.bind(("127.0.0.1", 0))
        dead = f"http://127.0.0.1:{sock.getsockname()[1]}"
    env = {k: v for k, v in os.environ.items() if not k.startswith(("MLOPS_TF", "TF_", "AWS_"))}
    env.update(
        {
            "NO_COLOR": "1",
            "MLOPS_TF_PROVIDERS": "registry",
            "TF_PLUGIN_CACHE_DIR": str(tmp_path / "plugins"),
            "HTTPS_PROXY": dead,
            "HTTP_PROXY": dead,
            "NO_PROXY": "127.0.0.1,localhost",
        }
    )
    proc = subprocess.run(
        [sys.executable, "-m", "mlops_templates", "demo"],
        capture_output=True,
        text=True,
        env=env,
        check=False,
        timeout=300,
        cwd=REPO,
    )
    assert proc.returncode == ToolchainError.exit_code, proc.stdout[-3000:] + proc.stderr
    assert "cannot reach the public registry" in proc.stderr
    assert "MLOPS_TF_PROVIDERS=plugin-dir:" in proc.stderr
    assert "MLOPS_TF_PROVIDERS=cli-config:" in proc.stderr


def test_packaged_seed_zip_matches_commit(report: demo.DemoReport, tmp_path: Path) -> None:
    from mlops_templates import packaging

    packaging.package(REPO, tmp_path)
    manifest = json.loads((tmp_path / "manifest.json").read_text())
    (build,) = [a for a in manifest["artifacts"] if a["name"] == "build-train-deploy/model-build"]
    names = zipfile.ZipFile(tmp_path / build["key"]).namelist()
    assert sorted(report.commits["sagemaker-demo-p-demo00000001-modelbuild"][0]["files"]) == sorted(names)


@pytest.fixture
def no_aws_credentials(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    for marker in ("modules", "products"):  # an (empty) repository: nothing to package
        (tmp_path / marker).mkdir()
    for key in list(os.environ):
        if key.startswith("AWS_"):
            monkeypatch.delenv(key)
    monkeypatch.setenv("AWS_SHARED_CREDENTIALS_FILE", str(tmp_path / "no-credentials"))
    monkeypatch.setenv("AWS_CONFIG_FILE", str(tmp_path / "no-config"))
    monkeypatch.setenv("AWS_EC2_METADATA_DISABLED", "true")


def test_real_mode_refuses_without_credentials(
    no_aws_credentials: None, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    from mlops_templates.cli import main
    from mlops_templates.errors import CheckFailed

    assert main(["demo", "--real", "--region", "eu-west-1", "--repo", str(tmp_path)]) == CheckFailed.exit_code
    assert "--real needs AWS credentials" in capsys.readouterr().err
    assert not (tmp_path / "dist").exists(), "nothing is packaged before the credentials check"


def test_real_mode_refuses_a_missing_var_file(
    no_aws_credentials: None, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    from mlops_templates.cli import main
    from mlops_templates.errors import UsageError

    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "x")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "x")
    args = ["demo", "--real", "--region", "eu-west-1", "--repo", str(tmp_path), "--var-file", "nope.tfvars"]
    assert main(args) == UsageError.exit_code
    assert "--var-file not found: nope.tfvars" in capsys.readouterr().err


def test_third_party_git_project_is_seeded_once(report: demo.DemoReport, tmp_path: Path) -> None:
    """The build-train-deploy-git project: the git-seed code pushed the packaged seed into both repositories of the
    local git host (through the connection's URL paths and SigV4 sign-in), and left them alone when invoked again."""
    from mlops_templates import packaging

    packaging.package(REPO, tmp_path)
    manifest = json.loads((tmp_path / "manifest.json").read_text())
    expected = {}
    for repository, seed in (("modelbuild", "model-build"), ("modeldeploy", "model-deploy")):
        (artifact,) = [a for a in manifest["artifacts"] if a["name"] == f"build-train-deploy/{seed}"]
        names = zipfile.ZipFile(tmp_path / artifact["key"]).namelist()
        expected[f"ml-team/demo-{repository}"] = sorted(n for n in names if not n.endswith("/"))
    assert {name: pushed["files"] for name, pushed in report.git_repositories.items()} == expected
    for pushed in report.git_repositories.values():
        assert pushed["again"]["status"] == "skipped" and pushed["again"]["head"] == pushed["commit"]


def test_any_git_project_exports_the_pushed_commit(report: demo.DemoReport) -> None:
    """The build-train-deploy-anygit project: each branch exported once at creation, then a data scientist's push,
    delivered with a valid signature, exported to the bucket at exactly the pushed commit."""
    firsts = report.any_git["first_exports"]
    assert sorted(firsts) == ["model_build", "model_deploy"]
    assert all(e["status"] == "exported" and len(e["commit"]) == 40 for e in firsts.values())
    assert report.any_git["status"] == 200 and report.any_git["answer"]["status"] == "exported"
    assert report.any_git["exported_commit"] == report.any_git["head"] != firsts["model_build"]["commit"]
