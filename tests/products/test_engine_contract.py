"""The packaged product as the Service Catalog Terraform engine runs it.

The engine unpacks the artifact, adds three files and runs terraform (DESIGN.md, read from
aws-samples/service-catalog-engine-for-terraform-os): ``backend_override.tf.json`` (S3 state in its bucket),
``provider_override.tf.json`` (region, ``assume_role`` with the launch role, ``default_tags``) and
``variable_override.tf.json`` (a ``default`` per provisioning parameter). This test does the same against moto with
the real provider: S3 backend state in the emulator, the launch role assumed through moto's STS, the catalog bucket
found through its SSM parameter, and the plan checked for what a project gets.
"""

from __future__ import annotations

import json
import tarfile
from pathlib import Path
from typing import Any

import pytest

from mlops_templates import packaging, seed_sets, tfrun
from mlops_templates.lambdas import git_seed, seed_push
from mlops_templates.toolchain import ProviderSource
from mlops_templates.upload import upload
from tests.harness.moto import MotoServer
from tests.harness.paths import REPO
from tests.harness.terraform import init

ACCOUNT = "123456789012"
STATE_BUCKET = "sc-terraform-engine-state"
CATALOG_BUCKET = "mlops-templates-catalog-123456789012-eu-west-1"
ENGINE_TAGS = {"servicecatalog:provisioning": "true", "team": "fraud", "cost-center": "cc-100"}


PROJECT = {"SageMakerProjectName": "fraud-detect", "SageMakerProjectId": "p-abcdef123456"}
CONNECTION = "arn:aws:codeconnections:eu-west-1:123456789012:connection/0f1e2d3c-4b5a-6978-8695-a4b3c2d1e0f9"
# What Studio passes to build-train-deploy-git besides the project (the branch parameters keep their defaults).
GIT_PARAMETERS = {
    "CodeConnectionArn": CONNECTION,
    "ModelBuildCodeRepositoryFullname": "fraud-team/fraud-modelbuild",
    "ModelDeployCodeRepositoryFullname": "fraud-team/fraud-modeldeploy",
}


# What Studio passes to build-train-deploy-anygit besides the project.
SECRET = "arn:aws:secretsmanager:eu-west-1:123456789012:secret:fraud-git-AbCdEf"
ANYGIT_PARAMETERS = {
    "GitCredentialsSecretArn": SECRET,
    "ModelBuildCodeRepositoryUrl": "https://dev.azure.com/contoso/fraud/_git/modelbuild",
    "ModelDeployCodeRepositoryUrl": "https://gitea.example.com/fraud/modeldeploy.git",
}


def engine_files(url: str, parameters: dict[str, str] = PROJECT) -> dict[str, Any]:
    """The engine's three files. The provider's override is the engine's (no endpoints): the provider reaches moto
    through the emulator endpoint of its process (AWS_ENDPOINT_URL, every service; see :func:`provision`), which costs
    it none of the seconds of CPU an ``endpoints`` block of 17 services cost at every command. The S3 backend is
    terraform's own and names moto in its block."""
    common = {
        "region": tfrun.REGION,
        "access_key": "engine",
        "secret_key": "engine",
        "skip_credentials_validation": True,
        "skip_metadata_api_check": True,
        "skip_region_validation": True,
    }
    return {
        "backend_override.tf.json": {
            "terraform": {
                "backend": {
                    "s3": {
                        **common,
                        "bucket": STATE_BUCKET,
                        "key": "pp-abcdefghijklm/terraform.tfstate",
                        "use_lockfile": True,
                        "use_path_style": True,
                        "skip_requesting_account_id": True,
                        "endpoints": {"s3": url, "sts": url},
                    }
                }
            }
        },
        "provider_override.tf.json": {
            "provider": {
                "aws": {
                    **common,
                    "s3_use_path_style": True,
                    "assume_role": {"role_arn": f"arn:aws:iam::{ACCOUNT}:role/mlops-launch-build-train-deploy"},
                    "default_tags": {"tags": ENGINE_TAGS},
                }
            }
        },
        "variable_override.tf.json": {"variable": {name: {"default": value} for name, value in parameters.items()}},
    }


