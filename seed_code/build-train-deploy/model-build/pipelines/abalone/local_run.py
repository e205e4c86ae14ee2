"""Run preprocess, train and evaluate locally, without SageMaker: the same code and hyperparameters.

    python -m pipelines.abalone.local_run --data data/abalone-sample.csv --out /tmp/abalone

Writes the splits, ``model/xgboost-model.json`` and ``evaluation/evaluation.json`` under --out.
"""

from __future__ import annotations

import argparse
import json
import logging
import shutil
from pathlib import Path
from typing import Any

import numpy as np
import xgboost

from pipelines.abalone import evaluate, preprocess
from pipelines.abalone.hyperparameters import HYPERPARAMETERS


def train(train_csv: Path, validation_csv: Path, model_dir: Path) -> Path:
    """Train XGBoost like the built-in algorithm does (label first, no header); save the model as JSON."""
    train_data = np.loadtxt(train_csv, delimiter=",", ndmin=2)
    validation_data = np.loadtxt(validation_csv, delimiter=",", ndmin=2)
    params = {k: v for k, v in HYPERPARAMETERS.items() if k != "num_round"}
    params["seed"] = 0
    booster = xgboost.train(
        params,
        xgboost.DMatrix(train_data[:, 1:], label=train_data[:, 0]),
        num_boost_round=int(HYPERPARAMETERS["num_round"]),
        evals=[(xgboost.DMatrix(validation_data[:, 1:], label=validation_data[:, 0]), "validation")],
        verbose_eval=False,
    )
    model_dir.mkdir(parents=True, exist_ok=True)
    path = model_dir / "xgboost-model.json"
    booster.save_model(str(path))
    return path


def run(data: Path, out: Path) -> dict[str, Any]:
    """The whole pipeline on a local CSV; returns the evaluation report."""
    raw = out / "input"
    raw.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(data, raw / data.name)
    splits = preprocess.run(raw, out)
    train(splits["train"], splits["validation"], out / "model")
    return evaluate.run(out / "model", splits["test"], out / "evaluation")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--data", type=Path, required=True, help="raw Abalone CSV (no header)")
    parser.add_argument("--out", type=Path, required=True, help="output folder")
    args = parser.parse_args()
    logging.basicConfig(level=logging.INFO)
    print(json.dumps(run(args.data, args.out), indent=2))  # noqa: T201 - the CLI's output


if __name__ == "__main__":
    main()
