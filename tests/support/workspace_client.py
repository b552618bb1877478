"""The stock mlflow client through the portal, in the workspace MLFLOW_WORKSPACE names.

argv: seed <prefix>  → creates an experiment, a run with a metric and an artifact, a registered
      model and a prompt; prints their ids as one JSON line.
argv: probe <json>   → tries to read each thing seed made (by the ids in <json>) and to write
      into its experiment; prints {"<what>": "ok" | "<error>"} as one JSON line.
MLFLOW_TRACKING_URI is the portal's /mlflow, MLFLOW_TRACKING_TOKEN a Descope session or key.
"""

import json
import os
import sys
import tempfile
import warnings

warnings.filterwarnings("ignore")


def seed(prefix: str) -> dict[str, str]:
    import mlflow
    from mlflow import MlflowClient

    client = MlflowClient()
    experiment_id = client.create_experiment(f"{prefix}-experiment")
    run = client.create_run(experiment_id)
    client.log_metric(run.info.run_id, "loss", 0.5)
    with tempfile.TemporaryDirectory() as folder:
        path = os.path.join(folder, "notes.txt")
        with open(path, "w") as handle:
            handle.write(f"{prefix} secret notes")
        client.log_artifact(run.info.run_id, path)
    client.set_terminated(run.info.run_id)
    client.create_registered_model(f"{prefix}-model")
    mlflow.genai.register_prompt(name=f"{prefix}-prompt", template="Hello {{name}}")
    return {
        "experiment_id": experiment_id,
        "run_id": run.info.run_id,
        "model": f"{prefix}-model",
        "prompt": f"{prefix}-prompt",
    }


def probe(ids: dict[str, str]) -> dict[str, str]:
    import mlflow
    from mlflow import MlflowClient

    client = MlflowClient()
    checks = {
        "get_experiment": lambda: client.get_experiment(ids["experiment_id"]),
        "search_experiments": lambda: _must_find(
            ids["experiment_id"], [e.experiment_id for e in client.search_experiments()]
        ),
        "search_runs": lambda: _must_find(
            ids["run_id"], [r.info.run_id for r in client.search_runs([ids["experiment_id"]])]
        ),
        "get_run": lambda: client.get_run(ids["run_id"]),
        "download_artifact": lambda: client.download_artifacts(
            ids["run_id"], "notes.txt", tempfile.mkdtemp()
        ),
        "get_registered_model": lambda: client.get_registered_model(ids["model"]),
        "load_prompt": lambda: mlflow.genai.load_prompt(f"prompts:/{ids['prompt']}/1"),
        "create_run": lambda: client.create_run(ids["experiment_id"]),
    }
    results: dict[str, str] = {}
    for name, check in checks.items():
        try:
            check()
            results[name] = "ok"
        except Exception as error:  # the message is what the test asserts on
            results[name] = f"{type(error).__name__}: {str(error)[:300]}"
    return results


def _must_find(wanted: str, found: list[str]) -> None:
    if wanted not in found:
        raise LookupError(f"{wanted} not in the {len(found)} results")


def main() -> None:
    action, argument = sys.argv[1:3]
    if action == "seed":
        print(json.dumps(seed(argument)))
    else:
        print(json.dumps(probe(json.loads(argument))))


if __name__ == "__main__":
    main()
