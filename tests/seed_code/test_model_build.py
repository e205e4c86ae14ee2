"""The model-build steps on a few hundred synthetic rows: preprocess, train XGBoost, evaluate (for real)."""

from __future__ import annotations

import importlib
import json
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from tests.seed_code.conftest import MODEL_BUILD


class _Imported:
    """A seed-code module imported on first use: they import pandas, scikit-learn and XGBoost, seconds of CPU that
    every xdist worker collecting this file paid, although one runs its tests."""

    def __init__(self, name: str) -> None:
        self._name = name

    def __getattr__(self, attribute: str) -> Any:
        if attribute.startswith("_"):  # what pytest's collection looks up on module-level objects
            raise AttributeError(attribute)
        return getattr(importlib.import_module(self._name), attribute)


data = _Imported("pipelines.abalone.data")
preprocess = _Imported("pipelines.abalone.preprocess")
evaluate = _Imported("pipelines.abalone.evaluate")
local_run = _Imported("pipelines.abalone.local_run")


def test_bundled_sample_is_abalone_shaped() -> None:
    frame = preprocess.read_raw(MODEL_BUILD / "data" / "abalone-sample.csv")
    assert list(frame.columns) == data.COLUMNS
    assert len(frame) == 400
    assert set(frame["sex"]) == {"M", "F", "I"}


def test_preprocess_encodes_scales_and_splits(tmp_path: Path) -> None:
    data.write_sample(tmp_path / "in" / "abalone.csv", n=300, seed=3)
    written = preprocess.run(tmp_path / "in", tmp_path / "out")
    arrays = {name: np.loadtxt(path, delimiter=",", ndmin=2) for name, path in written.items()}
    assert [len(arrays[n]) for n in ("train", "validation", "test")] == [210, 45, 45]
    train = arrays["train"]
    assert train.shape[1] == 1 + 7 + 3  # label, 7 scaled measurements, 3 one-hot sex columns
    one_hot = np.vstack([a[:, 8:] for a in arrays.values()])
    assert set(np.unique(one_hot)) == {0.0, 1.0} and np.all(one_hot.sum(axis=1) == 1)
    numeric = np.vstack([a[:, 1:8] for a in arrays.values()])
    assert np.allclose(numeric.mean(axis=0), 0, atol=1e-6) and np.allclose(numeric.std(axis=0), 1, atol=1e-6)
    labels = np.concatenate([a[:, 0] for a in arrays.values()])
    raw_labels = sorted(r[-1] for r in data.synthetic_rows(300, seed=3))
    assert sorted(labels.tolist()) == [float(x) for x in raw_labels]  # every row kept once, label first


def test_preprocess_refuses_a_missing_column(tmp_path: Path) -> None:
    rows = [row[:-1] for row in data.synthetic_rows(30)]
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "bad.csv").write_text("\n".join(",".join(map(str, r)) for r in rows))
    with pytest.raises(preprocess.InputDataError, match=r"bad\.csv: expected 9 columns .* found 8"):
        preprocess.run(tmp_path / "in", tmp_path / "out")


def test_preprocess_refuses_unknown_sex(tmp_path: Path) -> None:
    rows = data.synthetic_rows(30)
    rows[0][0] = "X"
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "bad.csv").write_text("\n".join(",".join(map(str, r)) for r in rows))
    with pytest.raises(preprocess.InputDataError, match=r"unknown values in column sex: \['X'\]"):
        preprocess.run(tmp_path / "in", tmp_path / "out")


def test_train_and_evaluate_beat_the_mean_predictor(tmp_path: Path) -> None:
    report = local_run.run(MODEL_BUILD / "data" / "abalone-sample.csv", tmp_path)
    written = json.loads((tmp_path / "evaluation" / "evaluation.json").read_text())
    assert written == report
    mse = report["regression_metrics"]["mse"]["value"]
    test = np.loadtxt(tmp_path / "test" / "test.csv", delimiter=",", ndmin=2)
    baseline = float(np.mean((test[:, 0] - test[:, 0].mean()) ** 2))  # predicting the mean age
    assert 0 < mse < 0.5 * baseline, f"model MSE {mse:.3f} should be well under the mean predictor's {baseline:.3f}"
    assert report["regression_metrics"]["mse"]["standard_deviation"] > 0
    assert (tmp_path / "model" / "xgboost-model.json").stat().st_size > 1000


def test_metrics_are_the_mean_squared_error() -> None:
    report = evaluate.metrics(np.array([1.0, 2.0, 3.0]), np.array([1.0, 4.0, 0.0]))
    assert report["regression_metrics"]["mse"]["value"] == pytest.approx((0 + 4 + 9) / 3)


def test_evaluate_without_a_model_fails_clearly(tmp_path: Path) -> None:
    with pytest.raises(FileNotFoundError, match="no xgboost-model"):
        evaluate.load_model(tmp_path)
