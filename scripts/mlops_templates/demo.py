"""`mlops-templates demo`: the README's main job.

Without ``--real`` it runs against the embedded local AWS emulator (a moto server on 127.0.0.1 that it starts and
stops) and shows the whole flow:

1. toolchain check (terraform, an AWS provider source);
2. ``package`` every product, its seed code and the seed-push function into a scratch dist/;
3. create the catalog bucket (KMS-encrypted, versioned) and its SSM parameter in the emulator, ``upload`` into it,
   and upload again to show that nothing is re-sent;
4. ``terraform plan`` the catalog (when ``catalog/`` exists) and every product against the emulator, and print a
   table of products, versions and what a project of each creates;
5. a project's life: create its two CodeCommit repositories in the emulator and push the seed code with the
   seed-push Lambda handler. moto has no CodeCommit commits, so GetBranch/CreateCommit are answered by a recording
   stub (a botocore ``before-call`` hook: requests are still validated against the real CodeCommit model);
   a third-party git project (build-train-deploy-git) next to it: its two existing repositories on a local git
   host (``git http-backend`` on 127.0.0.1 at the CodeConnections git-http paths, checking the SigV4 sign-in)
   seeded by the git-seed Lambda code, then left alone when it is invoked again; and an any-git project
   (build-train-deploy-anygit): its token in the emulator's Secrets Manager, seeded the same way over token sign-in,
   each branch exported once by the git-webhook code, then a push delivered with a valid signature exported to the
   project bucket at the pushed commit;
   then run the packaged model-build code locally on the sample data (real XGBoost training), register the model
   package in the emulator's model registry, approve it, run the packaged deploy ``build.py`` and show the per-stage
   configs; approve a newer version; reject it and show the rollback;
6. delete the project: run the project-teardown Lambda handler (as ``terraform destroy`` invokes it) against the
   emulator and show that nothing the pipelines created is left: no endpoints, endpoint configs, models, scalable
   targets, SageMaker Pipeline or model packages of the project. moto has no DeleteModelPackage: it is answered
   by a recording stub (a ``before-call`` hook, the request validated against the real SageMaker model).

With ``--real`` (AWS credentials required) it packages, uploads to ``--bucket`` (or the catalog's SSM parameter) and
plans the catalog against the account: it never applies.
"""

from __future__ import annotations

import contextlib
import json
import os
import subprocess
import sys
import tempfile
import time
import zipfile
from collections import Counter
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import boto3
from rich.console import Console
from rich.table import Table

from mlops_templates import aws, doctor, emulator, packaging, tfrun
from mlops_templates import upload as uploading
from mlops_templates.errors import CheckFailed, MlopsTemplatesError, UsageError
from mlops_templates.git_server import BasicAuth, CodeCommitSigV4, GitServer, github_push_delivery
from mlops_templates.lambdas import git_seed, git_webhook, project_teardown, seed_push
from mlops_templates.toolchain import ProviderSource, provider_sources

REGION = tfrun.REGION
ACCOUNT = "123456789012"
CATALOG_BUCKET = f"mlops-templates-catalog-{ACCOUNT}-{REGION}"
PROJECT_NAME = "demo"
PROJECT_ID = "p-demo00000001"
STUDIO_ROLE_ARN = f"arn:aws:iam::{ACCOUNT}:role/demo-studio-execution"
XGBOOST_IMAGE = f"141502667606.dkr.ecr.{REGION}.amazonaws.com/sagemaker-xgboost:1.7-1"
STAGES = [
    {"name": "staging", "instance_type": "ml.m5.large", "instance_count": 1, "requires_approval": True},
    {
        "name": "prod",
        "instance_type": "ml.m5.xlarge",
        "instance_count": 2,
        "autoscaling": {"min_capacity": 2, "max_capacity": 4, "target_invocations_per_instance": 100},
    },
]


@dataclass
class DemoReport:
    """What the demo did, for the summary table and the tests."""

    steps: list[tuple[str, float]] = field(default_factory=list)
    artifacts: list[packaging.Artifact] = field(default_factory=list)
    plans: dict[str, dict[str, int]] = field(default_factory=dict)
    commits: dict[str, list[dict[str, Any]]] = field(default_factory=dict)
    # The third-party git project: repository full id -> {commit, files, again (the second invocation's answer)}.
    git_repositories: dict[str, dict[str, Any]] = field(default_factory=dict)
    # The any-git project: the first export of each branch, the webhook's answer to a signed push, the exported commit.
    any_git: dict[str, Any] = field(default_factory=dict)
    evaluation: dict[str, Any] = field(default_factory=dict)
    deployments: list[dict[str, Any]] = field(default_factory=list)
    teardown: dict[str, Any] = field(default_factory=dict)
    left: dict[str, list[str]] = field(default_factory=dict)
    seconds: float = 0.0


class Steps:
    """Numbered, timed steps; any error becomes CheckFailed naming the step."""

    def __init__(self, console: Console, report: DemoReport) -> None:
        self.console = console
        self.report = report
        self.number = 0

    @contextlib.contextmanager
    def step(self, title: str) -> Iterator[None]:
        self.number += 1
        self.console.rule(f"{self.number}. {title}")
        started = time.monotonic()
        try:
            yield
        except MlopsTemplatesError:
            raise
        except Exception as err:
            raise CheckFailed(f"demo step {self.number} ({title}) failed: {type(err).__name__}: {err}") from err
        elapsed = time.monotonic() - started
        self.report.steps.append((title, elapsed))
        self.console.print(f"[green]✓[/] {title} ({elapsed:.1f}s)")


