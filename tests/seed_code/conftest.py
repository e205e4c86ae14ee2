"""Make the build-train-deploy seed code importable, as CodeBuild runs it (from the repository root)."""

from __future__ import annotations

import importlib.util
import os
import sys
from pathlib import Path
from types import ModuleType

from tests.harness.paths import SEED_CODE

MODEL_BUILD = SEED_CODE / "build-train-deploy" / "model-build"
MODEL_DEPLOY = SEED_CODE / "build-train-deploy" / "model-deploy"

if str(MODEL_BUILD) not in sys.path:
    sys.path.insert(0, str(MODEL_BUILD))
os.environ.setdefault("SAGEMAKER_SUPPRESS_V2_WARNING", "1")
os.environ.setdefault("AWS_EC2_METADATA_DISABLED", "true")


def load(path: Path) -> ModuleType:
    """Import a single-file script of the seed code (e.g. model-deploy/build.py) under a unique name."""
    name = f"seed_{path.parent.name.replace('-', '_')}_{path.stem}"
    if name in sys.modules:
        return sys.modules[name]
    spec = importlib.util.spec_from_file_location(name, path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    spec.loader.exec_module(module)
    return module
