"""The compose example's MLflow service: its shell command, run with stand-in programs that
record their arguments, starts MLflow with the plugin, the store and workspaces as configured."""

from __future__ import annotations

import shlex
import subprocess
from pathlib import Path

import pytest
import yaml  # type: ignore[import-untyped]  # PyYAML ships no stubs; MLflow depends on it

COMPOSE = Path(__file__).resolve().parents[2] / "deploy" / "compose.yaml"
STAND_INS = ("cp", "pip", "sed", "python", "mlflow")
WORKSPACES_VARIABLE = "MLFLOW_ENABLE_WORKSPACES"


def _mlflow_command() -> str:
    service = yaml.safe_load(COMPOSE.read_text())["services"]["mlflow"]
    # Compose turns `$$` into `$` and hands the string to a shell-like split.
    argv = shlex.split(service["command"].replace("$$", "$"))
    assert argv[:2] == ["sh", "-c"]
    return argv[2]


def _run(tmp_path: Path, env: dict[str, str]) -> dict[str, list[str]]:
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    for name in STAND_INS:
        stand_in = bin_dir / name
        stand_in.write_text(
            f'#!/bin/sh\necho "{name} {WORKSPACES_VARIABLE}=${{{WORKSPACES_VARIABLE}:-}} $*"\n'
        )
        stand_in.chmod(0o755)
    # The one absolute path the shell itself writes to (a redirect) moves under tmp_path.
    script = _mlflow_command().replace("/mlauth/", f"{tmp_path}/")
    done = subprocess.run(
        ["/bin/sh", "-c", script],
        env={"PATH": f"{bin_dir}:/usr/bin:/bin", **env},
        capture_output=True,
        text=True,
        timeout=30,
        check=True,
    )
    calls: dict[str, list[str]] = {}
    for line in done.stdout.splitlines():
        name, _, rest = line.partition(" ")
        calls[name] = rest.split()
    return calls


def test_the_command_is_one_shell_line_that_starts_mlflow_with_every_argument(
    tmp_path: Path,
) -> None:
    calls = _run(tmp_path, {})
    mlflow = calls["mlflow"]
    assert mlflow[0] == "MLFLOW_ENABLE_WORKSPACES="
    assert mlflow[1:5] == ["server", "--app-name", "basic-auth", "--host"]
    for flag, value in [
        ("--backend-store-uri", "postgresql://mlflow:mlflow@postgres/mlflow"),
        ("--artifacts-destination", "/mlartifacts"),
    ]:
        assert mlflow[mlflow.index(flag) + 1] == value
    assert "--serve-artifacts" in mlflow
    assert calls["pip"][-1] == "/tmp/mlflow-plugin"
    assert calls["python"][1:] == ["-m", "mlflow_descope_portal"]


@pytest.mark.parametrize(
    ("portal_workspaces", "enabled"), [("tenants", "true"), ("off", ""), ("", "")]
)
def test_portal_workspaces_tenants_turns_mlflow_workspaces_on(
    tmp_path: Path, portal_workspaces: str, enabled: str
) -> None:
    assert (
        _run(tmp_path, {"PORTAL_WORKSPACES": portal_workspaces})["mlflow"][0]
        == f"MLFLOW_ENABLE_WORKSPACES={enabled}"
    )


def test_both_services_read_the_same_switch() -> None:
    services = yaml.safe_load(COMPOSE.read_text())["services"]
    assert (
        services["mlflow"]["environment"]["PORTAL_WORKSPACES"]
        == services["portal"]["environment"]["PORTAL_WORKSPACES"]
        == "${PORTAL_WORKSPACES:-off}"
    )