def _check_toolchain(console: Console) -> None:
    checks = doctor.run_checks()
    for check in checks:
        mark = "[green]✓[/]" if check.ok else ("[red]✗[/]" if check.required else "[yellow]•[/]")
        console.print(f"{mark} {check.name}: {check.detail}")
    if not all(c.ok for c in checks if c.required and c.name.startswith(("terraform", "aws provider"))):
        raise CheckFailed("the demo needs terraform and an AWS provider source: see `mlops-templates doctor`")
    if not all(c.ok for c in checks if c.name == "git"):
        raise CheckFailed("the demo needs git and its http-backend (the local git host): see `mlops-templates doctor`")


def _emulator_env(url: str) -> dict[str, str]:
    return {
        "AWS_ENDPOINT_URL": url,
        "AWS_ACCESS_KEY_ID": "demo",
        "AWS_SECRET_ACCESS_KEY": "demo",
        "AWS_REGION": REGION,
        "AWS_DEFAULT_REGION": REGION,
        "AWS_EC2_METADATA_DISABLED": "true",
    }


@contextlib.contextmanager
def _environment(values: Mapping[str, str]) -> Iterator[None]:
    saved = {key: os.environ.get(key) for key in values}
    saved["AWS_PROFILE"] = os.environ.pop("AWS_PROFILE", None)
    os.environ.update(values)
    try:
        yield
    finally:
        for key, value in saved.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value


def create_catalog_bucket(session: boto3.Session, url: str) -> str:
    """The catalog bucket as catalog/ creates it (KMS, versioning, no public access) and its SSM parameter."""
    kms = session.client("kms", endpoint_url=url)
    key_arn = kms.create_key(Description="mlops-templates catalog (demo)")["KeyMetadata"]["Arn"]
    s3 = session.client("s3", endpoint_url=url)
    s3.create_bucket(Bucket=CATALOG_BUCKET, CreateBucketConfiguration={"LocationConstraint": REGION})  # type: ignore[typeddict-item]
    s3.put_bucket_versioning(Bucket=CATALOG_BUCKET, VersioningConfiguration={"Status": "Enabled"})
    s3.put_bucket_encryption(
        Bucket=CATALOG_BUCKET,
        ServerSideEncryptionConfiguration={
            "Rules": [
                {
                    "ApplyServerSideEncryptionByDefault": {"SSEAlgorithm": "aws:kms", "KMSMasterKeyID": key_arn},
                    "BucketKeyEnabled": True,
                }
            ]
        },
    )
    s3.put_public_access_block(
        Bucket=CATALOG_BUCKET,
        PublicAccessBlockConfiguration={
            "BlockPublicAcls": True,
            "IgnorePublicAcls": True,
            "BlockPublicPolicy": True,
            "RestrictPublicBuckets": True,
        },
    )
    ssm = session.client("ssm", endpoint_url=url)
    ssm.put_parameter(Name=aws.CATALOG_BUCKET_PARAMETER, Value=CATALOG_BUCKET, Type="String", Overwrite=True)
    # The account's GitHub OIDC provider and its parameter, as catalog/ makes them with github_oidc on (what the
    # GitHub Actions template reads).
    iam = session.client("iam", endpoint_url=url)
    providers = [p["Arn"] for p in iam.list_open_id_connect_providers()["OpenIDConnectProviderList"]]
    provider_arn = next((arn for arn in providers if arn.endswith(f"/{GITHUB_OIDC_HOST}")), None)
    if provider_arn is None:
        provider_arn = iam.create_open_id_connect_provider(
            Url=f"https://{GITHUB_OIDC_HOST}", ClientIDList=["sts.amazonaws.com"]
        )["OpenIDConnectProviderArn"]
    ssm.put_parameter(Name=GITHUB_OIDC_PARAMETER, Value=provider_arn, Type="String", Overwrite=True)
    return key_arn


def _creates(plan: Mapping[str, Any]) -> dict[str, int]:
    types = Counter(
        rc["type"]
        for rc in plan.get("resource_changes", [])
        if rc.get("mode") == "managed" and "create" in rc["change"]["actions"]
    )
    return dict(sorted(types.items()))


# Extra environment for the demo's terraform commands, given the provider source and the emulator's URL (the tests
# point terraform at their shared provider process with it).
TerraformEnv = Callable[[ProviderSource, str], Mapping[str, str]]


def plan_root(
    root: Path,
    source: ProviderSource,
    url: str,
    variables: Mapping[str, Any],
    extra: Mapping[str, str] | None = None,
    terraform_env: TerraformEnv | None = None,
) -> dict[str, int]:
    """Plan one root configuration of the repository against the emulator; the resource types it creates."""
    extra_env = terraform_env(source, url) if terraform_env is not None else None
    with tempfile.TemporaryDirectory() as tmp:
        wc = tfrun.prepare(root, Path(tmp), source, endpoint_url=url, extra_files=extra, extra_env=extra_env)
        var_file = Path(tmp) / "demo.tfvars.json"
        var_file.write_text(json.dumps(variables))
        return _creates(wc.plan_json(var_file))


