"""Configuration, read once per worker process.

``PORTAL_ASSERTION_SECRET`` comes from the environment (never from the ini, which is often
world-readable). ``descope_unmanaged_roles`` lives in the ``[mlflow]`` section of the ini named
by ``MLFLOW_AUTH_CONFIG_PATH``; MLflow ignores keys it does not know.
"""

from __future__ import annotations

import configparser
import os
from collections.abc import Mapping
from dataclasses import dataclass

SECRET_ENV = "PORTAL_ASSERTION_SECRET"
MIN_SECRET_BYTES = 32
AUTH_CONFIG_ENV = "MLFLOW_AUTH_CONFIG_PATH"
UNMANAGED_ROLES_KEY = "descope_unmanaged_roles"


class ConfigurationError(Exception):
    """The plugin cannot authenticate anyone; the message names the setting to fix."""


@dataclass(frozen=True)
class Settings:
    secret: bytes
    # MLflow roles that role mirroring never assigns or removes (see sync.py).
    unmanaged_roles: frozenset[str]


def load_settings(environ: Mapping[str, str] = os.environ) -> Settings:
    return Settings(secret=_secret(environ), unmanaged_roles=_unmanaged_roles(environ))


def _secret(environ: Mapping[str, str]) -> bytes:
    value = environ.get(SECRET_ENV, "")
    secret = value.encode("utf-8")
    if len(secret) < MIN_SECRET_BYTES:
        state = "is not set" if not value else f"is {len(secret)} bytes"
        raise ConfigurationError(
            f"{SECRET_ENV} {state}; it must hold the portal's assertion secret, at least "
            f"{MIN_SECRET_BYTES} bytes (the same value as the portal's {SECRET_ENV})"
        )
    return secret


def _unmanaged_roles(environ: Mapping[str, str]) -> frozenset[str]:
    path = environ.get(AUTH_CONFIG_ENV)
    if not path:
        return frozenset()
    config = configparser.ConfigParser()
    try:
        with open(path, encoding="utf-8") as file:
            config.read_file(file)
    except (OSError, configparser.Error) as error:
        raise ConfigurationError(f"cannot read {AUTH_CONFIG_ENV}={path}: {error}") from error
    raw = config.get("mlflow", UNMANAGED_ROLES_KEY, fallback="")
    return frozenset(name.strip() for name in raw.split(",") if name.strip())
