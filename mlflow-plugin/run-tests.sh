#!/usr/bin/env bash
# The plugin's pytest suite in MLflow's venv (scripts/install-mlflow.sh makes it). The suite
# tests these sources, not the copy installed in the venv, and starts one real MLflow server.
set -euo pipefail
cd "$(dirname "$0")/.."
exec .cache/venv/bin/python -m pytest -q mlflow-plugin/tests "$@"