DEMO_CONNECTION_ID = "0f1e2d3c-4b5a-6978-8695-a4b3c2d1e0f9"
GITHUB_OIDC_HOST = "token.actions.githubusercontent.com"
GITHUB_OIDC_PARAMETER = "/mlops-templates/github-oidc-provider-arn"
# What a data scientist types in Studio for each product, besides the project SageMaker passes itself.
STUDIO_CHOICES: dict[str, dict[str, str]] = {
    "build-train-deploy-git": {
        "CodeConnectionArn": f"arn:aws:codeconnections:{REGION}:{ACCOUNT}:connection/{DEMO_CONNECTION_ID}",
        "ModelBuildCodeRepositoryFullname": f"ml-team/{PROJECT_NAME}-modelbuild",
        "ModelDeployCodeRepositoryFullname": f"ml-team/{PROJECT_NAME}-modeldeploy",
    },
    "build-train-deploy-github-actions": {
        "CodeConnectionArn": f"arn:aws:codeconnections:{REGION}:{ACCOUNT}:connection/{DEMO_CONNECTION_ID}",
        "ModelBuildCodeRepositoryFullname": f"ml-team/{PROJECT_NAME}-gha-modelbuild",
        "ModelDeployCodeRepositoryFullname": f"ml-team/{PROJECT_NAME}-gha-modeldeploy",
        "GitHubTokenSecretArn": f"arn:aws:secretsmanager:{REGION}:{ACCOUNT}:secret:{PROJECT_NAME}-github-token-AbCdEf",
    },
    "build-train-deploy-anygit": {
        "GitCredentialsSecretArn": f"arn:aws:secretsmanager:{REGION}:{ACCOUNT}:secret:{PROJECT_NAME}-git-AbCdEf",
        "ModelBuildCodeRepositoryUrl": f"https://git.example.com/ml-team/{PROJECT_NAME}-modelbuild.git",
        "ModelDeployCodeRepositoryUrl": f"https://git.example.com/ml-team/{PROJECT_NAME}-modeldeploy.git",
    },
}


def product_variables(name: str) -> dict[str, Any]:
    """What SageMaker and the data scientist pass to a product (its Studio parameters)."""
    return {"SageMakerProjectName": PROJECT_NAME, "SageMakerProjectId": PROJECT_ID, **STUDIO_CHOICES.get(name, {})}


class RecordingCodeCommit:
    """Answers GetBranch/GetCommit/CreateCommit (which moto lacks) for a real CodeCommit client, and records the
    commits.

    The hooks run on botocore's ``before-call`` event, after the request was validated against the real model.
    """

    def __init__(self, client: Any) -> None:
        self.commits: dict[str, list[dict[str, Any]]] = {}
        client.meta.events.register("before-call.codecommit.GetBranch", self._get_branch)
        client.meta.events.register("before-call.codecommit.GetCommit", self._get_commit)
        client.meta.events.register("before-call.codecommit.CreateCommit", self._create_commit)

    def _get_branch(self, params: dict[str, Any], **_: Any) -> tuple[Any, dict[str, Any]]:
        params = json.loads(params["body"])  # the serialised request (JSON protocol)
        commits = self.commits.get(params["repositoryName"], [])
        if commits:
            return _http(200), {"branch": {"branchName": params["branchName"], "commitId": commits[-1]["commitId"]}}
        error = {"Error": {"Code": "BranchDoesNotExistException", "Message": "branch does not exist"}}
        return _http(400), {**error, "ResponseMetadata": {"HTTPStatusCode": 400}}

    def _get_commit(self, params: dict[str, Any], **_: Any) -> tuple[Any, dict[str, Any]]:
        params = json.loads(params["body"])
        commits = self.commits.get(params["repositoryName"], [])
        commit = next(c for c in commits if c["commitId"] == params["commitId"])
        return _http(200), {"commit": {"commitId": commit["commitId"], "message": commit["message"]}}

    def _create_commit(self, params: dict[str, Any], **_: Any) -> tuple[Any, dict[str, Any]]:
        params = json.loads(params["body"])
        repository = params["repositoryName"]
        number = sum(len(v) for v in self.commits.values()) + 1
        commit = {
            "commitId": f"{number:040x}",
            "files": [f["filePath"] for f in params["putFiles"]],
            "message": params["commitMessage"],
        }
        self.commits.setdefault(repository, []).append(commit)
        return _http(200), {"commitId": commit["commitId"], "treeId": f"{number:040x}", "filesAdded": []}


def _http(status: int) -> Any:
    from botocore.awsrequest import AWSResponse, HTTPHeaders

    return AWSResponse("http://emulator", status, HTTPHeaders(), None)


def push_seed_code(session: boto3.Session, url: str, manifest: Mapping[str, Any], report: DemoReport) -> None:
    """Create the project's repositories in the emulator and push the packaged seed code into them."""
    codecommit = session.client("codecommit", endpoint_url=url)
    s3 = session.client("s3", endpoint_url=url)
    recorder = RecordingCodeCommit(codecommit)
    versions = manifest["products"]["build-train-deploy"]["versions"]
    details = versions[packaging.newest_version(versions)]
    for repo_key, suffix in (("model_build", "modelbuild"), ("model_deploy", "modeldeploy")):
        name = f"sagemaker-{PROJECT_NAME}-{PROJECT_ID}-{suffix}"  # as modules/mlops-project names them
        codecommit.create_repository(repositoryName=name, repositoryDescription=f"{repo_key} of {PROJECT_NAME}")
        event = {
            "repository_name": name,
            "branch": "main",
            "seed_bucket": CATALOG_BUCKET,
            "seed_key": details["seed_code_keys"][repo_key],
        }
        first = seed_push.push(codecommit, s3, event)
        again = seed_push.push(codecommit, s3, event)
        if first["status"] != "pushed" or again["status"] != "skipped":
            raise CheckFailed(f"seed push into {name} was not idempotent: {first['status']}, then {again['status']}")
    report.commits = recorder.commits


