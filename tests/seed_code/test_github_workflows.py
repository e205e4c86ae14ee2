"""The GitHub Actions workflows of seed-code set abalone-xgboost-github-actions (seed_code/github-actions/ merged over
seed_code/build-train-deploy/): their structure, and their jobs run for real by a local runner
(tests/harness/actions.py) in a copy of the merged repository, against moto.

What stands in for GitHub's runner here: the checkout is the copied merged seed plus the
`.github/sagemaker-project.json` the project's Terraform renders (the contract below);
`aws-actions/configure-aws-credentials` calls moto's AssumeRoleWithWebIdentity with the role and session name the
workflow gives, and points every AWS client at moto (AWS_ENDPOINT_URL); `actions/setup-python` puts the cached seed
venv first on PATH (tests/seed_code/venvs.py: only the folder's requirements.txt, on this machine's Python, not 3.12;
pip runs with PIP_NO_INDEX, so it can only find requirements already installed); `hashicorp/setup-terraform` uses the
terraform on PATH, installing the real AWS provider from its local mirror; artifacts are copied through a folder. The
runner image's tools (bash, jq, the AWS CLI) are this machine's; nothing but 127.0.0.1 is reachable (a dead proxy).
"""

from __future__ import annotations

import json
import os
import re
import shlex
import shutil
import stat
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any, Final

import boto3
import pytest
import yaml

from mlops_templates import packaging, seed_sets
from mlops_templates.emulator import MotoServer
from mlops_templates.lambdas import github_dispatch
from mlops_templates.toolchain import ProviderSource
from tests.harness.actions import ActionCall, JobResult, LocalAction, LocalRunner, StepFailed, load_workflow
from tests.harness.paths import REPO, SEED_CODE
from tests.seed_code import venvs

SET: Final = "abalone-xgboost-github-actions"
REGION: Final = "eu-west-1"
ACCOUNT: Final = "123456789012"
PROJECT, PROJECT_ID = "churn", "p-abc123def456"
BUCKET: Final = f"sagemaker-project-{PROJECT_ID}-{ACCOUNT}"
GROUP: Final = f"{PROJECT}-{PROJECT_ID}-models"
PIPELINE: Final = f"{PROJECT}-{PROJECT_ID}-pipeline"
ROLES: Final = {
    "build": f"arn:aws:iam::{ACCOUNT}:role/mlops-{PROJECT_ID}-gha-build",
    "deploy": f"arn:aws:iam::{ACCOUNT}:role/mlops-{PROJECT_ID}-gha-deploy",
    "pipeline": f"arn:aws:iam::{ACCOUNT}:role/mlops-{PROJECT_ID}-sagemaker",
}
STAGES: Final = [
    {"name": "staging", "instance_type": "ml.m5.large", "instance_count": 1, "serverless": None, "autoscaling": None},
    {"name": "prod", "instance_type": "ml.m5.large", "instance_count": 1, "serverless": None, "autoscaling": None},
]
WORKFLOWS: Final = {"model_build": "model-build.yml", "model_deploy": "model-deploy.yml"}
OVERLAYS: Final = {
    "model_build": SEED_CODE / "github-actions" / "model-build",
    "model_deploy": SEED_CODE / "github-actions" / "model-deploy",
}
# The contract of .github/sagemaker-project.json (rendered by the project's Terraform): its keys, and per repository
# the variables of "environment" (those the CodeBuild projects get in the CodePipeline templates).
CONTRACT_KEYS: Final = frozenset({"aws_region", "role_to_assume", "branch", "environment", "dispatch_event_type"})
ENVIRONMENT_KEYS: Final = {
    "model_build": frozenset(
        {
            "SAGEMAKER_PROJECT_NAME",
            "SAGEMAKER_PROJECT_ID",
            "ARTIFACT_BUCKET",
            "KMS_KEY_ARN",
            "MODEL_PACKAGE_GROUP_NAME",
            "SAGEMAKER_PIPELINE_NAME",
            "SAGEMAKER_PIPELINE_ROLE_ARN",
        }
    ),
    "model_deploy": frozenset(
        {
            "SAGEMAKER_PROJECT_NAME",
            "SAGEMAKER_PROJECT_ID",
            "ARTIFACT_BUCKET",
            "KMS_KEY_ARN",
            "MODEL_PACKAGE_GROUP_NAME",
            "SAGEMAKER_EXECUTION_ROLE_ARN",
            "DEPLOY_STAGES_JSON",
        }
    ),
}
# The keys each workflow must read: the build role's workflow has no use for the dispatch event type.
READS: Final = {"model_build": CONTRACT_KEYS - {"dispatch_event_type"}, "model_deploy": CONTRACT_KEYS}
# The first major of each action that runs on Node.js 24 (GitHub removed Node.js 20 from its runners in September
# 2026): actions/upload-artifact#745 (v6), actions/download-artifact#452 (v7), aws-actions/configure-aws-credentials
# #1641 (6.0.0), hashicorp/setup-terraform CHANGELOG 4.0.0, actions/checkout v5 and actions/setup-python v6.
NODE24_MAJORS: Final = {
    "actions/checkout": 5,
    "actions/setup-python": 6,
    "aws-actions/configure-aws-credentials": 6,
    "hashicorp/setup-terraform": 4,
    "actions/upload-artifact": 6,
    "actions/download-artifact": 7,
}
GITHUB_DEFAULTS: Final = frozenset(
    {"GITHUB_ENV", "GITHUB_OUTPUT", "GITHUB_PATH", "GITHUB_STEP_SUMMARY", "GITHUB_WORKSPACE", "RUNNER_TEMP"}
)
DEAD_PROXY: Final = "http://127.0.0.1:9"


