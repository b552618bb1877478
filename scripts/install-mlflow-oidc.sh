#!/usr/bin/env bash
# Creates .cache/venv-oidc with the newest mlflow-oidc-auth from PyPI, for `npm run bench`'s
# comparison (idempotent). Its own venv: it pins its own dependency ranges. MLflow itself is laid
# over at the portal's version (3.18.0, as scripts/install-mlflow.sh does) so every way in the
# benchmark runs the same MLflow; mlflow-oidc-auth accepts any mlflow >=3.16,<4.
# It needs Python 3.12+ although it declares >=3.11: a frozen dataclass of its has a mappingproxy
# default, which Python 3.11's dataclasses refuse ("mutable default") and 3.12 accepts (hashable).
set -euo pipefail
cd "$(dirname "$0")/.."
version=3.18.0
venv=.cache/venv-oidc
ready() { "$venv/bin/python" -c "import mlflow, mlflow_oidc_auth, sys; sys.exit(mlflow.__version__ != '$version' or sys.version_info < (3, 12))" 2>/dev/null; }
if [ -x "$venv/bin/python" ] && ready; then
  exit 0
fi
python=""
for candidate in python3.13 python3.12 "$HOME"/.pyenv/versions/3.1[2-9]*/bin/python3; do
  if command -v "$candidate" >/dev/null && "$candidate" -c "import sys; sys.exit(sys.version_info < (3, 12))" 2>/dev/null; then
    python=$candidate
    break
  fi
done
if [ -z "$python" ]; then
  echo "install-mlflow-oidc: mlflow-oidc-auth needs Python 3.12 or newer; none found (tried python3.13, python3.12, ~/.pyenv)" >&2
  exit 1
fi
if ! "$venv/bin/python" -c "import sys; sys.exit(sys.version_info < (3, 12))" 2>/dev/null; then
  rm -rf "$venv"
  "$python" -m venv "$venv"
fi
"$venv/bin/pip" install -q --upgrade pip >/dev/null
"$venv/bin/pip" install -q mlflow-oidc-auth
"$venv/bin/python" -c "import mlflow, sys; sys.exit(mlflow.__version__ != '$version')" 2>/dev/null \
  || "$venv/bin/pip" install -q --no-deps --force-reinstall "mlflow==$version"
"$venv/bin/python" -c "
import mlflow
from importlib.metadata import version
assert mlflow.__version__ == '$version', mlflow.__version__
print('mlflow', mlflow.__version__, '+ mlflow-oidc-auth', version('mlflow-oidc-auth'))"
