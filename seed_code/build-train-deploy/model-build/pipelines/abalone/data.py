"""The Abalone data set's shape, and a small synthetic sample of it (no download at run time)."""

from __future__ import annotations

import csv
from pathlib import Path

import numpy as np

from pipelines.abalone.preprocess import COLUMNS, FEATURES, LABEL

__all__ = ["COLUMNS", "FEATURES", "LABEL", "synthetic_rows", "write_sample"]


def synthetic_rows(n: int, seed: int = 7) -> list[list[object]]:
    """``n`` Abalone-shaped rows: plausible measurements and rings that depend on them (plus noise)."""
    rng = np.random.default_rng(seed)
    rows: list[list[object]] = []
    for _ in range(n):
        sex = str(rng.choice(["M", "F", "I"]))
        length = float(rng.uniform(0.15, 0.75))
        diameter = length * float(rng.uniform(0.75, 0.85))
        height = length * float(rng.uniform(0.30, 0.36))
        whole = 4.0 * length**3 * float(rng.uniform(0.9, 1.1))
        shucked = whole * float(rng.uniform(0.40, 0.46))
        viscera = whole * float(rng.uniform(0.20, 0.23))
        shell = whole * float(rng.uniform(0.27, 0.31))
        base = 3.0 + 18.0 * shell + 6.0 * length + (1.5 if sex != "I" else 0.0)
        rings = int(max(1, round(base + float(rng.normal(0, 1.0)))))
        rows.append(
            [
                sex,
                round(length, 3),
                round(diameter, 3),
                round(height, 3),
                round(whole, 4),
                round(shucked, 4),
                round(viscera, 4),
                round(shell, 4),
                rings,
            ]
        )
    return rows


def write_sample(path: Path, n: int = 400, seed: int = 7) -> Path:
    """Write ``n`` synthetic rows as the raw Abalone CSV (no header, like the public data set)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", newline="") as handle:
        csv.writer(handle).writerows(synthetic_rows(n, seed))
    return path
