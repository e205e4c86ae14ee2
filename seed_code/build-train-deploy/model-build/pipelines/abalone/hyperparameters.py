"""The hyperparameters of the built-in XGBoost training step, used by the pipeline and by local_run.

Kept free of imports: generating the pipeline definition (CodeBuild, with only requirements.txt installed)
must not need xgboost or scikit-learn.
"""

from __future__ import annotations

from typing import Any

HYPERPARAMETERS: dict[str, Any] = {
    "objective": "reg:squarederror",
    "num_round": 50,
    "max_depth": 5,
    "eta": 0.2,
    "gamma": 4,
    "min_child_weight": 6,
    "subsample": 0.7,
}