def provision(
    product: str,
    parameters: dict[str, str],
    source: ProviderSource,
    moto: MotoServer,
    tmp_path: Path,
    catalog_parameters: dict[str, str] | None = None,
) -> dict[str, Any]:
    """Package and upload the catalog's artifacts to moto, then plan ``product`` the way the engine runs it (with the
    catalog's SSM parameters: its bucket, and ``catalog_parameters``)."""
    moto.reset()
    s3 = moto.client("s3", tfrun.REGION)
    for bucket in (STATE_BUCKET, CATALOG_BUCKET):
        s3.create_bucket(Bucket=bucket, CreateBucketConfiguration={"LocationConstraint": "eu-west-1"})
    # The catalog bucket as catalog/ makes it: SSE-KMS by default; then the artifacts go in with `upload`.
    key_arn = moto.client("kms", tfrun.REGION).create_key()["KeyMetadata"]["Arn"]
    s3.put_bucket_encryption(
        Bucket=CATALOG_BUCKET,
        ServerSideEncryptionConfiguration={
            "Rules": [{"ApplyServerSideEncryptionByDefault": {"SSEAlgorithm": "aws:kms", "KMSMasterKeyID": key_arn}}]
        },
    )
    ssm = moto.client("ssm", tfrun.REGION)
    for name, value in {"/mlops-templates/catalog-bucket-name": CATALOG_BUCKET, **(catalog_parameters or {})}.items():
        ssm.put_parameter(Name=name, Value=value, Type="String")
    packaging.package(REPO, tmp_path / "dist", [product])
    upload(s3, tmp_path / "dist", CATALOG_BUCKET)
    manifest = json.loads((tmp_path / "dist" / "manifest.json").read_text())
    (artifact,) = [a for a in manifest["artifacts"] if a["kind"] == "products" and a["name"] == product]
    root = tmp_path / "provisioning"
    with tarfile.open(tmp_path / "dist" / artifact["key"]) as tar:
        tar.extractall(root, filter="data")
    for name, content in engine_files(moto.url, {**PROJECT, **parameters}).items():
        (root / name).write_text(json.dumps(content))
    result = init(root, source, endpoint_url=moto.url).plan_json()
    result["catalog_key_arn"] = key_arn
    return result


@pytest.fixture(scope="module")
def plan(
    real_provider_source: ProviderSource, moto_server: MotoServer, tmp_path_factory: pytest.TempPathFactory
) -> dict[str, Any]:
    return provision("build-train-deploy", {}, real_provider_source, moto_server, tmp_path_factory.mktemp("engine"))


@pytest.fixture(scope="module")
def git_plan(
    real_provider_source: ProviderSource, moto_server: MotoServer, tmp_path_factory: pytest.TempPathFactory
) -> dict[str, Any]:
    return provision(
        "build-train-deploy-git", GIT_PARAMETERS, real_provider_source, moto_server, tmp_path_factory.mktemp("git")
    )


@pytest.fixture(scope="module")
def anygit_plan(
    real_provider_source: ProviderSource, moto_server: MotoServer, tmp_path_factory: pytest.TempPathFactory
) -> dict[str, Any]:
    return provision(
        "build-train-deploy-anygit",
        ANYGIT_PARAMETERS,
        real_provider_source,
        moto_server,
        tmp_path_factory.mktemp("any"),
    )


@pytest.fixture(scope="module")
def multi_branch_plan(
    real_provider_source: ProviderSource, moto_server: MotoServer, tmp_path_factory: pytest.TempPathFactory
) -> dict[str, Any]:
    return provision("multi-branch", {}, real_provider_source, moto_server, tmp_path_factory.mktemp("branches"))


@pytest.fixture(scope="module")
def build_train_plan(
    real_provider_source: ProviderSource, moto_server: MotoServer, tmp_path_factory: pytest.TempPathFactory
) -> dict[str, Any]:
    return provision("build-train", {}, real_provider_source, moto_server, tmp_path_factory.mktemp("build-train"))


# What Studio passes to build-train-deploy-github-actions besides the project, and the catalog's OIDC provider.
TOKEN_SECRET = "arn:aws:secretsmanager:eu-west-1:123456789012:secret:fraud-github-token-AbCdEf"
GITHUB_OIDC_PROVIDER = "arn:aws:iam::123456789012:oidc-provider/token.actions.githubusercontent.com"


