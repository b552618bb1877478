#!/usr/bin/env bash
# Creates .cache/venv with mlflow==3.18.0 and its `auth` extra (Flask-WTF, for
# `mlflow server --app-name basic-auth`, which `npm run bench` compares against), then installs
# mlflow-plugin/ (the portal's authorization_function for that app, with pytest for its tests).
# Idempotent; CI, `npm test`, `npm run demo` and `npm run bench` call it.
# The package mirror here has mlflow 3.18.0 but not yet its twins mlflow-skinny/mlflow-tracing
# 3.18.0. The mlflow wheel carries the whole code base, so when the plain install fails we take
# 3.17.2's dependency set and lay the 3.18.0 wheel over it (pip uninstalls 3.17.2's files first).
set -euo pipefail
cd "$(dirname "$0")/.."
version=3.18.0
venv=.cache/venv
has_mlflow() { "$venv/bin/python" -c "import mlflow,sys; sys.exit(mlflow.__version__ != '$version')" 2>/dev/null; }
has_auth_extra() { "$venv/bin/python" -c "import flask_wtf" 2>/dev/null; }
# The auth extra's requirements as the installed mlflow declares them: `--no-deps` in the overlay
# path skips extras, so they are installed by name in both paths (and into a venv made before).
auth_requirements() {
  "$venv/bin/python" -c "
from importlib.metadata import requires
print('\n'.join(r.split(';')[0].strip() for r in requires('mlflow') or [] if 'extra == \"auth\"' in r))"
}
# The plugin is reinstalled only when its sources changed: their hash is kept in the venv.
plugin=mlflow-plugin
plugin_stamp="$venv/.mlflow-descope-portal.sha256"
plugin_hash() {
  find "$plugin/pyproject.toml" "$plugin/mlflow_descope_portal" -type f \( -name '*.py' -o -name '*.toml' -o -name py.typed \) -print0 \
    | LC_ALL=C sort -z | xargs -0 sha256sum | sha256sum | cut -d' ' -f1
}
has_plugin() {
  [ -f "$plugin_stamp" ] && [ "$(cat "$plugin_stamp")" = "$(plugin_hash)" ] \
    && "$venv/bin/python" -c "import mlflow_descope_portal.auth, pytest" 2>/dev/null
}
install_plugin() {
  has_plugin && return 0
  # Not editable: MLflow's server imports the copy in its venv, as in production. pip always
  # rebuilds and replaces a package given as a local folder, whatever version is installed.
  "$venv/bin/pip" install -q "./$plugin[test]"
  PYTHONWARNINGS=ignore "$venv/bin/python" -c "import mlflow_descope_portal.auth, pytest; print('mlflow-descope-portal', mlflow_descope_portal.__version__, '+ pytest', pytest.__version__)"
  plugin_hash >"$plugin_stamp"
}
if [ -x "$venv/bin/python" ] && has_mlflow && has_auth_extra; then
  install_plugin
  exit 0
fi
if ! { [ -x "$venv/bin/python" ] && has_mlflow; }; then
  # A worktree's .cache/venv may be a symlink to the main checkout's venv, which venv refuses.
  python3 -m venv "$(realpath -m "$venv")"
  "$venv/bin/pip" install -q --upgrade pip >/dev/null
  # The first try's errors are expected where the fallback applies: shown only if it fails too.
  first_try=$(mktemp)
  if ! "$venv/bin/pip" install -q "mlflow[auth]==$version" 2>"$first_try"; then
    echo "install-mlflow: mlflow-skinny==$version is not on this index; overlaying mlflow $version on 3.17.2's dependencies" >&2
    trap 'cat "$first_try" >&2; rm -f "$first_try"' ERR
    "$venv/bin/pip" install -q "mlflow[auth]==3.17.2"
    "$venv/bin/pip" install -q --no-deps --force-reinstall "mlflow==$version"
    trap - ERR
  fi
  rm -f "$first_try"
fi
mapfile -t extra < <(auth_requirements)
[ "${#extra[@]}" -eq 0 ] || "$venv/bin/pip" install -q "${extra[@]}"
# The overlay leaves mlflow-skinny/-tracing at 3.17.2 on purpose: mlflow's warning about it is expected.
"$venv/bin/python" -W "ignore:Versions of mlflow:UserWarning" -c "import mlflow, flask_wtf; assert mlflow.__version__ == '$version', mlflow.__version__; print('mlflow', mlflow.__version__, '+ auth extra')"
install_plugin