def push_seed_code_to_git_host(
    session: boto3.Session, url: str, manifest: Mapping[str, Any], report: DemoReport, workdir: Path
) -> None:
    """A build-train-deploy-git project: its two existing repositories on a local git host, which stands in for the
    CodeConnections git-http endpoint (same URL paths, same SigV4 sign-in, checked), seeded by the packaged
    git-seed function's code; invoked twice per repository, as Terraform does on a product update."""
    versions = manifest["products"]["build-train-deploy-git"]["versions"]
    details = versions[packaging.newest_version(versions)]
    choices = STUDIO_CHOICES["build-train-deploy-git"]
    credentials = session.get_credentials()
    if credentials is None:
        raise CheckFailed("the emulator session has no credentials to sign in to the git host with")
    frozen = credentials.get_frozen_credentials()
    s3 = session.client("s3", endpoint_url=url)
    with GitServer(workdir / "git-host", auth=CodeCommitSigV4(frozen, REGION)) as server:
        for repo_key, parameter in (
            ("model_build", "ModelBuildCodeRepositoryFullname"),
            ("model_deploy", "ModelDeployCodeRepositoryFullname"),
        ):
            full_id = choices[parameter]
            # Where CodeConnections serves the repository: git-http/<account>/<region>/<connection id>/<full id>.git
            path = f"git-http/{ACCOUNT}/{REGION}/{DEMO_CONNECTION_ID}/{full_id}.git"
            server.create_repo(path)
            event = {
                "remote": {
                    "kind": "codeconnections",
                    "connection_arn": choices["CodeConnectionArn"],
                    "full_repository_id": full_id,
                },
                "branch": "main",
                "seed_bucket": CATALOG_BUCKET,
                "seed_key": details["seed_code_keys"][repo_key],
                "commit_message": "Seed code of the build-train-deploy-git template",
            }
            first = git_seed.push(event, s3=s3, credentials=frozen, endpoint_url=server.url)
            again = git_seed.push(event, s3=s3, credentials=frozen, endpoint_url=server.url)
            if first["status"] != "pushed" or again["status"] != "skipped" or again.get("head") != first["commit"]:
                statuses = f"{first['status']}, then {again['status']}"
                raise CheckFailed(f"git seed of {full_id} was not idempotent: {statuses}")
            server.fsck(path)
            report.git_repositories[full_id] = {
                "commit": first["commit"],
                "files": sorted(server.ls_tree(path, first["commit"])),
                "again": again,
            }


def run_any_git_project(
    session: boto3.Session, url: str, key_arn: str, manifest: Mapping[str, Any], report: DemoReport, workdir: Path
) -> None:
    """A build-train-deploy-anygit project: its repositories on a local git host with token sign-in, the token in
    the emulator's Secrets Manager; the git-seed code seeds them, the git-webhook code exports each branch once (as
    at creation), then a data scientist pushes and the server's signed delivery (GitHub's format) exports the new
    head to the project bucket, which is what starts the pipeline."""
    versions = manifest["products"]["build-train-deploy-anygit"]["versions"]
    details = versions[packaging.newest_version(versions)]
    choices = STUDIO_CHOICES["build-train-deploy-anygit"]
    webhook_secret = "demo-webhook-secret"  # what the git server signs its deliveries with
    secrets = session.client("secretsmanager", endpoint_url=url)
    secret_arn = secrets.create_secret(
        Name=f"{PROJECT_NAME}-git",
        SecretString=json.dumps({"username": "demo", "token": "demo-token", "webhook_secret": webhook_secret}),
    )["ARN"]
    s3 = session.client("s3", endpoint_url=url)
    bucket = f"sagemaker-project-{PROJECT_ID}-any-{ACCOUNT}"  # the project bucket (versioned, as the module makes it)
    s3.create_bucket(Bucket=bucket, CreateBucketConfiguration={"LocationConstraint": REGION})  # type: ignore[typeddict-item]
    s3.put_bucket_versioning(Bucket=bucket, VersioningConfiguration={"Status": "Enabled"})
    repositories = {
        "model_build": choices["ModelBuildCodeRepositoryUrl"],
        "model_deploy": choices["ModelDeployCodeRepositoryUrl"],
    }
    config = git_webhook.Config(
        secret_arn=secret_arn,
        targets={
            name: git_webhook.Target(name, repository, "main", bucket, f"sources/{name}.zip", key_arn)
            for name, repository in repositories.items()
        },
    )
    with GitServer(workdir / "any-git-host", auth=BasicAuth("demo", "demo-token")) as server:
        for name, repository in repositories.items():
            path = repository.split("/", 3)[3]  # the repository's path on its host
            server.create_repo(path)
            event = {
                "remote": {"kind": "secret", "secret_arn": secret_arn, "repository_url": repository},
                "branch": "main",
                "seed_bucket": CATALOG_BUCKET,
                "seed_key": details["seed_code_keys"][name],
            }
            git_seed.push(event, s3=s3, secretsmanager=secrets, endpoint_url=server.url)
            first = git_webhook.direct_export(
                {"export": name}, config=config, secretsmanager=secrets, s3=s3, endpoint_url=server.url
            )
            report.any_git.setdefault("first_exports", {})[name] = first
        # A data scientist changes the model-build code and pushes it; the server delivers the push.
        build_path = repositories["model_build"].split("/", 3)[3]
        clone = server.clone(build_path, workdir / "any-git-clone", "demo", "demo-token", "main")
        readme = clone / "README.md"
        readme.write_text(readme.read_text() + "\nTuned by the demo.\n")
        server.git(None, "-C", str(clone), "commit", "--quiet", "-am", "Tune the model")
        server.git(None, "-C", str(clone), "push", "--quiet", "origin", "main")
        head = server.head(build_path, "main")
        if head is None:
            raise CheckFailed(f"the push to {repositories['model_build']} left no main branch")
        delivery = github_push_delivery("model_build", "main", head, webhook_secret)
        answer = git_webhook.handle(delivery, config=config, secretsmanager=secrets, s3=s3, endpoint_url=server.url)
    exported = s3.head_object(Bucket=bucket, Key="sources/model_build.zip")["Metadata"].get("commit")
    report.any_git.update({"head": head, "answer": json.loads(answer["body"]), "status": answer["statusCode"]})
    report.any_git["exported_commit"] = exported
    if answer["statusCode"] != 200 or exported != head:
        raise CheckFailed(
            f"the webhook did not export the pushed commit {head}: {answer['statusCode']} {answer['body']}"
        )


