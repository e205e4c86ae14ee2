"""Preprocessing step: one-hot encode sex, scale the measurements, split train/validation/test.

Runs in a SageMaker Processing job (SKLearn container) with the raw CSV in /opt/ml/processing/input and
writes label-first, header-less CSVs (what the built-in XGBoost algorithm reads) to
/opt/ml/processing/{train,validation,test}.
"""

from __future__ import annotations

import argparse
import logging
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd
from sklearn.compose import ColumnTransformer
from sklearn.impute import SimpleImputer
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import OneHotEncoder, StandardScaler

LOG = logging.getLogger(__name__)
# This file runs alone in the processing container (only it is uploaded): it imports nothing of the package.
FEATURES = [
    "sex",
    "length",
    "diameter",
    "height",
    "whole_weight",
    "shucked_weight",
    "viscera_weight",
    "shell_weight",
]
LABEL = "rings"
COLUMNS = [*FEATURES, LABEL]
NUMERIC = FEATURES[1:]
SEXES = ["F", "I", "M"]


class InputDataError(ValueError):
    """The raw data does not have the Abalone shape."""


@dataclass(frozen=True)
class Splits:
    """Label-first arrays of the three splits."""

    train: np.ndarray
    validation: np.ndarray
    test: np.ndarray


def read_raw(path: Path) -> pd.DataFrame:
    """Read the raw, header-less Abalone CSV; refuse one that does not have its 9 columns."""
    frame = pd.read_csv(path, header=None)
    if frame.shape[1] != len(COLUMNS):
        raise InputDataError(f"{path}: expected {len(COLUMNS)} columns ({', '.join(COLUMNS)}), found {frame.shape[1]}")
    frame.columns = COLUMNS
    unknown = sorted(set(frame["sex"].astype(str)) - set(SEXES))
    if unknown:
        raise InputDataError(f"{path}: unknown values in column sex: {unknown} (expected {SEXES})")
    if len(frame) < 20:
        raise InputDataError(f"{path}: only {len(frame)} rows; need at least 20 to split")
    return frame


def transform(frame: pd.DataFrame, seed: int = 42) -> Splits:
    """Shuffle, encode and scale, then split 70/15/15 (label first in every row)."""
    y = frame[LABEL].to_numpy(dtype=float)
    features = ColumnTransformer(
        [
            ("numeric", make_pipeline(SimpleImputer(strategy="median"), StandardScaler()), NUMERIC),
            ("sex", OneHotEncoder(categories=[SEXES], handle_unknown="ignore"), ["sex"]),
        ]
    )
    x = np.asarray(features.fit_transform(frame[FEATURES]), dtype=float)
    data = np.column_stack([y, x])
    rng = np.random.default_rng(seed)
    data = data[rng.permutation(len(data))]
    n_train = int(0.7 * len(data))
    n_validation = int(0.15 * len(data))
    return Splits(
        train=data[:n_train],
        validation=data[n_train : n_train + n_validation],
        test=data[n_train + n_validation :],
    )


def write_splits(splits: Splits, out: Path) -> dict[str, Path]:
    """Write each split as out/<split>/<split>.csv (no header, label first)."""
    written: dict[str, Path] = {}
    for name in ("train", "validation", "test"):
        target = out / name / f"{name}.csv"
        target.parent.mkdir(parents=True, exist_ok=True)
        pd.DataFrame(getattr(splits, name)).to_csv(target, header=False, index=False)
        written[name] = target
    return written


def run(input_dir: Path, output_dir: Path) -> dict[str, Path]:
    """Preprocess every CSV of input_dir into output_dir/{train,validation,test}."""
    files = sorted(input_dir.glob("*.csv"))
    if not files:
        raise InputDataError(f"{input_dir}: no .csv file to preprocess")
    frame = pd.concat([read_raw(f) for f in files], ignore_index=True)
    LOG.info("preprocessing %d rows from %d file(s)", len(frame), len(files))
    return write_splits(transform(frame), output_dir)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--input-dir", type=Path, default=Path("/opt/ml/processing/input"))
    parser.add_argument("--output-dir", type=Path, default=Path("/opt/ml/processing"))
    args = parser.parse_args()
    logging.basicConfig(level=logging.INFO)
    run(args.input_dir, args.output_dir)


if __name__ == "__main__":
    main()
