#!/usr/bin/env bash
# Creates .cache/venv with mlflow==3.18.0 (idempotent; CI and `npm run demo` call it).
# The package mirror here has mlflow 3.18.0 but not yet its twins mlflow-skinny/mlflow-tracing
# 3.18.0. The mlflow wheel carries the whole code base, so when the plain install fails we take
# 3.17.2's dependency set and lay the 3.18.0 wheel over it (pip uninstalls 3.17.2's files first).
set -euo pipefail
cd "$(dirname "$0")/.."
version=3.18.0
venv=.cache/venv
if [ -x "$venv/bin/python" ] && "$venv/bin/python" -c "import mlflow,sys; sys.exit(mlflow.__version__ != '$version')" 2>/dev/null; then
  exit 0
fi
python3 -m venv "$venv"
"$venv/bin/pip" install -q --upgrade pip >/dev/null
if ! "$venv/bin/pip" install -q "mlflow==$version"; then
  echo "install-mlflow: mlflow-skinny==$version is not on this index; overlaying mlflow $version on 3.17.2's dependencies" >&2
  "$venv/bin/pip" install -q "mlflow==3.17.2"
  "$venv/bin/pip" install -q --no-deps --force-reinstall "mlflow==$version"
fi
"$venv/bin/python" -c "import mlflow; assert mlflow.__version__ == '$version', mlflow.__version__; print('mlflow', mlflow.__version__)"
