"""The command line itself: start-up without optional extras, options, AWS errors, finding the repository."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest

from mlops_templates import __version__, aws, packaging
from mlops_templates.cli import build_parser, main
from mlops_templates.emulator import MotoServer, free_port
from tests.harness.paths import REPO

REGION = "eu-west-1"


def _without(modules: list[str], argv: list[str]) -> subprocess.CompletedProcess[str]:
    """Run the CLI in a fresh interpreter where importing ``modules`` fails, as when an extra is not installed."""
    code = (
        "import sys\n"
        f"for name in {modules!r}: sys.modules[name] = None\n"
        "from mlops_templates.cli import main\n"
        f"raise SystemExit(main({argv!r}))\n"
    )
    return subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120, cwd=REPO)


def test_help_starts_without_the_docs_extra() -> None:
    proc = _without(["hcl2"], ["--help"])
    assert proc.returncode == 0, proc.stderr
    assert "package" in proc.stdout


def test_docs_without_hcl2_names_the_extra() -> None:
    proc = _without(["hcl2"], ["docs", "--check"])
    assert proc.returncode == 3, proc.stderr
    assert "Traceback" not in proc.stderr
    assert "python-hcl2" in proc.stderr
    assert "pip install 'sagemaker-mlops-templates[docs]'" in proc.stderr


def test_version_option(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit_info:
        main(["--version"])
    assert exit_info.value.code == 0
    assert capsys.readouterr().out.strip() == f"mlops-templates {__version__}"


@pytest.mark.parametrize(
    ("argv", "verbose"),
    [(["-v", "version"], True), (["version", "-v"], True), (["version", "--verbose"], True), (["version"], False)],
)
def test_verbose_before_or_after_the_subcommand(argv: list[str], verbose: bool) -> None:
    assert build_parser().parse_args(argv).verbose is verbose


# --- AWS settings and errors -------------------------------------------------------------------------------------


@pytest.fixture
def no_aws(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> pytest.MonkeyPatch:
    """No AWS settings of this machine: no credentials, no region, no profile files, no instance metadata."""
    for name in [n for n in list(__import__("os").environ) if n.startswith("AWS_")]:
        monkeypatch.delenv(name)
    monkeypatch.setenv("AWS_CONFIG_FILE", str(tmp_path / "no-config"))
    monkeypatch.setenv("AWS_SHARED_CREDENTIALS_FILE", str(tmp_path / "no-credentials"))
    monkeypatch.setenv("AWS_EC2_METADATA_DISABLED", "true")
    return monkeypatch


def test_status_without_credentials_exits_6(
    no_aws: pytest.MonkeyPatch, moto_server: MotoServer, capsys: pytest.CaptureFixture[str]
) -> None:
    code = main(["status", "demo", "--region", REGION, "--endpoint-url", moto_server.url])
    err = capsys.readouterr().err
    assert code == 6, err
    assert "no AWS credentials" in err
    for setting in ("AWS_PROFILE", "--profile", "AWS_ACCESS_KEY_ID"):
        assert setting in err


def test_upload_without_credentials_exits_6(
    no_aws: pytest.MonkeyPatch, moto_server: MotoServer, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "manifest.json").write_text(
        json.dumps({"format_version": packaging.MANIFEST_FORMAT, "artifacts": [], "products": {}})
    )
    code = main(["upload", "--dist", str(tmp_path), "--region", REGION, "--endpoint-url", moto_server.url])
    err = capsys.readouterr().err
    assert code == 6, err
    assert "no AWS credentials" in err


def test_no_region_exits_6_naming_what_to_set(no_aws: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    no_aws.setenv("AWS_ACCESS_KEY_ID", "x")
    no_aws.setenv("AWS_SECRET_ACCESS_KEY", "x")
    code = main(["status", "demo"])
    err = capsys.readouterr().err
    assert code == 6, err
    assert "--region" in err
    assert "AWS_REGION" in err


def test_aws_region_is_honoured(no_aws: pytest.MonkeyPatch) -> None:
    no_aws.setenv("AWS_REGION", "eu-central-1")
    assert aws.session().region_name == "eu-central-1"
    no_aws.setenv("AWS_DEFAULT_REGION", "us-east-2")
    assert aws.session().region_name == "eu-central-1", "AWS_REGION comes before AWS_DEFAULT_REGION"
    assert aws.session(region="ap-south-1").region_name == "ap-south-1", "--region comes first"
    no_aws.delenv("AWS_REGION")
    assert aws.session().region_name == "us-east-2"


def test_upload_uses_aws_region(
    no_aws: pytest.MonkeyPatch, fresh_moto: MotoServer, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # The bucket is found through the catalog's SSM parameter, which exists only in REGION.
    fresh_moto.client("s3", REGION).create_bucket(
        Bucket="catalog", CreateBucketConfiguration={"LocationConstraint": REGION}
    )
    fresh_moto.client("ssm", REGION).put_parameter(Name=aws.CATALOG_BUCKET_PARAMETER, Value="catalog", Type="String")
    (tmp_path / "manifest.json").write_text(
        json.dumps({"format_version": packaging.MANIFEST_FORMAT, "artifacts": [], "products": {}})
    )
    no_aws.setenv("AWS_ACCESS_KEY_ID", "x")
    no_aws.setenv("AWS_SECRET_ACCESS_KEY", "x")
    no_aws.setenv("AWS_REGION", REGION)
    code = main(["upload", "--dist", str(tmp_path), "--endpoint-url", fresh_moto.url])
    captured = capsys.readouterr()
    assert code == 0, captured.err
    assert "s3://catalog: 0 uploaded" in captured.out


def test_unreachable_endpoint_exits_6(no_aws: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    no_aws.setenv("AWS_ACCESS_KEY_ID", "x")
    no_aws.setenv("AWS_SECRET_ACCESS_KEY", "x")
    url = f"http://127.0.0.1:{free_port()}"
    code = main(["status", "demo", "--region", REGION, "--endpoint-url", url])
    err = capsys.readouterr().err
    assert code == 6, err
    assert url in err
    assert "--endpoint-url" in err


def test_an_unexpected_aws_service_error_exits_6(
    no_aws: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from botocore.exceptions import ClientError

    def denied(*_: object) -> None:
        raise ClientError({"Error": {"Code": "AccessDeniedException", "Message": "not allowed"}}, "DescribeProject")

    no_aws.setattr("mlops_templates.projects.status", denied)
    code = main(["status", "demo", "--region", REGION])
    err = capsys.readouterr().err
    assert code == 6, err
    assert "DescribeProject" in err
    assert "AccessDeniedException" in err


def test_describe_client_errors() -> None:
    from botocore.exceptions import ClientError

    err = ClientError({"Error": {"Code": "ExpiredToken", "Message": "The token has expired"}}, "GetObject")
    message = str(aws.as_error(err))
    assert "GetObject" in message
    assert "ExpiredToken" in message
    assert "credentials" in message


# --- the repository -----------------------------------------------------------------------------------------------


def test_package_from_a_subfolder_finds_the_repository(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(REPO / "products" / "build-train-deploy")
    assert main(["package", "--dist", str(tmp_path / "dist"), "--json"]) == 0, capsys.readouterr().err
    assert json.loads(capsys.readouterr().out)["built"]


def test_package_outside_a_repository_exits_4(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(tmp_path)
    assert main(["package", "--dist", str(tmp_path / "dist")]) == 4
    err = capsys.readouterr().err
    assert str(tmp_path) in err
    assert "--repo" in err


def test_repo_option_from_elsewhere(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(tmp_path)
    assert main(["package", "--repo", str(REPO), "--dist", str(tmp_path / "dist"), "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["built"]
    assert main(["package", "--repo", str(tmp_path), "--dist", str(tmp_path / "dist")]) == 4
    assert "not a sagemaker-mlops-templates repository" in capsys.readouterr().err


def test_make_setup_keeps_the_editable_install() -> None:
    """`pip install '.[extra]'` without -e would replace the editable install with a copy in site-packages."""
    installs = [
        line.strip()
        for line in (REPO / "Makefile").read_text().splitlines()
        if re.search(r"pip install\b.*'\.\[", line)
    ]
    assert installs, "the Makefile installs the project somewhere"
    for line in installs:
        assert re.search(r"(-e|--editable) '\.\[", line), line