# --- the merged seed and its workflows --------------------------------------------------------------------------


def source(repository: str) -> seed_sets.Source:
    return seed_sets.load_registry(REPO)[SET].repositories[repository]


def merged(repository: str) -> list[packaging.Entry]:
    """The files the project's repository starts with (what `package` zips), in order."""
    folders = source(repository).folders
    assert folders is not None, f"{SET} {repository} is not a folders (overlay) source"
    return packaging.merge_folders(REPO, folders)


def workflow_path(repository: str) -> Path:
    return OVERLAYS[repository] / ".github" / "workflows" / WORKFLOWS[repository]


def workflow(repository: str) -> dict[str, Any]:
    return load_workflow(workflow_path(repository))


def steps(repository: str) -> Iterator[tuple[str, dict[str, Any]]]:
    for job_id, job in workflow(repository)["jobs"].items():
        for step in job.get("steps", []):
            yield job_id, step


def scripts(repository: str) -> list[str]:
    return [str(step["run"]) for _, step in steps(repository) if "run" in step]


def project_config(repository: str, **overrides: Any) -> dict[str, Any]:
    """A .github/sagemaker-project.json as the project's Terraform renders it."""
    environment = {
        "SAGEMAKER_PROJECT_NAME": PROJECT,
        "SAGEMAKER_PROJECT_ID": PROJECT_ID,
        "ARTIFACT_BUCKET": BUCKET,
        "KMS_KEY_ARN": f"arn:aws:kms:{REGION}:{ACCOUNT}:key/00000000-0000-4000-8000-000000000000",
        "MODEL_PACKAGE_GROUP_NAME": GROUP,
    }
    if repository == "model_build":
        environment |= {"SAGEMAKER_PIPELINE_NAME": PIPELINE, "SAGEMAKER_PIPELINE_ROLE_ARN": ROLES["pipeline"]}
        config: dict[str, Any] = {"aws_region": REGION, "role_to_assume": ROLES["build"], "branch": "main"}
    else:
        environment |= {
            "SAGEMAKER_EXECUTION_ROLE_ARN": ROLES["pipeline"],
            "DEPLOY_STAGES_JSON": json.dumps([{**s, "requires_approval": s["name"] == "prod"} for s in STAGES]),
        }
        config = {"aws_region": REGION, "role_to_assume": ROLES["deploy"], "branch": "main"}
        config["dispatch_event_type"] = "model-approval"
    config["environment"] = environment
    for key, value in overrides.items():
        if value is None:
            config.pop(key, None)
        else:
            config[key] = value
    return config


def checkout(repository: str, dest: Path, config: Mapping[str, Any]) -> Path:
    """The repository's first commit as a working tree: the merged seed plus the rendered settings file."""
    for entry in merged(repository):
        path = dest / entry.arcname
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(entry.content)
        path.chmod(0o755 if entry.executable else 0o644)
    (dest / ".github" / "sagemaker-project.json").write_text(json.dumps(config, indent=2) + "\n")
    return dest


# --- structure ----------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("repository", sorted(OVERLAYS))
def test_overlays_hold_only_workflows_and_their_readme(repository: str) -> None:
    files = sorted(str(p.relative_to(OVERLAYS[repository])) for p in OVERLAYS[repository].rglob("*") if p.is_file())
    assert files == [".github/workflows/README.md", f".github/workflows/{WORKFLOWS[repository]}"]
    # The merged seed has the base's files and the overlay's, none twice (packaging refuses a clash).
    paths = [e.arcname for e in merged(repository)]
    assert f".github/workflows/{WORKFLOWS[repository]}" in paths and "requirements.txt" in paths
    assert ".github/sagemaker-project.json" not in paths, "rendered by the project's Terraform, not seed code"


