"""Configuration, read once per worker process.

``PORTAL_ASSERTION_SECRET`` comes from the environment (never from the ini, which is often
world-readable). ``descope_unmanaged_roles`` and ``adopt_existing_users`` live in the ``[mlflow]``
section of the ini named by ``MLFLOW_AUTH_CONFIG_PATH``; MLflow ignores keys it does not know.
``admin_username`` is MLflow's own key, resolved as MLflow resolves it.
"""

from __future__ import annotations

import configparser
import os
from collections.abc import Mapping
from dataclasses import dataclass

SECRET_ENV = "PORTAL_ASSERTION_SECRET"
MIN_SECRET_BYTES = 32
AUTH_CONFIG_ENV = "MLFLOW_AUTH_CONFIG_PATH"
ADMIN_USERNAME_ENV = "MLFLOW_AUTH_ADMIN_USERNAME"
UNMANAGED_ROLES_KEY = "descope_unmanaged_roles"
ADOPT_EXISTING_USERS_KEY = "adopt_existing_users"


class ConfigurationError(Exception):
    """The plugin cannot authenticate anyone; the message names the setting to fix."""


@dataclass(frozen=True)
class Settings:
    secret: bytes
    # MLflow roles that role mirroring never assigns or removes (see sync.py).
    unmanaged_roles: frozenset[str]
    # Whether an MLflow user that no Descope user is bound to yet is taken over by the first
    # Descope user asserted under its name (see binding.py).
    adopt_existing_users: bool = True
    # MLflow's bootstrap admin, which no portal identity may ever become.
    admin_username: str | None = None


def load_settings(environ: Mapping[str, str] = os.environ) -> Settings:
    ini = _read_ini(environ)
    raw_roles = ini.get(UNMANAGED_ROLES_KEY, "")
    return Settings(
        secret=_secret(environ),
        unmanaged_roles=frozenset(name.strip() for name in raw_roles.split(",") if name.strip()),
        adopt_existing_users=_boolean(ini, ADOPT_EXISTING_USERS_KEY, default=True),
        admin_username=_admin_username(environ, ini),
    )


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


def _read_ini(environ: Mapping[str, str]) -> Mapping[str, str]:
    path = environ.get(AUTH_CONFIG_ENV)
    if not path:
        return {}
    config = configparser.ConfigParser()
    try:
        with open(path, encoding="utf-8") as file:
            config.read_file(file)
    except (OSError, configparser.Error) as error:
        raise ConfigurationError(f"cannot read {AUTH_CONFIG_ENV}={path}: {error}") from error
    return config["mlflow"] if config.has_section("mlflow") else {}


def _boolean(ini: Mapping[str, str], key: str, *, default: bool) -> bool:
    raw = ini.get(key, "").strip().lower()
    if not raw:
        return default
    if raw in configparser.ConfigParser.BOOLEAN_STATES:
        return configparser.ConfigParser.BOOLEAN_STATES[raw]
    raise ConfigurationError(f"{key} in [mlflow] must be true or false, not {raw!r}")


def _admin_username(environ: Mapping[str, str], ini: Mapping[str, str]) -> str | None:
    # As mlflow.server.auth.config.read_auth_config: the variable wins whenever it is set, even
    # empty, and empty means none.
    if ADMIN_USERNAME_ENV in environ:
        return environ[ADMIN_USERNAME_ENV] or None
    return ini.get("admin_username") or None
