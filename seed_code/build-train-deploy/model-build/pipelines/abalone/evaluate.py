"""Evaluation step: score the trained XGBoost model on the test split and write evaluation.json.

Runs in a SageMaker Processing job (the XGBoost image) with the model.tar.gz in /opt/ml/processing/model and
the test CSV in /opt/ml/processing/test; the report goes to /opt/ml/processing/evaluation/evaluation.json,
which the pipeline reads as a PropertyFile (regression_metrics.mse.value).
"""

from __future__ import annotations

import argparse
import json
import logging
import tarfile
from pathlib import Path
from typing import Any

import numpy as np
import xgboost

LOG = logging.getLogger(__name__)


def load_model(model_dir: Path) -> xgboost.Booster:
    """Load the model from model.tar.gz (as SageMaker training writes it) or a plain model file."""
    archive = model_dir / "model.tar.gz"
    if archive.exists():
        with tarfile.open(archive) as tar:
            tar.extractall(model_dir, filter="data")
    candidates = [
        p for p in sorted(model_dir.iterdir()) if p.name.startswith("xgboost-model") or p.suffix in {".json", ".ubj"}
    ]
    if not candidates:
        raise FileNotFoundError(f"{model_dir}: no xgboost-model, .json or .ubj model file")
    booster = xgboost.Booster()
    booster.load_model(str(candidates[0]))
    return booster


def metrics(y_true: np.ndarray, y_pred: np.ndarray) -> dict[str, Any]:
    """The report the pipeline's condition step reads: MSE and the standard deviation of the squared errors."""
    errors = (y_true - y_pred) ** 2
    return {
        "regression_metrics": {
            "mse": {"value": float(np.mean(errors)), "standard_deviation": float(np.std(errors))},
        }
    }


def run(model_dir: Path, test_csv: Path, output_dir: Path) -> dict[str, Any]:
    """Evaluate and write output_dir/evaluation.json; return the report."""
    data = np.loadtxt(test_csv, delimiter=",", ndmin=2)
    y_true, x = data[:, 0], data[:, 1:]
    y_pred = load_model(model_dir).predict(xgboost.DMatrix(x))
    report = metrics(y_true, y_pred)
    output_dir.mkdir(parents=True, exist_ok=True)
    (output_dir / "evaluation.json").write_text(json.dumps(report, indent=2))
    LOG.info("test MSE %.4f on %d rows", report["regression_metrics"]["mse"]["value"], len(y_true))
    return report


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--model-dir", type=Path, default=Path("/opt/ml/processing/model"))
    parser.add_argument("--test-csv", type=Path, default=Path("/opt/ml/processing/test/test.csv"))
    parser.add_argument("--output-dir", type=Path, default=Path("/opt/ml/processing/evaluation"))
    args = parser.parse_args()
    logging.basicConfig(level=logging.INFO)
    run(args.model_dir, args.test_csv, args.output_dir)


if __name__ == "__main__":
    main()