def train_locally(seed_zip: Path, workdir: Path) -> dict[str, Any]:
    """Unpack the model-build seed code and run its local pipeline on the bundled sample data."""
    repo = workdir / "modelbuild"
    with zipfile.ZipFile(seed_zip) as archive:
        archive.extractall(repo)
    out = workdir / "run"
    proc = subprocess.run(
        [sys.executable, "-m", "pipelines.abalone.local_run", "--data", "data/abalone-sample.csv", "--out", str(out)],
        cwd=repo,
        capture_output=True,
        text=True,
        check=False,
        timeout=600,
    )
    if proc.returncode != 0:
        raise CheckFailed(f"model-build local run failed:\n{proc.stderr[-2000:]}")
    report: dict[str, Any] = json.loads((out / "evaluation" / "evaluation.json").read_text())
    report["model"] = str(out / "model" / "xgboost-model.json")
    return report


def register(session: boto3.Session, url: str, group: str, model_path: Path, evaluation: Mapping[str, Any]) -> str:
    """Upload the model and register a package with its metrics, pending approval, as the pipeline's step does."""
    s3 = session.client("s3", endpoint_url=url)
    sagemaker = session.client("sagemaker", endpoint_url=url)
    bucket = f"sagemaker-project-{PROJECT_ID}"
    with contextlib.suppress(s3.exceptions.BucketAlreadyOwnedByYou):
        s3.create_bucket(Bucket=bucket, CreateBucketConfiguration={"LocationConstraint": REGION})  # type: ignore[typeddict-item]
    stamp = time.time_ns()
    s3.put_object(Bucket=bucket, Key=f"models/{stamp}/model.json", Body=model_path.read_bytes())
    s3.put_object(Bucket=bucket, Key=f"evaluation/{stamp}/evaluation.json", Body=json.dumps(evaluation).encode())
    arn = sagemaker.create_model_package(
        ModelPackageGroupName=group,
        ModelPackageDescription="Abalone XGBoost (demo)",
        ModelApprovalStatus="PendingManualApproval",
        InferenceSpecification={
            "Containers": [{"Image": XGBOOST_IMAGE, "ModelDataUrl": f"s3://{bucket}/models/{stamp}/model.json"}],
            "SupportedContentTypes": ["text/csv"],
            "SupportedResponseMIMETypes": ["text/csv"],
        },
        ModelMetrics={
            "ModelQuality": {
                "Statistics": {
                    "ContentType": "application/json",
                    "S3Uri": f"s3://{bucket}/evaluation/{stamp}/evaluation.json",
                }
            }
        },
    )["ModelPackageArn"]
    return str(arn)


def run_deploy_build(deploy_repo: Path, url: str, group: str, out: Path) -> dict[str, Any]:
    """Run the packaged deploy build.py as CodeBuild would, against the emulator; returns deployment.json."""
    env = {
        **{k: v for k, v in os.environ.items() if not k.startswith("AWS_")},
        **_emulator_env(url),
        "SAGEMAKER_PROJECT_NAME": PROJECT_NAME,
        "SAGEMAKER_PROJECT_ID": PROJECT_ID,
        "MODEL_PACKAGE_GROUP_NAME": group,
        "ARTIFACT_BUCKET": f"sagemaker-project-{PROJECT_ID}",
        "KMS_KEY_ARN": f"arn:aws:kms:{REGION}:{ACCOUNT}:key/demo",
        "SAGEMAKER_EXECUTION_ROLE_ARN": f"arn:aws:iam::{ACCOUNT}:role/mlops-{PROJECT_ID}-sagemaker",
        "DEPLOY_STAGES_JSON": json.dumps(STAGES),
    }
    proc = subprocess.run(
        [sys.executable, "build.py", "--output-dir", str(out)],
        cwd=deploy_repo,
        env=env,
        capture_output=True,
        text=True,
        check=False,
        timeout=300,
    )
    if proc.returncode != 0:
        raise CheckFailed(f"deploy build.py failed: {proc.stderr.strip()[-2000:]}")
    result: dict[str, Any] = json.loads((out / "deployment.json").read_text())
    result["stage_files"] = {s["name"]: json.loads((out / f"{s['name']}.tfvars.json").read_text()) for s in STAGES}
    result["log"] = proc.stderr.strip()
    return result


def simulate_apply(session: boto3.Session, url: str, deployment: Mapping[str, Any]) -> None:
    """Stand-in for the deploy stage's `terraform apply`: endpoints tagged with the package they serve."""
    sagemaker = session.client("sagemaker", endpoint_url=url)
    for variables in deployment["stage_files"].values():
        name = variables["endpoint_name"]
        suffix = time.time_ns()
        model = f"{name}-{suffix}"
        tags: list[Any] = [
            *({"Key": k, "Value": v} for k, v in variables["tags"].items()),
            {"Key": "mlops:model-package-arn", "Value": variables["model_package_arn"]},
        ]
        sagemaker.create_model(
            ModelName=model,
            ExecutionRoleArn=variables["execution_role_arn"],
            PrimaryContainer={"ModelPackageName": variables["model_package_arn"]},
            Tags=tags,
        )
        config = f"{name}-{suffix}"
        sagemaker.create_endpoint_config(
            EndpointConfigName=config,
            ProductionVariants=[
                {
                    "VariantName": "AllTraffic",
                    "ModelName": model,
                    "InstanceType": variables["instance_type"],
                    "InitialInstanceCount": variables["instance_count"],
                }
            ],
            Tags=tags,
        )
        try:
            arn = sagemaker.describe_endpoint(EndpointName=name)["EndpointArn"]
            sagemaker.update_endpoint(EndpointName=name, EndpointConfigName=config)
            sagemaker.add_tags(ResourceArn=arn, Tags=tags)
        except sagemaker.exceptions.ClientError:
            sagemaker.create_endpoint(EndpointName=name, EndpointConfigName=config, Tags=tags)
        if variables.get("autoscaling"):
            _autoscale(session.client("application-autoscaling", endpoint_url=url), name, variables["autoscaling"])


