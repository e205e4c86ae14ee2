"""Shared machinery of the test-suite: Terraform working copies, provider sources, inventories, moto."""