@pytest.fixture(scope="module")
def github_actions_plan(
    real_provider_source: ProviderSource, moto_server: MotoServer, tmp_path_factory: pytest.TempPathFactory
) -> dict[str, Any]:
    return provision(
        "build-train-deploy-github-actions",
        {**GIT_PARAMETERS, "GitHubTokenSecretArn": TOKEN_SECRET},
        real_provider_source,
        moto_server,
        tmp_path_factory.mktemp("github-actions"),
        catalog_parameters={"/mlops-templates/github-oidc-provider-arn": GITHUB_OIDC_PROVIDER},
    )


def managed(plan: dict[str, Any], resource_type: str) -> list[dict[str, Any]]:
    return [rc for rc in plan["resource_changes"] if rc["mode"] == "managed" and rc["type"] == resource_type]


def test_engine_run_plans_the_project(plan: dict[str, Any]) -> None:
    changes = [rc for rc in plan["resource_changes"] if rc["mode"] == "managed"]
    by_type: dict[str, int] = {}
    for rc in changes:
        by_type[rc["type"]] = by_type.get(rc["type"], 0) + 1
    assert by_type["aws_codecommit_repository"] == 2
    assert by_type["aws_codepipeline"] == 2
    assert by_type["aws_lambda_invocation"] == 3, (
        "seed code is pushed and the teardown is armed: artifacts.json named them"
    )
    repos = sorted(
        rc["change"]["after"]["repository_name"] for rc in changes if rc["type"] == "aws_codecommit_repository"
    )
    # SageMaker's own templates' naming, which the personas' git grants expect
    assert repos == [f"sagemaker-fraud-detect-p-abcdef123456-{kind}" for kind in ("modelbuild", "modeldeploy")]


def test_build_train_project_trains_and_registers_and_deploys_nothing(build_train_plan: dict[str, Any]) -> None:
    """build-train the engine's way: the model-build repository seeded with the default set's model-build code, its
    pipeline and build, the group; no model-deploy repository, build, pipeline, role or approval rule."""
    repos = [rc["change"]["after"]["repository_name"] for rc in managed(build_train_plan, "aws_codecommit_repository")]
    assert repos == ["sagemaker-fraud-detect-p-abcdef123456-modelbuild"]
    assert [rc["change"]["after"]["name"] for rc in managed(build_train_plan, "aws_codepipeline")] == [
        "fraud-detect-p-abcdef123456-modelbuild"
    ]
    assert [rc["change"]["after"]["name"] for rc in managed(build_train_plan, "aws_codebuild_project")] == [
        "fraud-detect-p-abcdef123456-modelbuild"
    ]
    roles = sorted(rc["change"]["after"]["name"] for rc in managed(build_train_plan, "aws_iam_role"))
    assert not [r for r in roles if r.endswith("-modeldeploy")] and "mlops-p-abcdef123456-modelbuild" in roles
    rules = sorted(rc["change"]["after"]["name"] for rc in managed(build_train_plan, "aws_cloudwatch_event_rule"))
    assert rules == ["mlops-p-abcdef123456-model-build-code"], "no approval rule: an approval deploys nothing"
    seeds = [
        json.loads(rc["change"]["after"]["input"])
        for rc in managed(build_train_plan, "aws_lambda_invocation")
        if rc["address"].endswith(".seed[0]")
    ]
    assert [i["seed_key"].rsplit("/", 2)[0] for i in seeds] == ["seed/build-train-deploy/model-build"]
    assert build_train_plan["planned_values"]["outputs"]["seed_code_set"]["value"] == "abalone-xgboost"


def test_seed_code_comes_from_the_catalog_bucket_parameter(plan: dict[str, Any]) -> None:
    (function,) = [
        rc for rc in plan["resource_changes"] if rc["type"] == "aws_lambda_function" and "seed_push" in rc["address"]
    ]
    assert function["change"]["after"]["s3_bucket"] == CATALOG_BUCKET
    assert function["change"]["after"]["s3_key"].startswith(f"lambdas/seed-push/{seed_push.__version__}/")


def test_without_seed_code_set_the_default_set_seeds_the_repositories(plan: dict[str, Any]) -> None:
    """SeedCodeSet left empty (Studio's default): the first of product.yaml's seed_code_sets, from artifacts.json."""
    assert plan["planned_values"]["outputs"]["seed_code_set"]["value"] == "abalone-xgboost"
    inputs = [
        json.loads(rc["change"]["after"]["input"])
        for rc in managed(plan, "aws_lambda_invocation")
        if rc["address"].endswith(".seed[0]")
    ]
    folders = sorted(i["seed_key"].rsplit("/", 2)[0] for i in inputs)
    assert folders == ["seed/build-train-deploy/model-build", "seed/build-train-deploy/model-deploy"]
    version = seed_sets.load_registry(REPO)["abalone-xgboost"].version
    assert {i["seed_key"].rsplit("/", 2)[1] for i in inputs} == {version}, "the set's registered version"


