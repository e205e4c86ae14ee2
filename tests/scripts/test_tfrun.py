"""tfrun: the repository is found from the Terraform root worked on, never from where the package is installed;
a terraform init that cannot reach the registry says how to point at a mirror."""

from __future__ import annotations

import socket
from pathlib import Path

import pytest

from mlops_templates import tfrun
from mlops_templates.errors import ConfigError, ToolchainError
from mlops_templates.toolchain import ProviderSource
from tests.harness.paths import REPO


def _layout(root: Path) -> Path:
    """A minimal repository elsewhere: a module and a product using it through a relative source."""
    (root / "modules" / "greeting").mkdir(parents=True)
    (root / "modules" / "greeting" / "main.tf").write_text('output "text" {\n  value = "hello"\n}\n')
    product = root / "products" / "hello"
    product.mkdir(parents=True)
    (product / "main.tf").write_text(
        'module "greeting" {\n  source = "../../modules/greeting"\n}\n\n'
        'output "text" {\n  value = module.greeting.text\n}\n'
    )
    return product


def test_find_repo(tmp_path: Path) -> None:
    product = _layout(tmp_path / "repo")
    assert tfrun.find_repo(product) == tmp_path / "repo"
    assert tfrun.find_repo(tmp_path / "repo") == tmp_path / "repo"
    assert tfrun.find_repo(REPO / "products" / "build-train-deploy") == REPO
    with pytest.raises(ConfigError, match="--repo"):
        tfrun.find_repo(tmp_path)


def test_working_copy_of_a_repository_the_package_does_not_live_in(tmp_path: Path) -> None:
    product = _layout(tmp_path / "repo")
    scratch = tmp_path / "scratch"
    scratch.mkdir()
    wc = tfrun.prepare(product, scratch, ProviderSource("registry"), inject_provider=False)
    assert wc.root == scratch / "products" / "hello"
    assert (scratch / "modules" / "greeting" / "main.tf").is_file()
    assert (tmp_path / "repo" / "products" / "hello" / ".terraform").exists() is False


@pytest.mark.terraform
def test_init_without_registry_access_says_how_to_use_a_mirror(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    with socket.socket() as sock:  # a port nothing listens on: the "proxy" refuses every connection
        sock.bind(("127.0.0.1", 0))
        dead = f"http://127.0.0.1:{sock.getsockname()[1]}"
    for name in ("HTTPS_PROXY", "HTTP_PROXY", "https_proxy", "http_proxy"):
        monkeypatch.setenv(name, dead)
    monkeypatch.delenv("NO_PROXY", raising=False)
    monkeypatch.delenv("no_proxy", raising=False)
    monkeypatch.setenv("TF_PLUGIN_CACHE_DIR", str(tmp_path / "plugins"))
    root = tmp_path / "root"
    root.mkdir()
    (root / "main.tf").write_text(
        'terraform {\n  required_providers {\n    aws = {\n      source  = "hashicorp/aws"\n'
        '      version = ">= 5.100"\n    }\n  }\n}\n'
    )
    with pytest.raises(ToolchainError) as error:
        tfrun.init(root, ProviderSource("registry"))
    message = str(error.value)
    assert "registry.terraform.io" in message
    assert "MLOPS_TF_PROVIDERS" in message
    assert "plugin-dir:" in message
    assert "cli-config:" in message