def _autoscale(autoscaling: Any, endpoint: str, settings: Mapping[str, int]) -> None:
    """The endpoint Terraform's scalable target and target-tracking policy."""
    scope = {
        "ServiceNamespace": "sagemaker",
        "ResourceId": f"endpoint/{endpoint}/variant/AllTraffic",
        "ScalableDimension": "sagemaker:variant:DesiredInstanceCount",
    }
    autoscaling.register_scalable_target(
        **scope, MinCapacity=settings["min_capacity"], MaxCapacity=settings["max_capacity"]
    )
    autoscaling.put_scaling_policy(
        **scope,
        PolicyName=f"{endpoint}-invocations",
        PolicyType="TargetTrackingScaling",
        TargetTrackingScalingPolicyConfiguration={
            "TargetValue": settings["target_invocations_per_instance"],
            "PredefinedMetricSpecification": {"PredefinedMetricType": "SageMakerVariantInvocationsPerInstance"},
        },
    )


class RecordingRegistry:
    """Answers DeleteModelPackage (which moto lacks) for a real SageMaker client, and records the deletions.

    Like :class:`RecordingCodeCommit`, the hook runs after the request was validated against the real model.
    """

    def __init__(self, client: Any) -> None:
        self.deleted: list[str] = []
        client.meta.events.register("before-call.sagemaker.DeleteModelPackage", self._delete_model_package)

    def _delete_model_package(self, params: dict[str, Any], **_: Any) -> tuple[Any, dict[str, Any]]:
        self.deleted.append(json.loads(params["body"])["ModelPackageName"])
        return _http(200), {}


def project_tags() -> list[Any]:
    return [
        {"Key": "sagemaker:project-name", "Value": PROJECT_NAME},
        {"Key": "sagemaker:project-id", "Value": PROJECT_ID},
    ]


def delete_project(session: boto3.Session, url: str, group: str) -> tuple[dict[str, Any], dict[str, list[str]]]:
    """Run the teardown handler as `terraform destroy` of the project invokes it; return its answer and what is left."""
    sagemaker = session.client("sagemaker", endpoint_url=url)
    autoscaling = session.client("application-autoscaling", endpoint_url=url)
    registry = RecordingRegistry(sagemaker)
    event = {
        "project_name": PROJECT_NAME,
        "project_id": PROJECT_ID,
        "model_package_group_name": group,
        "sagemaker_pipeline_name": f"{PROJECT_NAME}-{PROJECT_ID}-pipeline",
        "tf": {"action": "delete", "prev_input": None},
    }
    result = project_teardown.teardown(sagemaker, autoscaling, event, project_teardown.Clock(time.monotonic() + 120))
    prefix = f"{PROJECT_NAME}-"
    packages = sagemaker.list_model_packages(ModelPackageGroupName=group)["ModelPackageSummaryList"]
    left = {
        "endpoints": [e["EndpointName"] for e in sagemaker.list_endpoints()["Endpoints"]],
        "endpoint_configs": [c["EndpointConfigName"] for c in sagemaker.list_endpoint_configs()["EndpointConfigs"]],
        "models": [m["ModelName"] for m in sagemaker.list_models()["Models"]],
        "pipelines": [p["PipelineName"] for p in sagemaker.list_pipelines()["PipelineSummaries"]],
        "model_packages": [p["ModelPackageArn"] for p in packages if p["ModelPackageArn"] not in registry.deleted],
        "scalable_targets": [
            t["ResourceId"]
            for t in autoscaling.describe_scalable_targets(ServiceNamespace="sagemaker")["ScalableTargets"]
        ],
    }
    return result, {kind: sorted(n for n in names if prefix in n) for kind, names in left.items()}


def _print_artifacts(console: Console, artifacts: list[packaging.Artifact]) -> None:
    table = Table(title="packaged artifacts")
    for column in ("kind", "name", "version", "size", "sha256"):
        table.add_column(column)
    for a in sorted(artifacts, key=lambda a: a.key):
        table.add_row(a.kind, a.name, a.version, f"{a.size:,}", a.sha256[:12])
    console.print(table)


def _print_plans(console: Console, manifest: Mapping[str, Any], plans: Mapping[str, dict[str, int]]) -> None:
    table = Table(title="catalog: products, versions, and what a project of each creates")
    table.add_column("product")
    table.add_column("versions")
    table.add_column("a project creates")
    for name, product in sorted(manifest["products"].items()):
        versions = ", ".join(f"{v} ({d['guidance']})" for v, d in sorted(product["versions"].items()))
        creates = plans.get(f"products/{name}", {})
        summary = "\n".join(f"{n} x {t}" for t, n in creates.items())
        table.add_row(name, versions, f"{sum(creates.values())} resources\n{summary}")
    console.print(table)