def test_deleting_the_project_runs_the_packaged_teardown(plan: dict[str, Any]) -> None:
    """The engine deletes a project with terraform destroy: the teardown invocation (CRUD) and an emptiable bucket."""
    from mlops_templates.lambdas import project_teardown

    (function,) = [
        rc
        for rc in plan["resource_changes"]
        if rc["type"] == "aws_lambda_function" and "project_teardown" in rc["address"]
    ]
    assert function["change"]["after"]["s3_bucket"] == CATALOG_BUCKET
    assert function["change"]["after"]["s3_key"].startswith(f"lambdas/project-teardown/{project_teardown.__version__}/")
    (invocation,) = [rc for rc in plan["resource_changes"] if rc["address"].endswith("aws_lambda_invocation.this")]
    assert invocation["change"]["after"]["lifecycle_scope"] == "CRUD"
    (bucket,) = [rc for rc in plan["resource_changes"] if rc["type"] == "aws_s3_bucket"]
    assert bucket["change"]["after"]["force_destroy"] is True


def test_engine_tags_and_project_tags_reach_every_resource(plan: dict[str, Any]) -> None:
    (bucket,) = [rc for rc in plan["resource_changes"] if rc["type"] == "aws_s3_bucket"]
    tags_all = bucket["change"]["after"]["tags_all"]
    assert {**ENGINE_TAGS, "sagemaker:project-id": "p-abcdef123456"}.items() <= tags_all.items()


def test_catalog_key_is_read_from_the_seed_push_package(plan: dict[str, Any]) -> None:
    """The product finds the catalog key in the package's SSE-KMS header (the seed-push role's kms:Decrypt)."""
    (lookup,) = [
        r
        for child in plan["prior_state"]["values"]["root_module"]["child_modules"]
        for r in child.get("resources", [])
        if r["address"] == "module.project.data.aws_s3_object.seed_push_function[0]"
    ]
    assert lookup["values"]["server_side_encryption"] == "aws:kms"
    assert lookup["values"]["sse_kms_key_id"] == plan["catalog_key_arn"]


def test_git_project_checks_the_seed_into_the_existing_repositories(git_plan: dict[str, Any]) -> None:
    """build-train-deploy-git: no CodeCommit; the git-seed function (from the catalog) seeds the given branches."""
    assert managed(git_plan, "aws_codecommit_repository") == []
    (function,) = [rc for rc in managed(git_plan, "aws_lambda_function") if "seed_push_function" in rc["address"]]
    assert function["change"]["after"]["handler"] == "git_seed.handler"
    assert function["change"]["after"]["s3_bucket"] == CATALOG_BUCKET
    assert function["change"]["after"]["s3_key"].startswith(f"lambdas/git-seed/{git_seed.__version__}/")
    events = [json.loads(rc["change"]["after"]["input"]) for rc in managed(git_plan, "aws_lambda_invocation")]
    inputs = {event["remote"]["full_repository_id"]: event for event in events if "remote" in event}
    assert sorted(inputs) == ["fraud-team/fraud-modelbuild", "fraud-team/fraud-modeldeploy"]
    for event in inputs.values():
        assert event["remote"] == {**event["remote"], "kind": "codeconnections", "connection_arn": CONNECTION}
        assert event["branch"] == "main" and event["seed_bucket"] == CATALOG_BUCKET
        assert event["seed_key"].startswith("seed/build-train-deploy/")


def test_git_project_pipelines_start_on_a_push_to_the_branch(git_plan: dict[str, Any]) -> None:
    pipelines = managed(git_plan, "aws_codepipeline")
    assert len(pipelines) == 2
    for pipeline in pipelines:
        after = pipeline["change"]["after"]
        source = after["stage"][0]["action"][0]
        assert (
            source["provider"] == "CodeStarSourceConnection" and source["configuration"]["ConnectionArn"] == CONNECTION
        )
        (trigger,) = after["trigger"]
        assert trigger["git_configuration"][0]["push"][0]["branches"][0]["includes"] == ["main"]
    rules = sorted(rc["change"]["after"]["name"] for rc in managed(git_plan, "aws_cloudwatch_event_rule"))
    assert rules == ["mlops-p-abcdef123456-model-approval"], "pushes start the pipelines through their triggers"


