"""The calls of the git-seed and git-webhook functions, recorded while they run against a real git host
(``git http-backend`` on 127.0.0.1) and moto, evaluated for their roles in the any-git project's plan
(cases/any_git.yaml: its plan, principals and bucket policy). The case file lists the requests by hand; this
derives them from the code, so that a new call without a grant fails here.

moto names a secret ``<name>-<random suffix>``; the plan's secret ARN stands in for it in the evaluated requests
(the same substitution the other recorded-call tests make for names the plan knows).
"""

from __future__ import annotations

import io
import json
import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import boto3
import pytest

from mlops_templates.git_server import BasicAuth, GitServer, github_push_delivery
from mlops_templates.lambdas import git_seed, git_webhook
from tests.authorization import recorder
from tests.authorization.cases import CASES, load
from tests.authorization.recorder import Need, Recorder
from tests.authorization.test_recorded_calls import KEY_ARN, Project, check_needs, load_project

SPEC: dict[str, Any] = load(CASES / "any_git.yaml")[0]
REGION = "eu-west-1"
ACCOUNT = "123456789012"
PLAN_SECRET = "arn:aws:secretsmanager:eu-west-1:123456789012:secret:churn-git-AbCdEf"
USER, TOKEN, WEBHOOK_SECRET = "reader", "t0ken", "hook-secret"


@pytest.fixture(scope="module")
def project(plan_cache: Path) -> Project:
    return load_project(SPEC, plan_cache)


def as_planned(needs: list[Need], moto_secret: str) -> list[Need]:
    return [Need(n.action, n.resource.replace(moto_secret, PLAN_SECRET), n.context, n.call) for n in needs]


def needs_of(record: Recorder, moto_secret: str) -> list[Need]:
    return as_planned([n for call in record.calls for n in recorder.requests(call, REGION, ACCOUNT)], moto_secret)


@pytest.fixture
def world(project: Project, mocked_aws: None, tmp_path: Path) -> Iterator[dict[str, Any]]:
    """The plan's seed invocation, bucket and secret in moto, and the plan's model-build repository on a git host."""
    seed = project.invocation_input('module.repository["model_build"].aws_lambda_invocation.seed[0]')
    s3 = boto3.client("s3", region_name=REGION)
    bucket = project.resources["module.artifact_bucket.aws_s3_bucket.this"]["bucket"]
    for name in (seed["seed_bucket"], bucket):
        location = {"LocationConstraint": REGION}
        s3.create_bucket(Bucket=name, CreateBucketConfiguration=location)  # type: ignore[arg-type]
    s3.put_bucket_versioning(Bucket=bucket, VersioningConfiguration={"Status": "Enabled"})
    archive = io.BytesIO()
    with zipfile.ZipFile(archive, "w") as zipped:
        zipped.writestr(zipfile.ZipInfo("pipelines/run.py", (2024, 1, 1, 0, 0, 0)), b"print('train')\n")
    s3.put_object(Bucket=seed["seed_bucket"], Key=seed["seed_key"], Body=archive.getvalue())
    secrets = boto3.client("secretsmanager", region_name=REGION)
    moto_secret = secrets.create_secret(
        Name="churn-git", SecretString=json.dumps({"username": USER, "token": TOKEN, "webhook_secret": WEBHOOK_SECRET})
    )["ARN"]
    with GitServer(tmp_path / "host", auth=BasicAuth(USER, TOKEN)) as server:
        server.create_repo(seed["remote"]["repository_url"].split("/", 3)[3])
        yield {
            "seed": seed,
            "s3": s3,
            "secrets": secrets,
            "moto_secret": moto_secret,
            "server": server,
            "bucket": bucket,
        }


def test_git_seed_calls_are_allowed_to_its_role(project: Project, world: Any) -> None:
    """The planned seed invocation (secret remote), its secret swapped for moto's."""
    event = json.loads(json.dumps(world["seed"]))
    event["remote"]["secret_arn"] = world["moto_secret"]
    record = Recorder()
    answer = record.around(git_seed.push)(
        event, s3=world["s3"], secretsmanager=world["secrets"], endpoint_url=world["server"].url
    )
    assert answer["status"] == "pushed"
    needs = needs_of(record, world["moto_secret"])
    assert {n.action for n in needs} == {"s3:GetObject", "secretsmanager:GetSecretValue"}
    check_needs(project, "git-seed", needs)


def test_git_webhook_calls_are_allowed_to_its_role(project: Project, world: Any) -> None:
    """The first export (at creation) and a signed push delivery, with the plan's bucket and export keys."""
    seed = world["seed"]
    event = json.loads(json.dumps(seed))
    event["remote"]["secret_arn"] = world["moto_secret"]
    git_seed.push(event, s3=world["s3"], secretsmanager=world["secrets"], endpoint_url=world["server"].url)
    target = git_webhook.Target(
        "model_build",
        seed["remote"]["repository_url"],
        seed["branch"],
        world["bucket"],
        "sources/model_build.zip",
        KEY_ARN,
    )
    config = git_webhook.Config(secret_arn=world["moto_secret"], targets={"model_build": target})
    record = Recorder()
    clients = {"secretsmanager": world["secrets"], "s3": world["s3"], "endpoint_url": world["server"].url}
    first = record.around(git_webhook.direct_export)({"export": "model_build"}, config=config, **clients)
    assert first["status"] == "exported"
    path = seed["remote"]["repository_url"].split("/", 3)[3]
    head = world["server"].commit(path, seed["branch"], {"README.md": b"changed\n"}, "A push")
    delivery = github_push_delivery("model_build", seed["branch"], head, WEBHOOK_SECRET)
    answer = record.around(git_webhook.handle)(delivery, config=config, **clients)
    assert answer["statusCode"] == 200 and json.loads(answer["body"])["commit"] == head
    needs = needs_of(record, world["moto_secret"])
    assert {n.action for n in needs} == {"s3:GetObject", "s3:PutObject", "secretsmanager:GetSecretValue"}
    check_needs(project, "webhook", needs)
