"""``python -m mlflow_descope_portal``: check the configuration before starting MLflow.

MLflow imports the authorization_function only when the first request arrives, so a missing
secret would otherwise surface as a 500 on every request of a server that looks healthy. Run
this in the same environment just before ``mlflow server`` to fail the start instead.
"""

from __future__ import annotations

import configparser
import os
import sys

from .settings import AUTH_CONFIG_ENV, ConfigurationError, load_settings

ENTRY_POINT = "mlflow_descope_portal.auth:authenticate"


def check(environ: dict[str, str]) -> list[str]:
    problems: list[str] = []
    try:
        load_settings(environ)
    except ConfigurationError as error:
        problems.append(str(error))
    path = environ.get(AUTH_CONFIG_ENV)
    if not path:
        problems.append(f"{AUTH_CONFIG_ENV} is not set; point it at descope-auth.ini")
        return problems
    config = configparser.ConfigParser()
    if not config.read(path, encoding="utf-8") or not config.has_section("mlflow"):
        problems.append(f"{AUTH_CONFIG_ENV}={path} has no [mlflow] section")
        return problems
    for key in ("default_permission", "database_uri"):
        if not config.get("mlflow", key, fallback=""):
            problems.append(f"{path}: MLflow requires '{key}' in [mlflow]")
    configured = config.get("mlflow", "authorization_function", fallback="")
    if configured != ENTRY_POINT:
        problems.append(f"{path}: authorization_function must be {ENTRY_POINT}, not {configured!r}")
    return problems


def main() -> int:
    problems = check(dict(os.environ))
    for problem in problems:
        print(f"mlflow-descope-portal: {problem}", file=sys.stderr)
    if not problems:
        print("mlflow-descope-portal: configuration ok")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