def test_git_project_reads_the_catalog_key_from_the_git_seed_package(git_plan: dict[str, Any]) -> None:
    (lookup,) = [
        r
        for child in git_plan["prior_state"]["values"]["root_module"]["child_modules"]
        for r in child.get("resources", [])
        if r["address"] == "module.project.data.aws_s3_object.seed_push_function[0]"
    ]
    assert lookup["values"]["key"].startswith("lambdas/git-seed/")
    assert lookup["values"]["sse_kms_key_id"] == git_plan["catalog_key_arn"]


def test_anygit_project_seeds_with_the_secret_and_exports_through_its_webhook(anygit_plan: dict[str, Any]) -> None:
    """build-train-deploy-anygit the engine's way: the git-seed and git-webhook functions from the catalog bucket,
    the seed pushes with the secret's credentials, a first export of each branch, S3-sourced pipelines."""
    from mlops_templates.lambdas import git_webhook

    assert managed(anygit_plan, "aws_codecommit_repository") == []
    functions = {
        rc["change"]["after"]["handler"]: rc["change"]["after"] for rc in managed(anygit_plan, "aws_lambda_function")
    }
    assert functions["git_seed.handler"]["s3_key"].startswith(f"lambdas/git-seed/{git_seed.__version__}/")
    assert functions["git_webhook.handler"]["s3_key"].startswith(f"lambdas/git-webhook/{git_webhook.__version__}/")
    assert {f["s3_bucket"] for f in functions.values()} == {CATALOG_BUCKET}
    events = [json.loads(rc["change"]["after"]["input"]) for rc in managed(anygit_plan, "aws_lambda_invocation")]
    seeds = {e["remote"]["repository_url"]: e for e in events if "remote" in e}
    assert sorted(seeds) == sorted(
        [ANYGIT_PARAMETERS["ModelBuildCodeRepositoryUrl"], ANYGIT_PARAMETERS["ModelDeployCodeRepositoryUrl"]]
    )
    assert all(e["remote"]["kind"] == "secret" and e["remote"]["secret_arn"] == SECRET for e in seeds.values())
    assert sorted(e["export"] for e in events if "export" in e) == ["model_build", "model_deploy"]
    sources = sorted(
        rc["change"]["after"]["stage"][0]["action"][0]["configuration"]["S3ObjectKey"]
        for rc in managed(anygit_plan, "aws_codepipeline")
    )
    assert sources == ["sources/model_build.zip", "sources/model_deploy.zip"]
    (notification,) = managed(anygit_plan, "aws_s3_bucket_notification")
    assert notification["change"]["after"]["eventbridge"] is True
    assert len(managed(anygit_plan, "aws_apigatewayv2_route")) == 1


def test_multi_branch_project_builds_branches_with_the_packaged_function(multi_branch_plan: dict[str, Any]) -> None:
    """multi-branch the engine's way: the branch-pipelines function from the catalog bucket, invoked by the CodeCommit
    branch rule, the hourly reconcile and the experiments pipeline's Name stage; the teardown knows the experiments."""
    from mlops_templates.lambdas import branch_pipelines

    functions = {
        rc["change"]["after"]["handler"]: rc["change"]["after"]
        for rc in managed(multi_branch_plan, "aws_lambda_function")
    }
    assert sorted(functions) == ["branch_pipelines.handler", "project_teardown.handler", "seed_push.handler"]
    branch_function = functions["branch_pipelines.handler"]
    assert branch_function["s3_bucket"] == CATALOG_BUCKET
    assert branch_function["s3_key"].startswith(f"lambdas/branch-pipelines/{branch_pipelines.__version__}/")
    environment = branch_function["environment"][0]["variables"]
    assert json.loads(environment["REPOSITORY"]) == {
        "kind": "codecommit",
        "name": "sagemaker-fraud-detect-p-abcdef123456-modelbuild",
    }
    pipelines = {
        rc["change"]["after"]["name"]: rc["change"]["after"] for rc in managed(multi_branch_plan, "aws_codepipeline")
    }
    experiments = pipelines["fraud-detect-p-abcdef123456-experiments"]
    assert [stage["name"] for stage in experiments["stage"]] == ["Source", "Name", "Build"]
    assert experiments["stage"][1]["action"][0]["configuration"]["FunctionName"] == branch_function["function_name"]
    assert environment["CODEPIPELINE_NAME"] == "fraud-detect-p-abcdef123456-experiments"
    rules = {
        rc["change"]["after"]["name"]: rc["change"]["after"]
        for rc in managed(multi_branch_plan, "aws_cloudwatch_event_rule")
    }
    assert rules["mlops-p-abcdef123456-branch-pipelines-reconcile"]["schedule_expression"] == "rate(1 hour)"
    pattern = json.loads(rules["mlops-p-abcdef123456-branch-pipelines-branches"]["event_pattern"])
    assert pattern["detail"]["referenceName"] == [{"anything-but": ["main"]}]
    permissions = managed(multi_branch_plan, "aws_lambda_permission")
    assert sorted(p["change"]["after"]["statement_id"] for p in permissions) == ["Rule-branches", "Rule-reconcile"]
    (teardown,) = [
        json.loads(rc["change"]["after"]["input"])
        for rc in managed(multi_branch_plan, "aws_lambda_invocation")
        if "project_teardown" in rc["address"]
    ]
    assert teardown["experiments"] == {
        "model_package_group_name": "fraud-detect-p-abcdef123456-experiments",
        "pipeline_role_arn": "arn:aws:iam::123456789012:role/mlops-p-abcdef123456-exp-sagemaker",
    }


