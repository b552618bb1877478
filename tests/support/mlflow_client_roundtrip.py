"""The stock mlflow client through the portal: log params, metrics, tags and an artifact, read them back.

Environment: MLFLOW_TRACKING_URI=<portal>/mlflow and MLFLOW_TRACKING_TOKEN (or _USERNAME/_PASSWORD).
Prints one JSON line with what it saw; exits 3 with {"error": ...} when MLflow refused it.
"""
import hashlib
import json
import os
import sys
import tempfile
import warnings

warnings.filterwarnings("ignore")

import mlflow  # noqa: E402
from mlflow.exceptions import MlflowException  # noqa: E402
from mlflow.tracking import MlflowClient  # noqa: E402


def sha256(path):
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def main():
    artifact_mb = int(os.environ.get("ARTIFACT_MB", "1"))
    try:
        client = MlflowClient()
        experiment_id = client.create_experiment(os.environ.get("EXPERIMENT_NAME", "roundtrip"))
        # The client claims to be someone else; the portal must overwrite this.
        run = client.create_run(experiment_id, tags={"mlflow.user": "mallory", "team": "vision"})
        run_id = run.info.run_id
        client.log_param(run_id, "lr", "0.01")
        for step in range(5):
            client.log_metric(run_id, "loss", 1.0 / (step + 1), step=step)
        client.set_tag(run_id, "stage", "test")
        with tempfile.TemporaryDirectory() as tmp:
            source = os.path.join(tmp, "blob.bin")
            with open(source, "wb") as handle:
                chunk = os.urandom(1 << 20)
                for _ in range(artifact_mb):
                    handle.write(chunk)
            client.log_artifact(run_id, source, artifact_path="data")
            client.set_terminated(run_id)
            downloaded = client.download_artifacts(run_id, "data/blob.bin", os.path.join(tmp, "out"))
            same = sha256(source) == sha256(downloaded)
        got = client.get_run(run_id)
        history = [m.value for m in client.get_metric_history(run_id, "loss")]
        print(json.dumps({
            "run_id": run_id,
            "user_id": got.info.user_id,
            "params": got.data.params,
            "tags": got.data.tags,
            "loss_history": history,
            "artifact_identical": same,
            "artifact_bytes": artifact_mb << 20,
        }))
    except MlflowException as error:
        print(json.dumps({"error": str(error)[:500]}))
        sys.exit(3)


if __name__ == "__main__":
    main()