def _print_deployment(console: Console, title: str, deployment: Mapping[str, Any]) -> None:
    table = Table(title=title)
    table.add_column("stage")
    table.add_column("endpoint")
    table.add_column("model package")
    table.add_column("hosting")
    for stage, variables in deployment["stage_files"].items():
        hosting = f"{variables['instance_count']} x {variables['instance_type']}"
        if variables.get("autoscaling"):
            hosting += (
                f", autoscaling {variables['autoscaling']['min_capacity']}-{variables['autoscaling']['max_capacity']}"
            )
        table.add_row(stage, variables["endpoint_name"], variables["model_package_arn"].rsplit("/", 2)[-1], hosting)
    console.print(table)
    if deployment.get("rollback"):
        console.print(f"[bold yellow]ROLLBACK[/]: {deployment['rolled_back_from']} was rejected")


def run(repo: Path, console: Console, terraform_env: TerraformEnv | None = None) -> DemoReport:
    """The demo on the local emulator; raises CheckFailed naming the step that failed. ``terraform_env`` adds to
    the environment of its terraform commands."""
    started = time.monotonic()
    report = DemoReport()
    steps = Steps(console, report)
    with steps.step("toolchain"):
        _check_toolchain(console)
    source = provider_sources()[0]
    server = emulator.start()
    console.print(f"[green]✓[/] local AWS emulator (moto) on {server.url}")
    try:
        with tempfile.TemporaryDirectory(prefix="mlops-demo-") as tmp, _environment(_emulator_env(server.url)):
            work = Path(tmp)
            session = boto3.Session(region_name=REGION)
            _run_steps(repo, console, steps, report, source, server.url, session, work, terraform_env)
    finally:
        server.stop()
        console.print("[green]✓[/] emulator stopped")
    report.seconds = time.monotonic() - started
    summary = Table(title=f"demo finished in {report.seconds:.0f}s")
    summary.add_column("step")
    summary.add_column("seconds", justify="right")
    for title, seconds in report.steps:
        summary.add_row(title, f"{seconds:.1f}")
    console.print(summary)
    return report


def _run_steps(
    repo: Path,
    console: Console,
    steps: Steps,
    report: DemoReport,
    source: ProviderSource,
    url: str,
    session: boto3.Session,
    work: Path,
    terraform_env: TerraformEnv | None = None,
) -> None:
    dist = work / "dist"
    with steps.step("package products, seed code and the seed-push function"):
        result = packaging.package(repo, dist)
        report.artifacts = result.new
        _print_artifacts(console, result.new)
    manifest = result.manifest

    with steps.step("upload to the catalog bucket in the emulator (twice: the second run sends nothing)"):
        key_arn = create_catalog_bucket(session, url)
        s3 = session.client("s3", endpoint_url=url)
        first = uploading.upload(s3, dist, CATALOG_BUCKET)
        second = uploading.upload(s3, dist, CATALOG_BUCKET)
        if second.uploaded:
            raise CheckFailed(f"second upload re-sent {len(second.uploaded)} artifact(s)")
        console.print(f"s3://{CATALOG_BUCKET}: {len(first.uploaded)} uploaded, then {len(second.skipped)} skipped")

    with steps.step(f"terraform plan of the catalog and the products ({source.label})"):
        catalog = repo / "catalog"
        if (catalog / "main.tf").exists():
            manifest_copy = json.dumps(manifest)
            report.plans["catalog"] = plan_root(
                catalog,
                source,
                url,
                {
                    "manifest_path": "demo-manifest.json",
                    "artifact_bucket_name": CATALOG_BUCKET,
                    "artifact_kms_key_arn": key_arn,
                    "teams": {"data-science": {"principal_arns": {"studio": STUDIO_ROLE_ARN}}},
                    "tag_options": {"cost-center": ["cc-100", "cc-200"]},
                },
                extra={"demo-manifest.json": manifest_copy},
                terraform_env=terraform_env,
            )
            catalog_plan = report.plans["catalog"]
            console.print(
                f"catalog/: {sum(catalog_plan.values())} resources to create: "
                + ", ".join(f"{n} x {t}" for t, n in catalog_plan.items() if t.startswith("aws_servicecatalog"))
            )
        for name in sorted(manifest["products"]):
            variables = product_variables(name)
            report.plans[f"products/{name}"] = plan_root(
                repo / "products" / name, source, url, variables, terraform_env=terraform_env
            )
        _print_plans(console, manifest, report.plans)

    with steps.step("create the project's repositories and push the seed code"):
        push_seed_code(session, url, manifest, report)
        for repository, commits in report.commits.items():
            files = sum(len(c["files"]) for c in commits)
            console.print(f"{repository}: {len(commits)} commit(s), {files} files ({commits[0]['commitId'][:12]})")

    if "build-train-deploy-git" in manifest["products"]:
        with steps.step("a third-party git project: seed its GitHub/GitLab repositories (a local git host)"):
            push_seed_code_to_git_host(session, url, manifest, report, work)
            for full_id, pushed in report.git_repositories.items():
                console.print(
                    f"{full_id}@main: {len(pushed['files'])} files ({pushed['commit'][:12]}); "
                    f"invoked again: {pushed['again']['status']} ({pushed['again']['reason']})"
                )

    if "build-train-deploy-anygit" in manifest["products"]:
        with steps.step("an any-git project: seed with the token in Secrets Manager, export a signed push"):
            run_any_git_project(session, url, key_arn, manifest, report, work)
            firsts = ", ".join(
                f"{n} {e['status']} {e['commit'][:12]}" for n, e in report.any_git["first_exports"].items()
            )
            console.print(f"first exports: {firsts}")
            pushed, exported = report.any_git["head"][:12], report.any_git["exported_commit"][:12]
            console.print(
                f"push {pushed} to model_build: webhook {report.any_git['status']} "
                f"({report.any_git['answer']['status']}), s3 sources/model_build.zip at {exported}"
            )

    released = manifest["products"]["build-train-deploy"]["versions"]
    seed_keys = released[packaging.newest_version(released)]["seed_code_keys"]
    with steps.step("run the model-build code on the sample data (XGBoost training)"):
        report.evaluation = train_locally(dist / seed_keys["model_build"], work)
        mse = report.evaluation["regression_metrics"]["mse"]["value"]
        console.print(f"test MSE {mse:.3f}")

    group = f"{PROJECT_NAME}-{PROJECT_ID}-models"
    sagemaker = session.client("sagemaker", endpoint_url=url)
    deploy_repo = work / "modeldeploy"
    with zipfile.ZipFile(dist / seed_keys["model_deploy"]) as archive:
        archive.extractall(deploy_repo)
    model = Path(report.evaluation["model"])

    sagemaker.create_model_package_group(ModelPackageGroupName=group, Tags=project_tags())
    # What the model build's run_pipeline.py upserts (a stand-in definition: no step runs in the emulator).
    sagemaker.create_pipeline(
        PipelineName=f"{PROJECT_NAME}-{PROJECT_ID}-pipeline",
        PipelineDefinition=json.dumps({"Version": "2020-12-01", "Parameters": [], "Steps": []}),
        RoleArn=f"arn:aws:iam::{ACCOUNT}:role/mlops-{PROJECT_ID}-sagemaker",
        Tags=project_tags(),
        ClientRequestToken=f"{PROJECT_ID}-create-pipeline-request",
    )
    versions: list[str] = []
    for number in (1, 2):
        with steps.step(f"register version {number}, approve it, deploy"):
            arn = register(session, url, group, model, report.evaluation)
            versions.append(arn)
            sagemaker.update_model_package(ModelPackageArn=arn, ModelApprovalStatus="Approved")
            deployment = run_deploy_build(deploy_repo, url, group, work / f"out-{number}")
            simulate_apply(session, url, deployment)
            _expect(deployment, arn, rollback=False)
            report.deployments.append(deployment)
            _print_deployment(console, f"deploy build: version {number} approved", deployment)
    v1, v2 = versions

    with steps.step("reject version 2: roll back to version 1"):
        sagemaker.update_model_package(ModelPackageArn=v2, ModelApprovalStatus="Rejected")
        deployment = run_deploy_build(deploy_repo, url, group, work / "out-3")
        _expect(deployment, v1, rollback=True)
        report.deployments.append(deployment)
        _print_deployment(console, "deploy build: version 2 rejected", deployment)

    with steps.step("delete the project: the teardown removes what the pipelines created"):
        report.teardown, report.left = delete_project(session, url, group)
        _print_teardown(console, report.teardown, report.left)
        if any(report.left.values()):
            raise CheckFailed(f"deleting the project left {report.left}")


