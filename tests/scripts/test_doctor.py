"""`mlops-templates doctor` and `version`: the report, the exit codes, the settings."""

from __future__ import annotations

import json
import os
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from mlops_templates import cli
from mlops_templates.errors import CheckFailed, ToolchainError, UsageError
from mlops_templates.toolchain import find_terraform, parse_provider_sources

CLI = [sys.executable, "-m", "mlops_templates"]


def _fake_tool(folder: Path, name: str, script: str) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    path.write_text("#!/bin/sh\n" + script + "\n")
    path.chmod(path.stat().st_mode | stat.S_IEXEC)
    return path


def _env(path: str, **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("MLOPS_", "AWS_"))}
    env["PATH"] = path
    env.update(extra)
    return env


def test_doctor_without_terraform_fails_clearly(tmp_path: Path) -> None:
    empty = tmp_path / "bin"
    empty.mkdir()
    proc = subprocess.run(
        [*CLI, "doctor"], env=_env(str(empty)), capture_output=True, text=True, check=False, cwd=tmp_path
    )
    assert proc.returncode == CheckFailed.exit_code
    assert "terraform not found" in proc.stdout.replace("\n", " ").replace("│", " ") or "terraform" in proc.stderr
    assert "error: not ready: terraform" in proc.stderr


def test_doctor_json_names_each_missing_tool(tmp_path: Path) -> None:
    proc = subprocess.run(
        [*CLI, "doctor", "--json"], env=_env(str(tmp_path)), capture_output=True, text=True, check=False
    )
    report = json.loads(proc.stdout)
    assert report["ok"] is False
    status = {c["name"]: c["ok"] for c in report["checks"]}
    assert status["terraform"] is False and status["checkov"] is False
    assert status["git"] is False, "without git on PATH the demo's git host cannot run"
    assert proc.returncode == CheckFailed.exit_code


def test_doctor_passes_with_every_tool(tmp_path: Path) -> None:
    bin_dir = tmp_path / "bin"
    _fake_tool(bin_dir, "terraform", 'echo \'{"terraform_version": "1.10.2"}\'')
    _fake_tool(bin_dir, "checkov", "echo 3.3.30")
    plugins = tmp_path / "plugins" / "registry.terraform.io/hashicorp/aws/5.100.0"
    from mlops_templates.toolchain import os_arch

    _fake_tool(plugins / os_arch(), "terraform-provider-aws_v5.100.0_x5", "exit 0")
    env = _env(f"{bin_dir}:/usr/bin:/bin", MLOPS_TF_PROVIDERS=f"plugin-dir:{tmp_path / 'plugins'}")
    proc = subprocess.run([*CLI, "doctor", "--json"], env=env, capture_output=True, text=True, check=False)
    report = json.loads(proc.stdout)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    detail = {c["name"]: c["detail"] for c in report["checks"]}
    assert "1.10.2" in detail["terraform"]
    assert "5.100.0" in detail["aws provider (plugin-dir)"]
    assert detail["git"].endswith("git-http-backend")


def test_doctor_rejects_old_terraform(tmp_path: Path) -> None:
    bin_dir = tmp_path / "bin"
    _fake_tool(bin_dir, "terraform", 'echo \'{"terraform_version": "1.2.8"}\'')
    with pytest.raises(ToolchainError, match=r"1\.2\.8; this project needs >= 1\.9"):
        find_terraform({"PATH": str(bin_dir)})


def test_doctor_reports_an_empty_plugin_dir(tmp_path: Path) -> None:
    bin_dir = tmp_path / "bin"
    _fake_tool(bin_dir, "terraform", 'echo \'{"terraform_version": "1.11.4"}\'')
    _fake_tool(bin_dir, "checkov", "echo 3.3.30")
    env = _env(f"{bin_dir}:/usr/bin:/bin", MLOPS_TF_PROVIDERS=f"plugin-dir:{tmp_path}")
    proc = subprocess.run([*CLI, "doctor", "--json"], env=env, capture_output=True, text=True, check=False)
    report = json.loads(proc.stdout)
    problem = next(c for c in report["checks"] if c["name"] == "aws provider (plugin-dir)")
    assert problem["ok"] is False and "holds no registry.terraform.io/hashicorp/aws" in problem["detail"]
    assert proc.returncode == CheckFailed.exit_code


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("mirror:/x", "unknown provider source 'mirror:/x'"),
        ("plugin-dir", "'plugin-dir' needs a path"),
        ("registry:/x", "'registry' takes no path"),
        ("plugin-dir:/a plugin-dir:/b", "only one source of each kind"),
    ],
)
def test_bad_provider_setting_is_a_usage_error(value: str, message: str) -> None:
    with pytest.raises(UsageError, match=message):
        parse_provider_sources(value)


def test_provider_setting_parses_each_kind(tmp_path: Path) -> None:
    sources = parse_provider_sources(f"plugin-dir:{tmp_path} cli-config:{tmp_path / 'rc'}")
    assert [(s.kind, s.path) for s in sources] == [("plugin-dir", tmp_path), ("cli-config", tmp_path / "rc")]
    assert sources[0].init_args() == [f"-plugin-dir={tmp_path}"]
    assert sources[1].env({})["TF_CLI_CONFIG_FILE"] == str(tmp_path / "rc")
    assert [s.kind for s in parse_provider_sources("")] == ["registry"]


def test_version_command(capsys: pytest.CaptureFixture[str]) -> None:
    assert cli.main(["version", "--json"]) == 0
    assert "version" in json.loads(capsys.readouterr().out)


def test_unknown_command_exits_with_usage_code() -> None:
    with pytest.raises(SystemExit) as excinfo:
        cli.main(["no-such-command"])
    assert excinfo.value.code == 2


def test_doctor_reports_missing_extras(monkeypatch: pytest.MonkeyPatch) -> None:
    from mlops_templates import doctor

    monkeypatch.setitem(sys.modules, "hcl2", None)  # as if python-hcl2 were not installed
    checks = {c.name: c for c in doctor.run_checks()}
    docs = checks["python extra [docs]"]
    assert not docs.ok and not docs.required
    assert "pip install 'sagemaker-mlops-templates[docs]'" in docs.detail
    assert checks["python extra [demo]"].ok, checks["python extra [demo]"].detail
