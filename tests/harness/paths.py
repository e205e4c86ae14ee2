"""Where things are in the repository."""

from __future__ import annotations

from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
MODULES = REPO / "modules"
PRODUCTS = REPO / "products"
CATALOG = REPO / "catalog"
SEED_CODE = REPO / "seed_code"
TESTS = REPO / "tests"
TERRAFORM_ROOTS = ("modules", "products", "catalog")


def rel(path: Path) -> str:
    """Path relative to the repository root, for messages and test ids."""
    try:
        return str(path.resolve().relative_to(REPO))
    except ValueError:
        return str(path)


def module_dirs() -> list[Path]:
    """Every module folder (one that holds .tf files directly under modules/)."""
    return sorted(p for p in MODULES.iterdir() if p.is_dir() and any(p.glob("*.tf"))) if MODULES.is_dir() else []


def product_dirs() -> list[Path]:
    """Every product folder."""
    return sorted(p for p in PRODUCTS.iterdir() if p.is_dir() and any(p.glob("*.tf"))) if PRODUCTS.is_dir() else []


def example_dirs() -> list[Path]:
    """Every module example (a root config under modules/<name>/examples/<case>/)."""
    return sorted(p.parent for p in MODULES.glob("*/examples/*/*.tf") if p.name == "main.tf")


def root_configs() -> list[Path]:
    """Root configs terraform validate must accept: module examples, products, the catalog, seed-code roots.

    Modules themselves are planned by their plan tests (which reject warnings too), so validating them
    again would only repeat work."""
    roots = example_dirs() + product_dirs() + seed_code_roots()
    if CATALOG.is_dir() and any(CATALOG.glob("*.tf")):
        roots.append(CATALOG)
    return roots


def seed_code_roots() -> list[Path]:
    """Terraform root configs shipped inside seed code (e.g. the model-deploy endpoint config)."""
    found = SEED_CODE.rglob("versions.tf") if SEED_CODE.is_dir() else []
    return sorted({p.parent for p in found if not {".terraform", "modules"} & set(p.relative_to(SEED_CODE).parts)})


def native_test_dirs() -> list[Path]:
    """Folders that hold native `terraform test` files under tests/."""
    found = {p.parent.parent for p in REPO.glob("modules/*/tests/*.tftest.hcl")}
    found |= {p.parent.parent for p in REPO.glob("products/*/tests/*.tftest.hcl")}
    found |= {p.parent.parent for p in REPO.glob("catalog/tests/*.tftest.hcl")}
    return sorted(found)