def test_github_actions_project_gives_the_workflows_roles_and_dispatches_approvals(
    github_actions_plan: dict[str, Any],
) -> None:
    """build-train-deploy-github-actions the engine's way: the OIDC provider from the catalog's SSM parameter, the
    git-seed and github-dispatch functions from the catalog bucket, no pipeline or build project."""
    from mlops_templates.lambdas import github_dispatch

    plan = github_actions_plan
    assert managed(plan, "aws_codepipeline") == [] and managed(plan, "aws_codebuild_project") == []
    functions = {rc["change"]["after"]["handler"]: rc["change"]["after"] for rc in managed(plan, "aws_lambda_function")}
    assert sorted(functions) == ["git_seed.handler", "github_dispatch.handler", "project_teardown.handler"]
    dispatch = functions["github_dispatch.handler"]
    assert dispatch["s3_bucket"] == CATALOG_BUCKET
    assert dispatch["s3_key"].startswith(f"lambdas/github-dispatch/{github_dispatch.__version__}/")
    environment = dispatch["environment"][0]["variables"]
    assert json.loads(environment["REPOSITORIES"]) == ["fraud-team/fraud-modeldeploy"]
    assert environment["SECRET_ARN"] == TOKEN_SECRET
    roles = {rc["change"]["after"]["name"]: rc["change"]["after"] for rc in managed(plan, "aws_iam_role")}
    for name, subjects in {
        "mlops-p-abcdef123456-modelbuild": ["repo:fraud-team/fraud-modelbuild:ref:refs/heads/main"],
        "mlops-p-abcdef123456-modeldeploy": [
            "repo:fraud-team/fraud-modeldeploy:environment:prod",
            "repo:fraud-team/fraud-modeldeploy:environment:staging",
            "repo:fraud-team/fraud-modeldeploy:ref:refs/heads/main",
        ],
    }.items():
        (statement,) = json.loads(roles[name]["assume_role_policy"])["Statement"]
        assert statement["Principal"] == {"Federated": GITHUB_OIDC_PROVIDER}
        condition = statement["Condition"]["StringEquals"]
        assert condition["token.actions.githubusercontent.com:aud"] == "sts.amazonaws.com"
        sub = condition["token.actions.githubusercontent.com:sub"]  # IAM's JSON: one value or a list
        assert ([sub] if isinstance(sub, str) else sorted(sub)) == subjects
    # The seeds carry each repository's .github/sagemaker-project.json, made of the resources' own values (known once
    # they exist): the whole invocation input is known after apply, and follows the roles, bucket, key and group.
    seeds = [rc for rc in managed(plan, "aws_lambda_invocation") if ".seed[" in rc["address"]]
    assert len(seeds) == 2 and all(rc["change"]["after_unknown"].get("input") for rc in seeds)
    rules = [rc["change"]["after"] for rc in managed(plan, "aws_cloudwatch_event_rule")]
    assert [r["name"] for r in rules] == ["mlops-p-abcdef123456-github-dispatch"]