@pytest.mark.parametrize("repository", sorted(OVERLAYS))
def test_workflows_match_the_github_workflow_schema(repository: str) -> None:
    """SchemaStore's github-workflow schema as vendored by check-jsonschema (offline)."""
    proc = subprocess.run(
        [
            sys.executable,
            "-m",
            "check_jsonschema",
            "--builtin-schema",
            "vendor.github-workflows",
            str(workflow_path(repository)),
        ],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr


def test_model_build_triggers_permissions_and_concurrency() -> None:
    data = workflow("model_build")
    assert data["on"] == {"push": None, "workflow_dispatch": None}, (
        "every push (the config job filters) and manual runs"
    )
    assert data["permissions"] == {"id-token": "write", "contents": "read"}
    assert data["jobs"]["config"]["permissions"] == {"contents": "read"}, "no token for the job that only reads"
    assert data["concurrency"] == {"group": "model-build-${{ github.ref }}", "cancel-in-progress": False}
    assert data["jobs"]["build"]["needs"] == "config"
    assert data["jobs"]["build"]["if"] == "needs.config.outputs.build == 'true'"


def test_model_deploy_triggers_permissions_and_matrix() -> None:
    data = workflow("model_deploy")
    config = project_config("model_deploy")
    assert data["on"] == {
        "push": None,
        "repository_dispatch": {"types": [config["dispatch_event_type"]]},
        "workflow_dispatch": None,
    }
    assert data["env"]["DISPATCH_EVENT_TYPE"] == config["dispatch_event_type"]
    assert data["permissions"] == {}
    jobs = data["jobs"]
    assert jobs["config"]["permissions"] == {"contents": "read"}
    for job_id in ("build", "deploy"):
        assert jobs[job_id]["permissions"] == {"id-token": "write", "contents": "read"}, job_id
    assert data["concurrency"] == {"group": "model-deploy-${{ github.ref }}", "cancel-in-progress": False}
    deploy = jobs["deploy"]
    assert deploy["strategy"] == {
        "matrix": {"stage": "${{ fromJSON(needs.config.outputs.stages) }}"},
        "max-parallel": 1,
        "fail-fast": True,
    }
    assert deploy["environment"] == "${{ matrix.stage }}"
    assert deploy["needs"] == ["config", "build"]


def test_terraform_and_state_follow_deploy_buildspec() -> None:
    """The deploy job installs the Terraform of deploy-buildspec.yml and inits the backend with its exact settings."""
    buildspec = yaml.safe_load((SEED_CODE / "build-train-deploy" / "model-deploy" / "deploy-buildspec.yml").read_text())
    deploy = workflow("model_deploy")["jobs"]["deploy"]
    assert deploy["env"]["TERRAFORM_VERSION"] == buildspec["env"]["variables"]["TERRAFORM_VERSION"]
    (setup,) = [s for s in deploy["steps"] if str(s.get("uses", "")).startswith("hashicorp/setup-terraform@")]
    assert setup["with"] == {"terraform_version": "${{ env.TERRAFORM_VERSION }}", "terraform_wrapper": False}
    (apply,) = [s["run"] for s in deploy["steps"] if "terraform -chdir=endpoint apply" in s.get("run", "")]
    commands = buildspec["phases"]["build"]["commands"]
    assert " ".join(commands[2].split()) in " ".join(apply.replace("\\\n", " ").split())
    assert commands[3] in apply
    assert commands[1].replace("$CODEBUILD_SRC_DIR_BuildOutput", "stage-config") in apply


def test_model_build_runs_what_the_buildspec_runs() -> None:
    buildspec = yaml.safe_load(
        (SEED_CODE / "build-train-deploy" / "model-build" / "codebuild-buildspec.yml").read_text()
    )
    run = " ".join(s.replace("\\\n", " ") for s in scripts("model_build"))
    pipeline = " ".join(buildspec["phases"]["build"]["commands"][0].split())
    assert pipeline in " ".join(run.split())
    assert buildspec["phases"]["install"]["commands"][0] in run
    assert workflow("model_build")["jobs"]["build"]["env"] == buildspec["env"]["variables"]


@pytest.mark.parametrize("repository", sorted(OVERLAYS))
def test_no_expression_in_a_run_script_and_no_secret(repository: str) -> None:
    for script in scripts(repository):
        assert "${{" not in script, script
    text = workflow_path(repository).read_text()
    assert "secrets." not in text and "GITHUB_TOKEN" not in text, "OIDC only: the workflows need no secret"
    assert "pull_request_target" not in text and "workflow_run" not in text


@pytest.mark.parametrize("repository", sorted(OVERLAYS))
def test_actions_are_pinned_to_node24_majors(repository: str) -> None:
    used = [str(step["uses"]) for _, step in steps(repository) if "uses" in step]
    assert used
    for uses in used:
        match = re.fullmatch(r"([\w.-]+/[\w.-]+)@v(\d+)", uses)
        assert match, f"{uses}: pin a major version tag (owner/repo@vN)"
        assert int(match.group(2)) == NODE24_MAJORS.get(match.group(1)), (
            f"{uses}: expected @v{NODE24_MAJORS.get(match.group(1))}"
        )


def _commands(script: str) -> list[list[str]]:
    """The shell words of each command line of a script (continuations joined, comments dropped)."""
    joined = script.replace("\\\n", " ")
    commands = []
    for line in joined.splitlines():
        line = line.strip()
        if line and not line.startswith("#"):
            try:
                commands.append(shlex.split(line, comments=True))
            except ValueError:
                continue  # a line inside a multi-line quoted jq filter
    return commands


def referenced_paths(script: str) -> set[str]:
    """The repository paths a script names: files with an extension, `-chdir=` folders, `python -m` modules."""
    found: set[str] = set()
    for words in _commands(script):
        for index, word in enumerate(words):
            if index >= 1 and words[index - 1] == "--key":
                continue  # an S3 object key
            if index >= 1 and words[index - 1] == "-m" and words[0] == "python":
                found.add(word.replace(".", "/") + ".py")
            elif word.startswith("-chdir="):
                found.add(word.removeprefix("-chdir="))
            elif re.fullmatch(r"[\w.-]+(/[\w.-]+)*\.(py|txt|csv|json|sh|yml)", word) and not word.startswith("-"):
                found.add(word)
    return found


@pytest.mark.parametrize("repository", sorted(OVERLAYS))
def test_every_file_a_step_names_is_in_the_merged_seed(repository: str) -> None:
    files = {e.arcname for e in merged(repository)}
    folders = {str(Path(f).parent) for f in files}
    referenced = set().union(*(referenced_paths(s) for s in scripts(repository)))
    # Written by the steps themselves: build.py's stage configuration, and the stage's var file copied into endpoint/.
    generated = {p for p in referenced if p.startswith("stage-config/") or p == "endpoint/stage.auto.tfvars.json"}
    missing = sorted(p for p in referenced - generated if p not in files and p not in folders)
    assert not missing, f"named by a run: step, not in the merged seed: {missing}"
    expected = {
        "model_build": {"requirements.txt", "data/abalone-sample.csv", "pipelines/run_pipeline.py"},
        "model_deploy": {"requirements.txt", "build.py", "endpoint_check.py", "endpoint"},
    }[repository]
    assert expected <= referenced, f"the extractor missed {sorted(expected - referenced)}"
    # The settings file every job reads is named once, in the workflow's env.
    assert workflow(repository)["env"]["PROJECT_CONFIG"] == ".github/sagemaker-project.json"


JQ_ON_CONFIG = re.compile(r"jq\s+(?:-[a-z]+\s+|--arg\s+\S+\s+\S+\s+)*'([^']*)'\s*\"\$PROJECT_CONFIG\"")


def jq_reads(script: str) -> list[str]:
    """What each jq filter on the settings file reads: its top-level key, or environment.<NAME>."""
    reads = []
    for match in JQ_ON_CONFIG.finditer(script.replace("\\\n", " ")):
        head = re.match(r"\s*\.(\w+)(?:\.(\w+))?", match.group(1))
        assert head, f"a jq filter on the settings file that does not start with a key: {match.group(1)!r}"
        key, sub = head.groups()
        reads.append(f"environment.{sub}" if key == "environment" and sub else key)
    return reads


@pytest.mark.parametrize("repository", sorted(OVERLAYS))
def test_jq_reads_exactly_the_contract_keys(repository: str) -> None:
    reads = {key for script in scripts(repository) for key in jq_reads(script)}
    assert {k.split(".")[0] for k in reads} == READS[repository]
    assert {k.split(".", 1)[1] for k in reads if "." in k} <= ENVIRONMENT_KEYS[repository]
    # The settings file is read by jq only: every mention of it in a script is a jq call the pattern saw.
    for script in scripts(repository):
        assert script.count("$PROJECT_CONFIG") == len(jq_reads(script)), script


@pytest.mark.parametrize("repository", sorted(OVERLAYS))
def test_run_scripts_use_only_variables_they_are_given(repository: str) -> None:
    """Every $UPPER_CASE variable of a script comes from the workflow or job or step env, the settings file's
    environment, the region the scripts export, or GitHub itself."""
    data = workflow(repository)
    for job_id, job in data["jobs"].items():
        given = set(data.get("env", {})) | set(job.get("env", {})) | GITHUB_DEFAULTS
        given |= ENVIRONMENT_KEYS[repository] | {"AWS_REGION", "AWS_DEFAULT_REGION"}
        for step in job.get("steps", []):
            if "run" not in step:
                continue
            used = set(re.findall(r"\$\{?([A-Z][A-Z0-9_]*)", str(step["run"])))
            unknown = used - given - set(step.get("env", {}))
            assert not unknown, f"{job_id}: {step.get('name')}: {sorted(unknown)}"


def test_the_readmes_say_what_to_set_up() -> None:
    deploy = (OVERLAYS["model_deploy"] / ".github" / "workflows" / "README.md").read_text()
    for phrase in (
        "default branch",
        "required reviewers",
        "Settings > Environments",
        "repository_dispatch",
        "max-parallel: 1",
    ):
        assert phrase in deploy, phrase
    build = (OVERLAYS["model_build"] / ".github" / "workflows" / "README.md").read_text()
    for key in READS["model_build"]:
        assert f"`{key}`" in build, key
    for key in READS["model_deploy"]:
        assert f"`{key}`" in deploy, key


# --- the local runner -----------------------------------------------------------------------------------------------


def runner_env(home: Path) -> dict[str, str]:
    """The runner image's environment: this machine's tools, no network beyond 127.0.0.1, no SDK telemetry."""
    home.mkdir(parents=True, exist_ok=True)
    sdk_config = home / "sagemaker-config.yaml"
    sdk_config.write_text("SchemaVersion: '1.0'\nSageMaker:\n  PythonSDK:\n    Modules:\n      TelemetryOptOut: true\n")
    return {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "HOME": str(home),
        "LANG": "C.UTF-8",
        "AWS_EC2_METADATA_DISABLED": "true",
        "SAGEMAKER_USER_CONFIG_OVERRIDE": str(sdk_config),
        "HTTP_PROXY": DEAD_PROXY,
        "HTTPS_PROXY": DEAD_PROXY,
        "NO_PROXY": "127.0.0.1,localhost",
        "PIP_NO_INDEX": "1",
        "PIP_DISABLE_PIP_VERSION_CHECK": "1",
        "PYTHONDONTWRITEBYTECODE": "1",
        "CHECKPOINT_DISABLE": "1",
    }


def require_tools() -> None:
    for tool in ("bash", "jq", "aws"):
        # On GitHub's runner images; here from the machine (jq: Debian's package, aws: the AWS CLI). A missing one
        # fails: a skipped workflow run would prove nothing.
        assert shutil.which(tool) is not None, f"{tool} is not on PATH: install it to run the workflows"


def github_context(repository: str, ref_name: str = "main", event_name: str = "push", **event: Any) -> dict[str, Any]:
    return {
        "ref": f"refs/heads/{ref_name}",
        "ref_name": ref_name,
        "event_name": event_name,
        "event": event,
        "sha": "0" * 40,
        "repository": f"ml-team/{PROJECT}-{repository.replace('_', '')}",
        "run_id": "18000000001",
        "run_attempt": "1",
    }


class LocalActions:
    """The local equivalents of the actions the workflows use; what they were given is kept for assertions."""

    def __init__(self, tmp: Path, moto_url: str | None = None, python: Path | None = None) -> None:
        self.moto_url = moto_url
        self.python = python
        self.artifacts = tmp / "artifacts"
        self.tmp = tmp
        self.assumed: list[dict[str, str]] = []
        self.python_versions: list[str] = []
        self.terraform: list[dict[str, str]] = []
        self.mirror: Path | None = None

    def table(self) -> dict[str, LocalAction]:
        return {
            "actions/checkout@v5": self.checkout,
            "aws-actions/configure-aws-credentials@v6": self.credentials,
            "actions/setup-python@v6": self.setup_python,
            "hashicorp/setup-terraform@v4": self.setup_terraform,
            "actions/upload-artifact@v6": self.upload,
            "actions/download-artifact@v7": self.download,
        }

    @staticmethod
    def checkout(call: ActionCall) -> None:
        """The repository at the run's commit, copied into the job's (empty) workspace."""
        assert call.inputs == {"persist-credentials": "false"}, call.inputs
        assert not any(call.workspace.iterdir()), "a job starts in an empty workspace"
        shutil.copytree(call.repository, call.workspace, symlinks=True, dirs_exist_ok=True)

    def credentials(self, call: ActionCall) -> None:
        assert (
            {"role-to-assume", "role-session-name", "aws-region"}
            <= set(call.inputs)
            <= {
                "role-to-assume",
                "role-session-name",
                "role-duration-seconds",
                "aws-region",
            }
        ), call.inputs
        assert self.moto_url is not None, "this job assumes a role: give the runner moto"
        sts = boto3.client(
            "sts",
            endpoint_url=self.moto_url,
            region_name=call.inputs["aws-region"],
            aws_access_key_id="x",
            aws_secret_access_key="x",
        )
        answer = sts.assume_role_with_web_identity(
            RoleArn=call.inputs["role-to-assume"],
            RoleSessionName=call.inputs["role-session-name"],
            WebIdentityToken="local-github-oidc-token",
            # What the action asks STS for (its default: one hour); within the role's maximum session (the product's).
            DurationSeconds=int(call.inputs.get("role-duration-seconds", "3600")),
        )
        credentials = answer["Credentials"]
        call.env.update(
            {
                "AWS_ACCESS_KEY_ID": credentials["AccessKeyId"],
                "AWS_SECRET_ACCESS_KEY": credentials["SecretAccessKey"],
                "AWS_SESSION_TOKEN": credentials["SessionToken"],
                "AWS_REGION": call.inputs["aws-region"],
                "AWS_DEFAULT_REGION": call.inputs["aws-region"],
                "AWS_ENDPOINT_URL": self.moto_url,
            }
        )
        self.assumed.append(
            {
                "role": call.inputs["role-to-assume"],
                "session": call.inputs["role-session-name"],
                "assumed": answer["AssumedRoleUser"]["Arn"],
            }
        )

    def setup_python(self, call: ActionCall) -> None:
        assert self.python is not None, "this job sets up Python: give the runner a seed venv"
        self.python_versions.append(call.inputs["python-version"])
        call.path.append(str(self.python.parent))

    def setup_terraform(self, call: ActionCall) -> None:
        assert set(call.inputs) == {"terraform_version", "terraform_wrapper"}, call.inputs
        assert self.mirror is not None, "this job runs terraform: give the runner a provider mirror"
        terraform = shutil.which("terraform")
        assert terraform is not None, "no terraform on PATH"
        self.terraform.append(dict(call.inputs))
        rc = self.tmp / "terraformrc"
        rc.write_text(
            "provider_installation {\n"
            f'  filesystem_mirror {{\n    path    = "{self.mirror}"\n'
            '    include = ["registry.terraform.io/hashicorp/aws"]\n  }\n'
            '  direct {\n    exclude = ["registry.terraform.io/hashicorp/aws"]\n  }\n}\n'
        )
        call.env["TF_CLI_CONFIG_FILE"] = str(rc)
        call.path.append(str(Path(terraform).parent))

    def upload(self, call: ActionCall) -> None:
        assert call.inputs["if-no-files-found"] == "error"
        source_dir = call.workspace / call.inputs["path"]
        files = sorted(p for p in source_dir.rglob("*") if p.is_file()) if source_dir.is_dir() else []
        if not files:
            raise AssertionError(f"upload-artifact: no files in {call.inputs['path']}")
        target = self.artifacts / call.inputs["name"]
        assert not target.exists(), f"artifact {call.inputs['name']} uploaded twice in one run"
        shutil.copytree(source_dir, target)

    def download(self, call: ActionCall) -> None:
        source_dir = self.artifacts / call.inputs["name"]
        assert source_dir.is_dir(), f"no artifact {call.inputs['name']}"
        shutil.copytree(source_dir, call.workspace / call.inputs["path"], dirs_exist_ok=True)


def make_runner(
    repository: str, tmp: Path, actions: LocalActions, github: dict[str, Any], config: Mapping[str, Any]
) -> LocalRunner:
    commit = checkout(repository, tmp / "repository", config)
    return LocalRunner(
        workflow_path=commit / ".github" / "workflows" / WORKFLOWS[repository],
        repository=commit,
        scratch=tmp / "runner",
        github=github,
        base_env=runner_env(tmp / "home"),
        actions=actions.table(),
    )


def run_jobs(runner: LocalRunner, *job_ids: str) -> dict[str, list[JobResult]]:
    done: dict[str, list[JobResult]] = {}
    for job_id in job_ids:
        done[job_id] = runner.run(job_id, done)
    return done


# --- settings and branches (jq only) --------------------------------------------------------------------------


@pytest.mark.parametrize("repository", sorted(OVERLAYS))
def test_another_branch_neither_builds_nor_deploys(repository: str, tmp_path: Path) -> None:
    require_tools()
    actions = LocalActions(tmp_path)
    runner = make_runner(
        repository, tmp_path, actions, github_context(repository, "feature/x"), project_config(repository)
    )
    jobs = ["config", "build"] + (["deploy"] if repository == "model_deploy" else [])
    done = run_jobs(runner, *jobs)
    flag = "build" if repository == "model_build" else "deploy"
    assert done["config"][0].outputs[flag] == "false"
    assert [done[j][0].result for j in jobs[1:]] == ["skipped"] * (len(jobs) - 1)
    assert actions.assumed == [], "no role assumed off the project branch"


@pytest.mark.parametrize(("repository", "key"), [(r, k) for r in sorted(OVERLAYS) for k in sorted(READS[r])])
def test_each_key_the_workflow_reads_is_required(repository: str, key: str, tmp_path: Path) -> None:
    """A settings file without a key the workflow reads fails the step that reads it (jq -e), before any AWS call."""
    require_tools()
    config = project_config(repository, **{key: None})
    runner = make_runner(repository, tmp_path, LocalActions(tmp_path), github_context(repository), config)
    with pytest.raises(StepFailed) as caught:
        run_jobs(runner, "config", "build")
    assert re.search(r"step '(Read the project settings|Project environment)' exited [1-9]", str(caught.value)), str(
        caught.value
    )


def test_an_environment_entry_that_is_not_one_line_is_refused(tmp_path: Path) -> None:
    require_tools()
    config = project_config("model_build")
    config["environment"]["EXTRA"] = "two\nlines"
    actions = LocalActions(tmp_path, moto_url="http://127.0.0.1:9")
    runner = make_runner("model_build", tmp_path, actions, github_context("model_build"), config)
    done = run_jobs(runner, "config")
    with pytest.raises(StepFailed, match=r"environment\.EXTRA: expected an UPPER_CASE name and a one-line string"):
        runner.run("build", done)


def test_a_dispatch_type_the_workflow_does_not_listen_to_is_an_error(tmp_path: Path) -> None:
    require_tools()
    config = project_config("model_deploy", dispatch_event_type="approval")
    runner = make_runner("model_deploy", tmp_path, LocalActions(tmp_path), github_context("model_deploy"), config)
    with pytest.raises(StepFailed, match=r"events of type approval;.*listens to model-approval"):
        run_jobs(runner, "config")


# --- the jobs against moto ------------------------------------------------------------------------------------


def create_project_resources(moto: MotoServer) -> str:
    """The bucket and key the project's Terraform creates; returns the key's ARN."""
    moto.client("s3", REGION).create_bucket(Bucket=BUCKET, CreateBucketConfiguration={"LocationConstraint": REGION})
    key_arn: str = moto.client("kms", REGION).create_key(Description="project key")["KeyMetadata"]["Arn"]
    return key_arn


def with_key(config: dict[str, Any], key_arn: str) -> dict[str, Any]:
    config["environment"]["KMS_KEY_ARN"] = key_arn
    return config


@pytest.mark.slow
def test_model_build_workflow_creates_and_starts_the_pipeline(fresh_moto: MotoServer, tmp_path: Path) -> None:
    require_tools()
    assert (SEED_CODE / "build-train-deploy" / "model-build" / "requirements.txt").read_bytes() == next(
        e.content for e in merged("model_build") if e.arcname == "requirements.txt"
    ), "the cached seed venv is built from the base's requirements.txt"
    key_arn = create_project_resources(fresh_moto)
    actions = LocalActions(tmp_path, fresh_moto.url, venvs.ensure("model-build"))
    config = with_key(project_config("model_build"), key_arn)
    runner = make_runner("model_build", tmp_path, actions, github_context("model_build"), config)
    started = time.monotonic()
    done = run_jobs(runner, "config", "build")
    elapsed = time.monotonic() - started

    (config_job,) = done["config"]
    assert config_job.outputs == {"build": "true", "aws_region": REGION, "role_to_assume": ROLES["build"]}
    (build,) = done["build"]
    assert build.result == "success", build
    assert [a["role"] for a in actions.assumed] == [ROLES["build"]]
    assert actions.assumed[0]["session"] == "model-build-18000000001-1"
    assert actions.python_versions == ["3.12"]
    # The environment of the settings file reached the steps, and the region was exported.
    assert {k: build.env[k] for k in ENVIRONMENT_KEYS["model_build"]} == config["environment"]
    assert build.env["AWS_REGION"] == REGION

    sagemaker = fresh_moto.client("sagemaker", REGION)
    described = sagemaker.describe_pipeline(PipelineName=PIPELINE)
    assert described["RoleArn"] == ROLES["pipeline"]
    assert f'"ModelPackageGroupName": "{GROUP}"' in described["PipelineDefinition"]
    tags = {t["Key"]: t["Value"] for t in sagemaker.list_tags(ResourceArn=described["PipelineArn"])["Tags"]}
    assert tags == {"sagemaker:project-name": PROJECT, "sagemaker:project-id": PROJECT_ID}
    executions = sagemaker.list_pipeline_executions(PipelineName=PIPELINE)["PipelineExecutionSummaries"]
    assert len(executions) == 1
    sample = fresh_moto.client("s3", REGION).head_object(Bucket=BUCKET, Key="data/abalone/abalone.csv")
    assert sample["ServerSideEncryption"] == "aws:kms" and sample["SSEKMSKeyId"] == key_arn
    log = "\n".join(s.log for s in build.steps)
    assert "pipeline execution succeeded" in log
    assert elapsed < 300

    # A second run finds the data there and starts a second execution of the same pipeline.
    second = LocalActions(tmp_path / "again", fresh_moto.url, venvs.ensure("model-build"))
    again = make_runner("model_build", tmp_path / "again", second, github_context("model_build"), config)
    done = run_jobs(again, "config", "build")
    assert "data/abalone/abalone.csv exists" in "\n".join(s.log for s in done["build"][0].steps)
    assert len(sagemaker.list_pipeline_executions(PipelineName=PIPELINE)["PipelineExecutionSummaries"]) == 2


def register(sagemaker: Any, status: str) -> str:
    """Register a model package in the group (moto sorts by CreationTime: keep them a second apart)."""
    arn: str = sagemaker.create_model_package(
        ModelPackageGroupName=GROUP,
        InferenceSpecification={
            "Containers": [
                {
                    "Image": "141502667606.dkr.ecr.eu-west-1.amazonaws.com/sagemaker-xgboost:1.7-1",
                    "ModelDataUrl": f"s3://{BUCKET}/model.tar.gz",
                }
            ],
            "SupportedContentTypes": ["text/csv"],
            "SupportedResponseMIMETypes": ["text/csv"],
        },
        ModelApprovalStatus="PendingManualApproval",
    )["ModelPackageArn"]
    sagemaker.update_model_package(ModelPackageArn=arn, ModelApprovalStatus=status)
    time.sleep(1.05)
    return arn


def dispatch(package_arn: str, version: int, status: str = "Approved") -> dict[str, Any]:
    """The github context of the repository_dispatch the github-dispatch function sends for SageMaker's "Model
    Package State Change" event of the package (its client_payload built by the function's own code)."""
    event = {
        "version": "0",
        "detail-type": github_dispatch.DETAIL_TYPE,
        "source": "aws.sagemaker",
        "account": "123456789012",
        "region": "eu-west-1",
        "resources": [package_arn],
        "detail": {
            "ModelPackageGroupName": GROUP,
            "ModelPackageVersion": version,
            "ModelPackageArn": package_arn,
            "ModelPackageStatus": "Completed",
            "ModelApprovalStatus": status,
        },
    }
    payload = github_dispatch.client_payload(event)
    assert payload is not None, f"the function sends nothing for {status}"
    return github_context(
        "model_deploy", "main", "repository_dispatch", action=github_dispatch.DEFAULT_EVENT_TYPE, client_payload=payload
    )


def stage_files(actions: LocalActions) -> dict[str, Any]:
    folder = actions.artifacts / "stage-config"
    return {p.name: json.loads(p.read_text()) for p in sorted(folder.glob("*.json"))}


@pytest.mark.slow
def test_model_deploy_build_job_writes_one_stage_config_per_stage(fresh_moto: MotoServer, tmp_path: Path) -> None:
    require_tools()
    key_arn = create_project_resources(fresh_moto)
    sagemaker = fresh_moto.client("sagemaker", REGION)
    sagemaker.create_model_package_group(ModelPackageGroupName=GROUP)
    register(sagemaker, "Rejected")
    approved = register(sagemaker, "Approved")
    register(sagemaker, "PendingManualApproval")
    actions = LocalActions(tmp_path, fresh_moto.url, venvs.ensure("model-deploy"))
    config = with_key(project_config("model_deploy"), key_arn)
    runner = make_runner("model_deploy", tmp_path, actions, dispatch(approved, 2), config)
    done = run_jobs(runner, "config", "build")

    (config_job,) = done["config"]
    assert json.loads(config_job.outputs["stages"]) == ["staging", "prod"]
    assert config_job.outputs["deploy"] == "true"
    assert f"Model package {approved} (version 2) of {GROUP}: Approved" in config_job.summary
    assert [a["role"] for a in actions.assumed] == [ROLES["deploy"]]
    files = stage_files(actions)
    assert sorted(files) == ["deployment.json", "prod.tfvars.json", "staging.tfvars.json"]
    for stage in ("staging", "prod"):
        variables = files[f"{stage}.tfvars.json"]
        assert variables["model_package_arn"] == approved
        assert variables["endpoint_name"] == f"{PROJECT}-{stage}"
        assert variables["kms_key_arn"] == key_arn
        assert variables["tags"]["mlops:stage"] == stage
    assert files["deployment.json"]["stages"] == ["staging", "prod"]
    assert files["deployment.json"]["model_package_arn"] == approved


@pytest.mark.slow
@pytest.mark.terraform
def test_model_deploy_deploys_the_stages_in_order_and_refuses_to_skip_one(
    fresh_moto: MotoServer, tmp_path: Path, real_provider_source: ProviderSource
) -> None:
    """The whole deploy workflow on moto: terraform apply of each stage (state in the bucket), the endpoint test;
    then a newer approval deployed to prod before staging is refused by the order check."""
    require_tools()
    (mirror,) = real_provider_source.mirrors()
    key_arn = create_project_resources(fresh_moto)
    sagemaker = fresh_moto.client("sagemaker", REGION)
    sagemaker.create_model_package_group(ModelPackageGroupName=GROUP)
    first = register(sagemaker, "Approved")
    predictions = {"region": REGION, "results": [{"Body": "9.5", "ContentType": "text/csv"}] * 4}
    request = urllib.request.Request(
        f"{fresh_moto.url}/moto-api/static/sagemaker/endpoint-results",
        data=json.dumps(predictions).encode(),
        method="POST",
        headers={"Content-Type": "application/json"},
    )
    with urllib.request.urlopen(request, timeout=10):
        pass
    config = with_key(project_config("model_deploy"), key_arn)
    actions = LocalActions(tmp_path, fresh_moto.url, venvs.ensure("model-deploy"))
    actions.mirror = mirror
    runner = make_runner("model_deploy", tmp_path, actions, dispatch(first, 1), config)
    done = run_jobs(runner, "config", "build", "deploy")

    deploys = done["deploy"]
    assert [(d.environment, d.matrix) for d in deploys] == [
        ("staging", {"stage": "staging"}),
        ("prod", {"stage": "prod"}),
    ]
    assert [a["session"] for a in actions.assumed] == [
        "model-deploy-build-18000000001-1",
        "model-deploy-staging-18000000001-1",
        "model-deploy-prod-18000000001-1",
    ]
    assert {a["role"] for a in actions.assumed} == {ROLES["deploy"]}
    assert actions.terraform == [{"terraform_version": "1.11.4", "terraform_wrapper": "false"}] * 2
    for stage in ("staging", "prod"):
        endpoint = sagemaker.describe_endpoint(EndpointName=f"{PROJECT}-{stage}")
        tags = {t["Key"]: t["Value"] for t in sagemaker.list_tags(ResourceArn=endpoint["EndpointArn"])["Tags"]}
        assert tags["mlops:model-package-arn"] == first and tags["mlops:stage"] == stage
        state = fresh_moto.client("s3", REGION).head_object(Bucket=BUCKET, Key=f"deploy/{stage}/terraform.tfstate")
        assert state["ServerSideEncryption"] == "aws:kms" and state["SSEKMSKeyId"] == key_arn
    logs = ["\n".join(s.log for s in d.steps) for d in deploys]
    assert "staging is the first stage" in logs[0]
    assert f"staging ({PROJECT}-staging) serves {first}" in logs[1]
    assert all("Apply complete!" in log for log in logs)

    # A newer approval; its stage configuration built, then prod alone (as if GitHub started it first): refused.
    second = register(sagemaker, "Approved")
    later = LocalActions(tmp_path / "later", fresh_moto.url, venvs.ensure("model-deploy"))
    later.mirror = mirror
    runner = make_runner("model_deploy", tmp_path / "later", later, dispatch(second, 2), config)
    done = run_jobs(runner, "config", "build")
    with pytest.raises(
        StepFailed, match=rf"stage staging \({PROJECT}-staging\) serves {re.escape(first)}, not {re.escape(second)}"
    ):
        runner.run_one("deploy", done, {"stage": "prod"})
    endpoint = sagemaker.describe_endpoint(EndpointName=f"{PROJECT}-prod")
    tags = {t["Key"]: t["Value"] for t in sagemaker.list_tags(ResourceArn=endpoint["EndpointArn"])["Tags"]}
    assert tags["mlops:model-package-arn"] == first, "prod kept the package staging serves"


def test_merged_checkout_keeps_executable_bits(tmp_path: Path) -> None:
    workspace = checkout("model_deploy", tmp_path, project_config("model_deploy"))
    assert (workspace / "install-terraform.sh").stat().st_mode & stat.S_IXUSR
    assert not (workspace / "build.py").stat().st_mode & stat.S_IXUSR
