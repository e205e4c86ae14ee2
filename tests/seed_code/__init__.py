"""Tests of the seed code (run for real: preprocessing, XGBoost training, the deploy logic on moto)."""
