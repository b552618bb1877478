"""The secret and the ini: bad configuration names the setting to fix, and the shipped ini is
one MLflow and the plugin both accept."""

from __future__ import annotations

import configparser
from pathlib import Path

import pytest

from mlflow_descope_portal.__main__ import check
from mlflow_descope_portal.settings import ConfigurationError, load_settings

SHIPPED_INI = Path(__file__).resolve().parents[1] / "descope-auth.ini"
SECRET = "s" * 32


@pytest.mark.parametrize(
    ("value", "problem"),
    [
        (None, "PORTAL_ASSERTION_SECRET is not set"),
        ("", "PORTAL_ASSERTION_SECRET is not set"),
        ("s" * 31, "PORTAL_ASSERTION_SECRET is 31 bytes"),
    ],
)
def test_a_missing_or_short_secret_is_refused(value: str | None, problem: str) -> None:
    environ = {} if value is None else {"PORTAL_ASSERTION_SECRET": value}
    with pytest.raises(ConfigurationError, match=problem):
        load_settings(environ)


def test_the_secret_is_counted_in_utf8_bytes() -> None:
    assert load_settings({"PORTAL_ASSERTION_SECRET": "é" * 16}).secret == ("é" * 16).encode()
    with pytest.raises(ConfigurationError, match="is 30 bytes"):
        load_settings({"PORTAL_ASSERTION_SECRET": "é" * 15})


def test_unmanaged_roles_come_from_the_ini(tmp_path: Path) -> None:
    ini = tmp_path / "auth.ini"
    ini.write_text("[mlflow]\ndescope_unmanaged_roles = reviewers,  on-call ,\n")
    settings = load_settings(
        {"PORTAL_ASSERTION_SECRET": SECRET, "MLFLOW_AUTH_CONFIG_PATH": str(ini)}
    )
    assert settings.unmanaged_roles == frozenset({"reviewers", "on-call"})


@pytest.mark.parametrize(
    ("line", "adopt"),
    [("", True), ("adopt_existing_users =\n", True), ("adopt_existing_users = true\n", True)]
    + [
        (f"adopt_existing_users = {value}\n", False)
        for value in ("false", "False", "no", "0", "off")
    ],
)
def test_adoption_is_on_unless_the_ini_turns_it_off(tmp_path: Path, line: str, adopt: bool) -> None:
    ini = tmp_path / "auth.ini"
    ini.write_text(f"[mlflow]\n{line}")
    environ = {"PORTAL_ASSERTION_SECRET": SECRET, "MLFLOW_AUTH_CONFIG_PATH": str(ini)}
    assert load_settings(environ).adopt_existing_users is adopt


def test_a_misspelt_adoption_switch_is_a_configuration_error(tmp_path: Path) -> None:
    ini = tmp_path / "auth.ini"
    ini.write_text("[mlflow]\nadopt_existing_users = sometimes\n")
    environ = {"PORTAL_ASSERTION_SECRET": SECRET, "MLFLOW_AUTH_CONFIG_PATH": str(ini)}
    with pytest.raises(ConfigurationError, match="adopt_existing_users in \\[mlflow\\] must be"):
        load_settings(environ)
    assert any("adopt_existing_users" in problem for problem in check(environ))


@pytest.mark.parametrize(
    ("variable", "expected"),
    [(None, "from-the-ini"), ("from-the-environment", "from-the-environment"), ("", None)],
)
def test_the_bootstrap_admin_is_the_one_mlflow_reads(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, variable: str | None, expected: str | None
) -> None:
    from mlflow.server.auth.config import read_auth_config

    ini = tmp_path / "auth.ini"
    ini.write_text(
        "[mlflow]\ndefault_permission = NO_PERMISSIONS\ndatabase_uri = sqlite://\n"
        "admin_username = from-the-ini\n"
    )
    environ = {"PORTAL_ASSERTION_SECRET": SECRET, "MLFLOW_AUTH_CONFIG_PATH": str(ini)}
    monkeypatch.setenv("MLFLOW_AUTH_CONFIG_PATH", str(ini))
    monkeypatch.delenv("MLFLOW_AUTH_ADMIN_USERNAME", raising=False)
    if variable is not None:
        environ["MLFLOW_AUTH_ADMIN_USERNAME"] = variable
        monkeypatch.setenv("MLFLOW_AUTH_ADMIN_USERNAME", variable)
    assert load_settings(environ).admin_username == expected
    assert read_auth_config().admin_username == expected


def test_an_unreadable_ini_is_a_configuration_error(tmp_path: Path) -> None:
    environ = {"PORTAL_ASSERTION_SECRET": SECRET, "MLFLOW_AUTH_CONFIG_PATH": str(tmp_path / "no")}
    with pytest.raises(ConfigurationError, match="cannot read MLFLOW_AUTH_CONFIG_PATH"):
        load_settings(environ)


def test_the_shipped_ini_passes_the_check() -> None:
    environ = {"PORTAL_ASSERTION_SECRET": SECRET, "MLFLOW_AUTH_CONFIG_PATH": str(SHIPPED_INI)}
    assert check(environ) == []
    settings = load_settings(environ)
    assert settings.unmanaged_roles == frozenset()
    assert settings.adopt_existing_users is True
    assert settings.admin_username == "mlflow-bootstrap-admin"


def test_the_shipped_ini_is_read_by_mlflow(monkeypatch: pytest.MonkeyPatch) -> None:
    from mlflow.server.auth.config import read_auth_config

    monkeypatch.setenv("MLFLOW_AUTH_CONFIG_PATH", str(SHIPPED_INI))
    monkeypatch.delenv("MLFLOW_AUTH_ADMIN_USERNAME", raising=False)
    config = read_auth_config()
    assert config.authorization_function == "mlflow_descope_portal.auth:authenticate"
    assert config.default_permission == "NO_PERMISSIONS"
    assert config.admin_username == "mlflow-bootstrap-admin"
    parser = configparser.ConfigParser()
    parser.read(SHIPPED_INI)
    assert "admin_password" not in parser["mlflow"]  # it comes from MLFLOW_AUTH_ADMIN_PASSWORD


def test_the_check_names_every_problem(tmp_path: Path) -> None:
    ini = tmp_path / "auth.ini"
    ini.write_text(
        "[mlflow]\nauthorization_function = mlflow.server.auth:authenticate_request_basic_auth\n"
    )
    problems = check({"MLFLOW_AUTH_CONFIG_PATH": str(ini)})
    assert any("PORTAL_ASSERTION_SECRET is not set" in problem for problem in problems)
    assert any("'default_permission'" in problem for problem in problems)
    assert any("'database_uri'" in problem for problem in problems)
    assert any("authorization_function must be" in problem for problem in problems)
    assert check({"PORTAL_ASSERTION_SECRET": SECRET}) == [
        "MLFLOW_AUTH_CONFIG_PATH is not set; point it at descope-auth.ini"
    ]
