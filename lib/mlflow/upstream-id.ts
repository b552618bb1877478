/**
 * The file MLflow serves from its artifact root that names it (MLFLOW_UPSTREAM_ID): /auth/health
 * reads it back to prove which MLflow answers; the local stack writes a fresh one per start.
 */
export const UPSTREAM_ID_ARTIFACT = '.portal-upstream-id';

/** Where MLflow serves that file: its proxied artifact root (`--serve-artifacts`). */
export const UPSTREAM_ID_PATH = `api/2.0/mlflow-artifacts/artifacts/${UPSTREAM_ID_ARTIFACT}`;