def _print_teardown(console: Console, result: Mapping[str, Any], left: Mapping[str, list[str]]) -> None:
    table = Table(title=f"project {PROJECT_NAME} deleted: what the teardown removed, and what is left")
    for column in ("kind", "removed", "left"):
        table.add_column(column)
    for kind, names in left.items():
        removed = result["removed"].get(kind, [])
        table.add_row(kind, "\n".join(n.rsplit(":", 1)[-1] for n in removed) or "-", ", ".join(names) or "nothing")
    console.print(table)


def _expect(deployment: Mapping[str, Any], arn: str, rollback: bool) -> None:
    if deployment["model_package_arn"] != arn or bool(deployment.get("rollback")) != rollback:
        raise CheckFailed(
            f"deploy build chose {deployment['model_package_arn']} (rollback={deployment.get('rollback')}); "
            f"expected {arn} (rollback={rollback})"
        )


def run_real(
    repo: Path,
    console: Console,
    bucket: str | None,
    profile: str | None,
    region: str | None,
    var_files: Sequence[Path] = (),
) -> None:
    """With AWS credentials: package, upload and plan the catalog against the account. Never applies.

    The plan uses the catalog's own settings (``catalog/terraform.tfvars`` or ``var_files``) and only points
    ``manifest_path`` at the fresh ``dist/``; the bucket is never overridden, so a catalog that manages its bucket
    does not plan to replace it.
    """
    session = aws.session(profile=profile, region=region)
    if session.get_credentials() is None:
        raise CheckFailed("--real needs AWS credentials (a profile, environment variables or an instance role)")
    missing = [str(f) for f in var_files if not f.is_file()]
    if missing:
        raise UsageError(f"--var-file not found: {', '.join(missing)}")
    report = DemoReport()
    steps = Steps(console, report)
    dist = repo / "dist"
    with steps.step("package"):
        _print_artifacts(console, packaging.package(repo, dist).new)
    name = bucket or aws.catalog_bucket_name(aws.client(session, "ssm"))
    with steps.step(f"upload to s3://{name}"):
        result = uploading.upload(aws.client(session, "s3"), dist, name)
        console.print(f"{len(result.uploaded)} uploaded, {len(result.skipped)} already there")
    with steps.step("terraform plan of catalog/ (no apply)"):
        source = provider_sources()[0]
        settings = {"TF_IN_AUTOMATION": "1", "CHECKPOINT_DISABLE": "1", "AWS_REGION": str(session.region_name)}
        if profile:
            settings["AWS_PROFILE"] = profile
        env = source.env({**os.environ, **settings})
        plan_args = ["plan", "-input=false", f"-var=manifest_path={(dist / packaging.MANIFEST_NAME).resolve()}"]
        plan_args += [f"-var-file={f.resolve()}" for f in var_files]
        for args in (["init", "-input=false", *source.init_args()], plan_args):
            proc = subprocess.run([tfrun.terraform_binary(), *args], cwd=repo / "catalog", env=env, check=False)
            if proc.returncode != 0:
                raise CheckFailed(
                    f"terraform {args[0]} of catalog/ failed (exit {proc.returncode}): see its output above"
                )
