"""launch / status / delete-project with botocore's Stubber over the real SageMaker and Service Catalog models.

moto lacks SageMaker CreateProject and most of Service Catalog (see ../shared/TESTING-NOTES.md); the Stubber
validates every request against the real service model and checks its parameters.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterator
from typing import Any

import boto3
import pytest
from botocore.stub import Stubber

from mlops_templates import aws, projects
from mlops_templates.cli import main
from mlops_templates.errors import AwsError, CheckFailed, UsageError

REGION = "eu-west-1"
PRODUCT_ID = "prod-abcdefghijklm"
ARN = "arn:aws:sagemaker:eu-west-1:123456789012:project/demo"
SUMMARY = {"Id": "prodview-x", "ProductId": PRODUCT_ID, "Name": "build-train-deploy"}
# What an end user sees (DescribeProduct): active versions only; 1.10.0 is older than 1.9.0 but the higher version.
ARTIFACTS = [
    {"Id": "pa-110", "Name": "1.10.0", "Guidance": "DEFAULT", "CreatedTime": dt.datetime(2026, 1, 1)},
    {"Id": "pa-190", "Name": "1.9.0", "Guidance": "DEFAULT", "CreatedTime": dt.datetime(2026, 3, 1)},
    {"Id": "pa-dep", "Name": "2.0.0", "Guidance": "DEPRECATED", "CreatedTime": dt.datetime(2026, 5, 1)},
]
PATH = {"Id": "lpv3-team", "Name": "ML team portfolio"}
OTHER_PATH = {"Id": "lpv3-platform", "Name": "Platform portfolio"}
PARAMETERS = [
    {"ParameterKey": "SageMakerProjectName", "ParameterType": "String"},
    {"ParameterKey": "SageMakerProjectId", "ParameterType": "String"},
    {"ParameterKey": "deploy_stages", "ParameterType": "String", "DefaultValue": "[]"},
    {"ParameterKey": "instance_type", "ParameterType": "String", "DefaultValue": "ml.m5.large"},
]


def project(state: str, message: str = "") -> dict[str, Any]:
    return {
        "ProjectArn": ARN,
        "ProjectName": "demo",
        "ProjectId": "p-abcdef123456",
        "ProjectStatus": state,
        "CreationTime": dt.datetime(2026, 1, 1),
        "ServiceCatalogProvisioningDetails": {"ProductId": PRODUCT_ID},
        "ServiceCatalogProvisionedProductDetails": {
            "ProvisionedProductId": "pp-1234567890abc",
            "ProvisionedProductStatusMessage": message,
        },
    }


@pytest.fixture
def stubs() -> Iterator[tuple[Any, Stubber, Any, Stubber]]:
    kwargs = {"region_name": REGION, "aws_access_key_id": "x", "aws_secret_access_key": "x"}
    sagemaker = boto3.client("sagemaker", **kwargs)  # type: ignore[call-overload]
    servicecatalog = boto3.client("servicecatalog", **kwargs)  # type: ignore[call-overload]
    with Stubber(sagemaker) as sm, Stubber(servicecatalog) as sc:
        yield sagemaker, sm, servicecatalog, sc
        sm.assert_no_pending_responses()
        sc.assert_no_pending_responses()


def expect_product(
    sc: Stubber,
    paths: list[dict[str, str]] | None = None,
    artifact: str | None = "pa-110",
    path_id: str = PATH["Id"],
    by_id: bool = False,
) -> None:
    """The end-user calls: SearchProducts (by name), DescribeProduct, ListLaunchPaths and, once a version and a
    launch path are chosen, DescribeProvisioningParameters."""
    if not by_id:
        sc.add_response(
            "search_products",
            {"ProductViewSummaries": [{**SUMMARY, "Name": "build-train-deploy-legacy"}, SUMMARY]},
            {"Filters": {"FullTextSearch": ["build-train-deploy"]}},
        )
    sc.add_response(
        "describe_product",
        {"ProductViewSummary": SUMMARY, "ProvisioningArtifacts": ARTIFACTS, "LaunchPaths": paths or [PATH]},
        {"Id": PRODUCT_ID},
    )
    sc.add_response("list_launch_paths", {"LaunchPathSummaries": paths or [PATH]}, {"ProductId": PRODUCT_ID})
    if artifact is not None:
        sc.add_response(
            "describe_provisioning_parameters",
            {"ProvisioningArtifactParameters": PARAMETERS},
            {"ProductId": PRODUCT_ID, "ProvisioningArtifactId": artifact, "PathId": path_id},
        )


def test_default_version_is_the_highest_semantic_version(stubs: Any) -> None:
    _, _, servicecatalog, sc = stubs
    expect_product(sc)
    version = projects.find_product_version(servicecatalog, "build-train-deploy", None)
    assert (version.product_id, version.artifact_id, version.version) == (PRODUCT_ID, "pa-110", "1.10.0")
    assert version.path_id == PATH["Id"]
    assert version.parameter_keys == frozenset({"deploy_stages", "instance_type"})


def test_named_version_by_product_id(stubs: Any) -> None:
    _, _, servicecatalog, sc = stubs
    expect_product(sc, artifact="pa-190", by_id=True)
    assert projects.find_product_version(servicecatalog, PRODUCT_ID, "1.9.0").artifact_id == "pa-190"


def test_unknown_or_inactive_version_is_refused(stubs: Any) -> None:
    _, _, servicecatalog, sc = stubs
    # Inactive versions are invisible to end users: 0.1.0 is simply not there.
    expect_product(sc, artifact=None)
    with pytest.raises(
        UsageError, match=r"has no version '0\.1\.0' you can launch \(versions: 1\.10\.0, 1\.9\.0, 2\.0\.0"
    ):
        projects.find_product_version(servicecatalog, "build-train-deploy", "0.1.0")


def test_unknown_product_is_refused(stubs: Any) -> None:
    _, _, servicecatalog, sc = stubs
    sc.add_response("search_products", {"ProductViewSummaries": []})
    with pytest.raises(UsageError, match="no Service Catalog product named 'nope' that you can launch"):
        projects.find_product_version(servicecatalog, "nope", None)


def test_several_launch_paths_need_a_path_id(stubs: Any) -> None:
    _, _, servicecatalog, sc = stubs
    expect_product(sc, paths=[PATH, OTHER_PATH], artifact=None)
    with pytest.raises(
        UsageError,
        match=r"2 launch paths.*--path-id.*lpv3-platform \(Platform portfolio\), lpv3-team \(ML team portfolio\)",
    ):
        projects.find_product_version(servicecatalog, "build-train-deploy", None)


def test_path_id_chooses_the_launch_path(stubs: Any) -> None:
    _, _, servicecatalog, sc = stubs
    expect_product(sc, paths=[PATH, OTHER_PATH], path_id="lpv3-platform")
    version = projects.find_product_version(servicecatalog, "build-train-deploy", None, path_id="lpv3-platform")
    assert version.path_id == "lpv3-platform"


def test_unknown_path_id_is_refused(stubs: Any) -> None:
    _, _, servicecatalog, sc = stubs
    expect_product(sc, artifact=None)
    with pytest.raises(UsageError, match=r"no launch path 'lpv3-nope'.*lpv3-team \(ML team portfolio\)"):
        projects.find_product_version(servicecatalog, "build-train-deploy", None, path_id="lpv3-nope")


def test_unknown_parameter_key_is_refused_before_create_project(stubs: Any) -> None:
    sagemaker, _, servicecatalog, _ = stubs
    version = projects.ProductVersion(
        PRODUCT_ID, "build-train-deploy", "pa-110", "1.10.0", PATH["Id"], frozenset({"deploy_stages", "instance_type"})
    )
    with pytest.raises(
        UsageError, match=r"unknown --param key\(s\): instnace_type.*valid: deploy_stages, instance_type"
    ):
        projects.launch(sagemaker, servicecatalog, "demo", version, {"instnace_type": "ml.t3.medium"}, {})
    with pytest.raises(UsageError, match="SageMakerProjectName is set by SageMaker"):
        projects.launch(sagemaker, servicecatalog, "demo", version, {"SageMakerProjectName": "x"}, {})


def test_launch_sends_parameters_and_tags(stubs: Any) -> None:
    sagemaker, sm, servicecatalog, _ = stubs
    sm.add_response(
        "create_project",
        {"ProjectArn": ARN, "ProjectId": "p-abcdef123456"},
        {
            "ProjectName": "demo",
            "ProjectDescription": "smoke test",
            "ServiceCatalogProvisioningDetails": {
                "ProductId": PRODUCT_ID,
                "ProvisioningArtifactId": "pa-new",
                "PathId": PATH["Id"],
                "ProvisioningParameters": [{"Key": "deploy_stages", "Value": "[]"}],
            },
            "Tags": [{"Key": "cost-center", "Value": "cc-1"}, {"Key": "team", "Value": "fraud"}],
        },
    )
    version = projects.ProductVersion(
        PRODUCT_ID, "build-train-deploy", "pa-new", "1.1.0", PATH["Id"], frozenset({"deploy_stages"})
    )
    arn = projects.launch(
        sagemaker, servicecatalog, "demo", version, {"deploy_stages": "[]"}, {"team": "fraud", "cost-center": "cc-1"},
        "smoke test",
    )  # fmt: skip
    assert arn == ARN


@pytest.mark.parametrize("name", ["-demo", "a" * 33, "demo_1", ""])
def test_invalid_project_name_is_refused_before_any_call(stubs: Any, name: str) -> None:
    sagemaker, _, servicecatalog, _ = stubs
    version = projects.ProductVersion(PRODUCT_ID, "p", "pa", "1")
    with pytest.raises(UsageError, match="not valid for SageMaker"):
        projects.launch(sagemaker, servicecatalog, name, version, {}, {})


def test_wait_polls_until_completed_and_reads_outputs(stubs: Any) -> None:
    sagemaker, sm, servicecatalog, sc = stubs
    for state in ("Pending", "CreateInProgress", "CreateCompleted"):
        sm.add_response("describe_project", project(state), {"ProjectName": "demo"})
    sc.add_response(
        "get_provisioned_product_outputs",
        {"Outputs": [{"OutputKey": "model_build_repository_clone_url", "OutputValue": "https://git/demo"}]},
        {"ProvisionedProductId": "pp-1234567890abc"},
    )
    seen: list[str] = []
    sleeps: list[float] = []
    result = projects.wait(
        sagemaker, servicecatalog, "demo", interval=5, progress=lambda s, m: seen.append(s), sleep=sleeps.append
    )
    assert seen == ["Pending", "CreateInProgress", "CreateCompleted"] and sleeps == [5, 5]
    assert result.outputs == {"model_build_repository_clone_url": "https://git/demo"}


def test_wait_reports_a_failed_provisioning(stubs: Any) -> None:
    sagemaker, sm, servicecatalog, _ = stubs
    sm.add_response("describe_project", project("CreateFailed", "terraform apply failed: AccessDenied"))
    with pytest.raises(CheckFailed, match="ended CreateFailed: terraform apply failed: AccessDenied"):
        projects.wait(sagemaker, servicecatalog, "demo", sleep=lambda _: None)


def test_wait_times_out(stubs: Any) -> None:
    sagemaker, sm, servicecatalog, _ = stubs
    sm.add_response("describe_project", project("CreateInProgress"))
    sm.add_response("describe_project", project("CreateInProgress"))
    ticks = iter([0.0, 5.0, 11.0])
    with pytest.raises(CheckFailed, match=r"still CreateInProgress after 10s"):
        projects.wait(sagemaker, servicecatalog, "demo", timeout=10, clock=lambda: next(ticks), sleep=lambda _: None)


def test_delete_waits_until_the_project_is_gone(stubs: Any) -> None:
    sagemaker, sm, servicecatalog, _ = stubs
    sm.add_response("delete_project", {}, {"ProjectName": "demo"})
    sm.add_response("describe_project", project("DeleteInProgress"))
    sm.add_client_error(
        "describe_project", service_error_code="ValidationException", service_message="Project demo does not exist"
    )
    projects.delete(sagemaker, "demo")
    result = projects.wait(sagemaker, servicecatalog, "demo", deleting=True, sleep=lambda _: None)
    assert result.status == "DeleteCompleted"


def test_status_of_unknown_project(stubs: Any) -> None:
    sagemaker, sm, servicecatalog, _ = stubs
    sm.add_client_error(
        "describe_project", service_error_code="ValidationException", service_message="Project x does not exist"
    )
    with pytest.raises(UsageError, match="no SageMaker project named x"):
        projects.status(sagemaker, servicecatalog, "x")


def test_access_denied_is_an_aws_error(stubs: Any) -> None:
    sagemaker, sm, _, _ = stubs
    sm.add_client_error("delete_project", service_error_code="AccessDeniedException")
    with pytest.raises(AwsError, match="DeleteProject demo: AccessDeniedException"):
        projects.delete(sagemaker, "demo")


@pytest.mark.parametrize("item", ["novalue", "=x"])
def test_bad_pairs_are_refused(item: str) -> None:
    with pytest.raises(UsageError, match="must look like KEY=VALUE"):
        projects.parse_pairs([item], "--tag")


def test_cli_launch_end_to_end(stubs: Any, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    sagemaker, sm, servicecatalog, sc = stubs
    monkeypatch.setattr(aws, "client", lambda session, service, endpoint=None: {"sagemaker": sagemaker,
                        "servicecatalog": servicecatalog}[service])  # fmt: skip
    expect_product(sc)
    sm.add_response(
        "create_project",
        {"ProjectArn": ARN, "ProjectId": "p-abcdef123456"},
        {
            "ProjectName": "demo",
            "ServiceCatalogProvisioningDetails": {
                "ProductId": PRODUCT_ID,
                "ProvisioningArtifactId": "pa-110",
                "PathId": PATH["Id"],
                "ProvisioningParameters": [{"Key": "instance_type", "Value": "ml.t3.medium"}],
            },
            "Tags": [{"Key": "team", "Value": "fraud"}],
        },
    )
    sm.add_response("describe_project", project("CreateCompleted"))
    sc.add_response("get_provisioned_product_outputs", {"Outputs": [{"OutputKey": "bucket", "OutputValue": "b"}]})
    code = main(
        ["launch", "demo", "--product", "build-train-deploy", "--tag", "team=fraud", "--region", REGION, "--json",
         "--interval", "0", "--param", "instance_type=ml.t3.medium"]
    )  # fmt: skip
    assert code == 0
    report = json.loads(capsys.readouterr().out)
    assert report["status"] == "CreateCompleted" and report["outputs"] == {"bucket": "b"}


def test_cli_launch_path_and_parameter_errors_are_usage_errors(
    stubs: Any, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    sagemaker, _, servicecatalog, sc = stubs
    monkeypatch.setattr(aws, "client", lambda session, service, endpoint=None: {"sagemaker": sagemaker,
                        "servicecatalog": servicecatalog}[service])  # fmt: skip
    expect_product(sc, paths=[PATH, OTHER_PATH], artifact=None)
    assert main(["launch", "demo", "--product", "build-train-deploy", "--region", REGION]) == UsageError.exit_code
    assert "--path-id" in capsys.readouterr().err
    expect_product(sc, path_id="lpv3-platform", paths=[PATH, OTHER_PATH])
    argv = ["launch", "demo", "--product", "build-train-deploy", "--path-id", "lpv3-platform", "--param", "nope=1"]
    assert main([*argv, "--region", REGION]) == UsageError.exit_code
    assert "unknown --param key(s): nope" in capsys.readouterr().err


def test_cli_maps_errors_to_exit_codes(
    stubs: Any, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    sagemaker, sm, servicecatalog, _ = stubs
    monkeypatch.setattr(aws, "client", lambda session, service, endpoint=None: {"sagemaker": sagemaker,
                        "servicecatalog": servicecatalog}[service])  # fmt: skip
    assert main(["launch", "bad_name", "--product", "p", "--region", REGION]) == UsageError.exit_code
    assert "not valid for SageMaker" in capsys.readouterr().err
    sm.add_response("describe_project", project("CreateFailed", "boom"))
    assert main(["status", "demo", "--region", REGION, "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["message"] == "boom"


def test_cli_delete_project_no_wait_json_reports_the_deletion(
    stubs: Any, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    sagemaker, sm, servicecatalog, _ = stubs
    monkeypatch.setattr(aws, "client", lambda session, service, endpoint=None: {"sagemaker": sagemaker,
                        "servicecatalog": servicecatalog}[service])  # fmt: skip
    sm.add_response("delete_project", {}, {"ProjectName": "demo"})
    sm.add_response("describe_project", project("DeleteInProgress"), {"ProjectName": "demo"})
    assert main(["delete-project", "demo", "--no-wait", "--json", "--region", REGION]) == 0
    report = json.loads(capsys.readouterr().out)
    assert (report["name"], report["project_id"], report["status"]) == ("demo", "p-abcdef123456", "DeleteInProgress")


def test_cli_delete_project_no_wait_of_a_project_already_gone(
    stubs: Any, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    sagemaker, sm, servicecatalog, _ = stubs
    monkeypatch.setattr(aws, "client", lambda session, service, endpoint=None: {"sagemaker": sagemaker,
                        "servicecatalog": servicecatalog}[service])  # fmt: skip
    sm.add_response("delete_project", {}, {"ProjectName": "demo"})
    sm.add_client_error(
        "describe_project", service_error_code="ValidationException", service_message="Project demo does not exist"
    )
    assert main(["delete-project", "demo", "--no-wait", "--json", "--region", REGION]) == 0
    assert json.loads(capsys.readouterr().out)["status"] == "DeleteCompleted"
