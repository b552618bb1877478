import type { Permission } from '@/lib/auth/permission';

/**
 * Every route MLflow 3.18 serves, with the permission it needs. This file is long because it is
 * the table; `tests/unit/mlflow-permission-coverage.test.ts` fails when the installed MLflow
 * serves a route that no row matches, so a new MLflow endpoint cannot pass unclassified.
 *
 * Patterns are relative to the row's prefixes and use MLflow's own placeholder spelling:
 * `{x}` is exactly one path segment (it may sit inside a segment, as in `@{org}`), and a final
 * `{x:path}` is the rest of the path (one or more characters, slashes included). Where MLflow
 * accepts slashes mid-path (MCP server names, versions) the row names the segments instead, so
 * anything stranger fails closed. Rows list real methods only; HEAD is judged as GET.
 */
export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

export interface EndpointRow {
  methods: readonly HttpMethod[];
  pattern: string;
  permission: Permission;
  /** Stable name for logs, audit and the gateway's body inspection (e.g. `runs/create`). */
  name: string;
  /** Path prefixes under which MLflow serves this pattern (see the constants below). */
  prefixes: readonly string[];
  /**
   * Admin-only at the portal in every mode, per-resource permissions included: the route acts on
   * the server itself (the Assistant's coding agent and its tools, webhooks that call arbitrary
   * URLs, arbitrary job functions, workspace partitioning), so no resource grant may open it.
   */
  adminOnly?: true;
  /**
   * Served only by MLflow's basic-auth app (PORTAL_AUTHZ=mlflow). `permissions`: grants, roles and
   * user reads, which pass through for MLflow to decide; `users`: the user lifecycle (sign-up,
   * create, password, admin flag, delete), which Descope owns, so the portal refuses it.
   */
  authApp?: 'permissions' | 'users';
}

type RowSpec = Omit<EndpointRow, 'prefixes'>;

/** Endpoint names the gateway acts on beyond the permission check. */
export const RUN_ENDPOINTS = {
  create: 'runs/create',
  setTag: 'runs/set-tag',
  deleteTag: 'runs/delete-tag',
  logBatch: 'runs/log-batch',
  update: 'runs/update',
  createPromptlabRun: 'runs/create-promptlab-run',
} as const;

export const EXPERIMENT_TAG_ENDPOINTS = {
  create: 'experiments/create',
  setTag: 'experiments/set-experiment-tag',
  deleteTag: 'experiments/delete-experiment-tag',
} as const;

// Protobuf endpoints are registered under /api and /ajax-api for the version they were added in
// (`handlers._get_paths(path, endpoint.since.major)`); a few UI helpers exist under /ajax-api only.
const V2 = ['/api/2.0/mlflow/', '/ajax-api/2.0/mlflow/'];
const V3 = ['/api/3.0/mlflow/', '/ajax-api/3.0/mlflow/'];
const V2_AND_V3 = [...V2, ...V3];
const AJAX_V2 = ['/ajax-api/2.0/mlflow/'];
const AJAX_V3 = ['/ajax-api/3.0/mlflow/'];
const AJAX_V2_AND_V3 = [...AJAX_V2, ...AJAX_V3];
const ARTIFACT_PROXY = ['/api/2.0/mlflow-artifacts/', '/ajax-api/2.0/mlflow-artifacts/'];
const JOBS = ['/ajax-api/3.0/jobs/'];
const GATEWAY = ['/gateway/'];
const ROOT = ['/'];
// MLflow 3.18 registers SearchDatasets from a proto path without its leading slash.
const UNSLASHED_V2 = ['/api/2.0', '/ajax-api/2.0'];

const under = (prefixes: readonly string[], rows: readonly RowSpec[]): EndpointRow[] => rows.map((row) => ({ ...row, prefixes }));

export const ENDPOINT_ROWS: readonly EndpointRow[] = [
  // The UI: its shell, bundle and probes. Any signed-in reader may load it.
  ...under(ROOT, [
    { methods: ['GET'], pattern: '', permission: 'READ', name: 'ui/index' },
    { methods: ['GET'], pattern: 'static-files/{path:path}', permission: 'READ', name: 'ui/static-files' },
    // Flask's implicit static route for the same js/build folder.
    { methods: ['GET'], pattern: 'build/{filename:path}', permission: 'READ', name: 'ui/build-files' },
    { methods: ['GET'], pattern: 'health', permission: 'READ', name: 'health' },
    { methods: ['GET'], pattern: 'version', permission: 'READ', name: 'version' },
    { methods: ['GET'], pattern: 'get-artifact', permission: 'READ', name: 'get-artifact' },
    { methods: ['GET'], pattern: 'model-versions/get-artifact', permission: 'READ', name: 'model-versions/get-artifact' },
    // The schema's only "mutations" are searchRuns, searchDatasets and an echo: all reads.
    { methods: ['GET', 'POST'], pattern: 'graphql', permission: 'READ', name: 'graphql' },
    // OTLP span ingestion creates traces.
    { methods: ['POST'], pattern: 'v1/traces', permission: 'EDIT', name: 'otlp/traces' },
  ]),
  ...under(UNSLASHED_V2, [{ methods: ['POST'], pattern: 'mlflow/experiments/search-datasets', permission: 'READ', name: 'experiments/search-datasets' }]),

  ...under(V2, [
    { methods: ['POST'], pattern: 'experiments/create', permission: 'EDIT', name: EXPERIMENT_TAG_ENDPOINTS.create },
    { methods: ['GET', 'POST'], pattern: 'experiments/search', permission: 'READ', name: 'experiments/search' },
    { methods: ['GET'], pattern: 'experiments/get', permission: 'READ', name: 'experiments/get' },
    { methods: ['GET'], pattern: 'experiments/get-by-name', permission: 'READ', name: 'experiments/get-by-name' },
    { methods: ['POST'], pattern: 'experiments/delete', permission: 'MANAGE', name: 'experiments/delete' },
    { methods: ['POST'], pattern: 'experiments/restore', permission: 'MANAGE', name: 'experiments/restore' },
    // UpdateExperiment carries only `new_name`: it is the rename.
    { methods: ['POST'], pattern: 'experiments/update', permission: 'MANAGE', name: 'experiments/rename' },
    { methods: ['POST'], pattern: 'experiments/set-experiment-tag', permission: 'EDIT', name: EXPERIMENT_TAG_ENDPOINTS.setTag },
    { methods: ['POST'], pattern: 'experiments/delete-experiment-tag', permission: 'EDIT', name: EXPERIMENT_TAG_ENDPOINTS.deleteTag },

    { methods: ['POST'], pattern: 'runs/create', permission: 'EDIT', name: RUN_ENDPOINTS.create },
    { methods: ['GET'], pattern: 'runs/get', permission: 'READ', name: 'runs/get' },
    { methods: ['POST'], pattern: 'runs/search', permission: 'READ', name: 'runs/search' },
    // Also sets status, end time and run_name: the client's routine end-of-run call, so not MANAGE.
    { methods: ['POST'], pattern: 'runs/update', permission: 'EDIT', name: RUN_ENDPOINTS.update },
    { methods: ['POST'], pattern: 'runs/delete', permission: 'MANAGE', name: 'runs/delete' },
    { methods: ['POST'], pattern: 'runs/restore', permission: 'MANAGE', name: 'runs/restore' },
    { methods: ['POST'], pattern: 'runs/log-metric', permission: 'EDIT', name: 'runs/log-metric' },
    { methods: ['POST'], pattern: 'runs/log-parameter', permission: 'EDIT', name: 'runs/log-parameter' },
    { methods: ['POST'], pattern: 'runs/log-batch', permission: 'EDIT', name: RUN_ENDPOINTS.logBatch },
    { methods: ['POST'], pattern: 'runs/log-model', permission: 'EDIT', name: 'runs/log-model' },
    { methods: ['POST'], pattern: 'runs/log-inputs', permission: 'EDIT', name: 'runs/log-inputs' },
    { methods: ['POST'], pattern: 'runs/outputs', permission: 'EDIT', name: 'runs/log-outputs' },
    { methods: ['POST'], pattern: 'runs/set-tag', permission: 'EDIT', name: RUN_ENDPOINTS.setTag },
    { methods: ['POST'], pattern: 'runs/delete-tag', permission: 'EDIT', name: RUN_ENDPOINTS.deleteTag },
    { methods: ['GET'], pattern: 'metrics/get-history', permission: 'READ', name: 'metrics/get-history' },
    { methods: ['GET'], pattern: 'metrics/get-history-bulk-interval', permission: 'READ', name: 'metrics/get-history-bulk-interval' },
    { methods: ['GET'], pattern: 'artifacts/list', permission: 'READ', name: 'artifacts/list' },
    // A presigned download URL is a read; an upload URL is a write, just not through us.
    { methods: ['POST'], pattern: 'artifacts/presigned-download-url', permission: 'READ', name: 'artifacts/presigned-download-url' },
    { methods: ['POST'], pattern: 'artifacts/presigned-upload-url', permission: 'EDIT', name: 'artifacts/presigned-upload-url' },

    { methods: ['POST'], pattern: 'logged-models', permission: 'EDIT', name: 'logged-models/create' },
    { methods: ['POST'], pattern: 'logged-models/search', permission: 'READ', name: 'logged-models/search' },
    { methods: ['GET'], pattern: 'logged-models/{model_id}', permission: 'READ', name: 'logged-models/get' },
    // PATCH on a logged model is FinalizeLoggedModel (sets its status).
    { methods: ['PATCH'], pattern: 'logged-models/{model_id}', permission: 'EDIT', name: 'logged-models/finalize' },
    { methods: ['DELETE'], pattern: 'logged-models/{model_id}', permission: 'MANAGE', name: 'logged-models/delete' },
    { methods: ['GET'], pattern: 'logged-models/{model_id}/artifacts/directories', permission: 'READ', name: 'logged-models/list-artifacts' },
    { methods: ['POST'], pattern: 'logged-models/{model_id}/params', permission: 'EDIT', name: 'logged-models/log-params' },
    { methods: ['PATCH'], pattern: 'logged-models/{model_id}/tags', permission: 'EDIT', name: 'logged-models/set-tags' },
    { methods: ['DELETE'], pattern: 'logged-models/{model_id}/tags/{tag_key}', permission: 'EDIT', name: 'logged-models/delete-tag' },

    { methods: ['POST'], pattern: 'registered-models/create', permission: 'EDIT', name: 'registered-models/create' },
    { methods: ['GET'], pattern: 'registered-models/get', permission: 'READ', name: 'registered-models/get' },
    { methods: ['GET'], pattern: 'registered-models/search', permission: 'READ', name: 'registered-models/search' },
    { methods: ['GET', 'POST'], pattern: 'registered-models/get-latest-versions', permission: 'READ', name: 'registered-models/get-latest-versions' },
    { methods: ['PATCH'], pattern: 'registered-models/update', permission: 'EDIT', name: 'registered-models/update' },
    { methods: ['POST'], pattern: 'registered-models/rename', permission: 'MANAGE', name: 'registered-models/rename' },
    { methods: ['DELETE'], pattern: 'registered-models/delete', permission: 'MANAGE', name: 'registered-models/delete' },
    { methods: ['POST'], pattern: 'registered-models/set-tag', permission: 'EDIT', name: 'registered-models/set-tag' },
    { methods: ['DELETE'], pattern: 'registered-models/delete-tag', permission: 'EDIT', name: 'registered-models/delete-tag' },
    { methods: ['GET'], pattern: 'registered-models/alias', permission: 'READ', name: 'registered-models/get-by-alias' },
    { methods: ['POST'], pattern: 'registered-models/alias', permission: 'EDIT', name: 'registered-models/set-alias' },
    { methods: ['DELETE'], pattern: 'registered-models/alias', permission: 'EDIT', name: 'registered-models/delete-alias' },
    { methods: ['POST'], pattern: 'model-versions/create', permission: 'EDIT', name: 'model-versions/create' },
    { methods: ['GET'], pattern: 'model-versions/get', permission: 'READ', name: 'model-versions/get' },
    { methods: ['GET'], pattern: 'model-versions/search', permission: 'READ', name: 'model-versions/search' },
    { methods: ['GET'], pattern: 'model-versions/get-download-uri', permission: 'READ', name: 'model-versions/get-download-uri' },
    { methods: ['PATCH'], pattern: 'model-versions/update', permission: 'EDIT', name: 'model-versions/update' },
    { methods: ['POST'], pattern: 'model-versions/transition-stage', permission: 'EDIT', name: 'model-versions/transition-stage' },
    { methods: ['DELETE'], pattern: 'model-versions/delete', permission: 'MANAGE', name: 'model-versions/delete' },
    { methods: ['POST'], pattern: 'model-versions/set-tag', permission: 'EDIT', name: 'model-versions/set-tag' },
    { methods: ['DELETE'], pattern: 'model-versions/delete-tag', permission: 'EDIT', name: 'model-versions/delete-tag' },

    // Traces, v2 spelling (request ids).
    { methods: ['GET'], pattern: 'traces', permission: 'READ', name: 'traces/search-v2' },
    { methods: ['PATCH'], pattern: 'traces/{request_id}', permission: 'EDIT', name: 'traces/end' },
    { methods: ['GET'], pattern: 'traces/{request_id}/info', permission: 'READ', name: 'traces/get-info-v2' },
    { methods: ['POST'], pattern: 'traces/link-prompts', permission: 'EDIT', name: 'traces/link-prompts' },
    { methods: ['POST'], pattern: 'traces/link-to-run', permission: 'EDIT', name: 'traces/link-to-run' },
    { methods: ['GET'], pattern: 'unified-traces', permission: 'READ', name: 'traces/unified' },
    { methods: ['GET'], pattern: 'get-online-trace-details', permission: 'READ', name: 'traces/online-details' },

    // Webhooks send workspace events to arbitrary URLs (and sign them); MLflow keeps them admin-only.
    { methods: ['GET', 'POST'], pattern: 'webhooks', permission: 'MANAGE', adminOnly: true, name: 'webhooks' },
    { methods: ['GET', 'PATCH', 'DELETE'], pattern: 'webhooks/{webhook_id}', permission: 'MANAGE', adminOnly: true, name: 'webhooks/by-id' },
    { methods: ['POST'], pattern: 'webhooks/{webhook_id}/test', permission: 'MANAGE', adminOnly: true, name: 'webhooks/test' },
  ]),

  ...under(V2_AND_V3, [
    { methods: ['POST'], pattern: 'traces', permission: 'EDIT', name: 'traces/start' },
    { methods: ['POST'], pattern: 'traces/delete-traces', permission: 'MANAGE', name: 'traces/delete' },
    // v2 names the parameter request_id, v3 trace_id: one route shape under all four prefixes.
    { methods: ['PATCH'], pattern: 'traces/{trace_id}/tags', permission: 'EDIT', name: 'traces/set-tag' },
    { methods: ['DELETE'], pattern: 'traces/{trace_id}/tags', permission: 'EDIT', name: 'traces/delete-tag' },
  ]),

  ...under(V3, [
    { methods: ['GET'], pattern: 'server-info', permission: 'READ', name: 'server-info' },

    { methods: ['POST'], pattern: 'traces/search', permission: 'READ', name: 'traces/search' },
    { methods: ['GET'], pattern: 'traces/get', permission: 'READ', name: 'traces/get' },
    { methods: ['GET'], pattern: 'traces/batchGet', permission: 'READ', name: 'traces/batch-get' },
    { methods: ['POST'], pattern: 'traces/batchGetInfos', permission: 'READ', name: 'traces/batch-get-infos' },
    { methods: ['POST'], pattern: 'traces/metrics', permission: 'READ', name: 'traces/metrics' },
    { methods: ['POST'], pattern: 'traces/calculate-filter-correlation', permission: 'READ', name: 'traces/filter-correlation' },
    { methods: ['GET'], pattern: 'traces/{trace_id}', permission: 'READ', name: 'traces/get-info' },
    { methods: ['POST'], pattern: 'traces/{trace_id}/assessments', permission: 'EDIT', name: 'assessments/create' },
    { methods: ['GET'], pattern: 'traces/{trace_id}/assessments/{assessment_id}', permission: 'READ', name: 'assessments/get' },
    { methods: ['PATCH'], pattern: 'traces/{trace_id}/assessments/{assessment_id}', permission: 'EDIT', name: 'assessments/update' },
    // Retracting feedback is part of labelling (MLflow asks only for update on the experiment).
    { methods: ['DELETE'], pattern: 'traces/{trace_id}/assessments/{assessment_id}', permission: 'EDIT', name: 'assessments/delete' },

    { methods: ['POST'], pattern: 'datasets/create', permission: 'EDIT', name: 'datasets/create' },
    { methods: ['GET', 'POST'], pattern: 'datasets/search', permission: 'READ', name: 'datasets/search' },
    { methods: ['GET'], pattern: 'datasets/{dataset_id}', permission: 'READ', name: 'datasets/get' },
    { methods: ['DELETE'], pattern: 'datasets/{dataset_id}', permission: 'MANAGE', name: 'datasets/delete' },
    { methods: ['GET'], pattern: 'datasets/{dataset_id}/records', permission: 'READ', name: 'datasets/get-records' },
    { methods: ['POST'], pattern: 'datasets/{dataset_id}/records', permission: 'EDIT', name: 'datasets/upsert-records' },
    // Irreversible removal of evaluation data, unlike a tag delete.
    { methods: ['DELETE'], pattern: 'datasets/{dataset_id}/records', permission: 'MANAGE', name: 'datasets/delete-records' },
    { methods: ['GET'], pattern: 'datasets/{dataset_id}/experiment-ids', permission: 'READ', name: 'datasets/experiment-ids' },
    { methods: ['POST'], pattern: 'datasets/{dataset_id}/add-experiments', permission: 'EDIT', name: 'datasets/add-experiments' },
    { methods: ['POST'], pattern: 'datasets/{dataset_id}/remove-experiments', permission: 'EDIT', name: 'datasets/remove-experiments' },
    { methods: ['PATCH'], pattern: 'datasets/{dataset_id}/tags', permission: 'EDIT', name: 'datasets/set-tags' },
    { methods: ['DELETE'], pattern: 'datasets/{dataset_id}/tags/{key}', permission: 'EDIT', name: 'datasets/delete-tag' },

    { methods: ['POST'], pattern: 'scorers/register', permission: 'EDIT', name: 'scorers/register' },
    { methods: ['GET'], pattern: 'scorers/list', permission: 'READ', name: 'scorers/list' },
    { methods: ['GET'], pattern: 'scorers/get', permission: 'READ', name: 'scorers/get' },
    { methods: ['GET'], pattern: 'scorers/versions', permission: 'READ', name: 'scorers/versions' },
    { methods: ['DELETE'], pattern: 'scorers/delete', permission: 'MANAGE', name: 'scorers/delete' },
    { methods: ['GET'], pattern: 'scorers/online-configs', permission: 'READ', name: 'scorers/online-configs' },
    { methods: ['PUT'], pattern: 'scorers/online-config', permission: 'EDIT', name: 'scorers/set-online-config' },

    { methods: ['POST'], pattern: 'prompt-optimization/jobs', permission: 'EDIT', name: 'prompt-optimization/create' },
    { methods: ['GET', 'POST'], pattern: 'prompt-optimization/jobs/search', permission: 'READ', name: 'prompt-optimization/search' },
    { methods: ['GET'], pattern: 'prompt-optimization/jobs/{job_id}', permission: 'READ', name: 'prompt-optimization/get' },
    { methods: ['POST'], pattern: 'prompt-optimization/jobs/{job_id}/cancel', permission: 'EDIT', name: 'prompt-optimization/cancel' },
    { methods: ['DELETE'], pattern: 'prompt-optimization/jobs/{job_id}', permission: 'MANAGE', name: 'prompt-optimization/delete' },

    { methods: ['POST'], pattern: 'issues', permission: 'EDIT', name: 'issues/create' },
    { methods: ['POST'], pattern: 'issues/search', permission: 'READ', name: 'issues/search' },
    { methods: ['GET'], pattern: 'issues/{issue_id}', permission: 'READ', name: 'issues/get' },
    { methods: ['PATCH'], pattern: 'issues/{issue_id}', permission: 'EDIT', name: 'issues/update' },

    { methods: ['POST'], pattern: 'review-queues/create', permission: 'EDIT', name: 'review-queues/create' },
    { methods: ['GET'], pattern: 'review-queues/get', permission: 'READ', name: 'review-queues/get' },
    { methods: ['GET'], pattern: 'review-queues/get-by-name', permission: 'READ', name: 'review-queues/get-by-name' },
    { methods: ['GET'], pattern: 'review-queues/list', permission: 'READ', name: 'review-queues/list' },
    // Creates the caller's personal queue on first use.
    { methods: ['POST'], pattern: 'review-queues/get-or-create-user', permission: 'EDIT', name: 'review-queues/get-or-create-user' },
    { methods: ['POST'], pattern: 'review-queues/update', permission: 'EDIT', name: 'review-queues/update' },
    { methods: ['POST'], pattern: 'review-queues/delete', permission: 'MANAGE', name: 'review-queues/delete' },
    { methods: ['GET'], pattern: 'review-queues/items/list', permission: 'READ', name: 'review-queues/list-items' },
    { methods: ['POST'], pattern: 'review-queues/items/add', permission: 'EDIT', name: 'review-queues/add-items' },
    { methods: ['POST'], pattern: 'review-queues/items/remove', permission: 'EDIT', name: 'review-queues/remove-items' },
    { methods: ['POST'], pattern: 'review-queues/items/set-status', permission: 'EDIT', name: 'review-queues/set-item-status' },

    { methods: ['POST'], pattern: 'label-schemas/create', permission: 'EDIT', name: 'label-schemas/create' },
    { methods: ['GET'], pattern: 'label-schemas/get', permission: 'READ', name: 'label-schemas/get' },
    { methods: ['GET'], pattern: 'label-schemas/get-by-name', permission: 'READ', name: 'label-schemas/get-by-name' },
    { methods: ['GET'], pattern: 'label-schemas/list', permission: 'READ', name: 'label-schemas/list' },
    { methods: ['PATCH'], pattern: 'label-schemas/update', permission: 'EDIT', name: 'label-schemas/update' },
    { methods: ['DELETE'], pattern: 'label-schemas/delete', permission: 'MANAGE', name: 'label-schemas/delete' },

    // Workspaces partition the whole server: creating or changing one is administration.
    { methods: ['GET'], pattern: 'workspaces', permission: 'READ', name: 'workspaces/list' },
    { methods: ['GET'], pattern: 'workspaces/{workspace_name}', permission: 'READ', name: 'workspaces/get' },
    { methods: ['POST'], pattern: 'workspaces', permission: 'MANAGE', adminOnly: true, name: 'workspaces/create' },
    { methods: ['PATCH'], pattern: 'workspaces/{workspace_name}', permission: 'MANAGE', adminOnly: true, name: 'workspaces/update' },
    { methods: ['DELETE'], pattern: 'workspaces/{workspace_name}', permission: 'MANAGE', adminOnly: true, name: 'workspaces/delete' },

    // AI gateway configuration holds provider credentials and spend limits: reads are open,
    // every change is administration.
    { methods: ['GET'], pattern: 'gateway/endpoints/get', permission: 'READ', name: 'gateway/endpoints/get' },
    { methods: ['GET'], pattern: 'gateway/endpoints/list', permission: 'READ', name: 'gateway/endpoints/list' },
    { methods: ['POST'], pattern: 'gateway/endpoints/create', permission: 'MANAGE', name: 'gateway/endpoints/create' },
    { methods: ['POST'], pattern: 'gateway/endpoints/update', permission: 'MANAGE', name: 'gateway/endpoints/update' },
    { methods: ['DELETE'], pattern: 'gateway/endpoints/delete', permission: 'MANAGE', name: 'gateway/endpoints/delete' },
    { methods: ['POST'], pattern: 'gateway/endpoints/set-tag', permission: 'MANAGE', name: 'gateway/endpoints/set-tag' },
    { methods: ['DELETE'], pattern: 'gateway/endpoints/delete-tag', permission: 'MANAGE', name: 'gateway/endpoints/delete-tag' },
    { methods: ['POST'], pattern: 'gateway/endpoints/models/attach', permission: 'MANAGE', name: 'gateway/endpoints/attach-model' },
    { methods: ['POST'], pattern: 'gateway/endpoints/models/detach', permission: 'MANAGE', name: 'gateway/endpoints/detach-model' },
    { methods: ['GET'], pattern: 'gateway/endpoints/bindings/list', permission: 'READ', name: 'gateway/bindings/list' },
    { methods: ['POST'], pattern: 'gateway/endpoints/bindings/create', permission: 'MANAGE', name: 'gateway/bindings/create' },
    { methods: ['DELETE'], pattern: 'gateway/endpoints/bindings/delete', permission: 'MANAGE', name: 'gateway/bindings/delete' },
    { methods: ['GET'], pattern: 'gateway/model-definitions/get', permission: 'READ', name: 'gateway/model-definitions/get' },
    { methods: ['GET'], pattern: 'gateway/model-definitions/list', permission: 'READ', name: 'gateway/model-definitions/list' },
    { methods: ['POST'], pattern: 'gateway/model-definitions/create', permission: 'MANAGE', name: 'gateway/model-definitions/create' },
    { methods: ['POST'], pattern: 'gateway/model-definitions/update', permission: 'MANAGE', name: 'gateway/model-definitions/update' },
    { methods: ['DELETE'], pattern: 'gateway/model-definitions/delete', permission: 'MANAGE', name: 'gateway/model-definitions/delete' },
    // Secret metadata (names, masked values, auth config) is for gateway administrators only.
    { methods: ['GET'], pattern: 'gateway/secrets/get', permission: 'MANAGE', name: 'gateway/secrets/get' },
    { methods: ['GET'], pattern: 'gateway/secrets/list', permission: 'MANAGE', name: 'gateway/secrets/list' },
    { methods: ['POST'], pattern: 'gateway/secrets/create', permission: 'MANAGE', name: 'gateway/secrets/create' },
    { methods: ['POST'], pattern: 'gateway/secrets/update', permission: 'MANAGE', name: 'gateway/secrets/update' },
    { methods: ['DELETE'], pattern: 'gateway/secrets/delete', permission: 'MANAGE', name: 'gateway/secrets/delete' },
    { methods: ['GET'], pattern: 'gateway/budgets/get', permission: 'READ', name: 'gateway/budgets/get' },
    { methods: ['GET'], pattern: 'gateway/budgets/list', permission: 'READ', name: 'gateway/budgets/list' },
    { methods: ['GET'], pattern: 'gateway/budgets/windows', permission: 'READ', name: 'gateway/budgets/windows' },
    { methods: ['POST'], pattern: 'gateway/budgets/create', permission: 'MANAGE', name: 'gateway/budgets/create' },
    { methods: ['POST'], pattern: 'gateway/budgets/update', permission: 'MANAGE', name: 'gateway/budgets/update' },
    { methods: ['DELETE'], pattern: 'gateway/budgets/delete', permission: 'MANAGE', name: 'gateway/budgets/delete' },
    // Standalone guardrails are admin-only in MLflow, reads included.
    { methods: ['GET'], pattern: 'gateway/guardrails/get', permission: 'MANAGE', name: 'gateway/guardrails/get' },
    { methods: ['GET'], pattern: 'gateway/guardrails/list', permission: 'MANAGE', name: 'gateway/guardrails/list' },
    { methods: ['POST'], pattern: 'gateway/guardrails/create', permission: 'MANAGE', name: 'gateway/guardrails/create' },
    { methods: ['DELETE'], pattern: 'gateway/guardrails/delete', permission: 'MANAGE', name: 'gateway/guardrails/delete' },
    { methods: ['GET'], pattern: 'gateway/guardrails/list-for-endpoint', permission: 'READ', name: 'gateway/guardrails/list-for-endpoint' },
    { methods: ['POST'], pattern: 'gateway/guardrails/add-to-endpoint', permission: 'MANAGE', name: 'gateway/guardrails/add-to-endpoint' },
    { methods: ['DELETE'], pattern: 'gateway/guardrails/remove-from-endpoint', permission: 'MANAGE', name: 'gateway/guardrails/remove-from-endpoint' },
    { methods: ['PATCH'], pattern: 'gateway/guardrails/update-config', permission: 'MANAGE', name: 'gateway/guardrails/update-config' },

    // MCP server registry (FastAPI). Server names are exactly `<namespace>/<slug>`.
    { methods: ['GET'], pattern: 'mcp-servers', permission: 'READ', name: 'mcp-servers/search' },
    { methods: ['POST'], pattern: 'mcp-servers', permission: 'EDIT', name: 'mcp-servers/create' },
    { methods: ['GET'], pattern: 'mcp-servers/endpoints', permission: 'READ', name: 'mcp-servers/search-all-endpoints' },
    { methods: ['GET'], pattern: 'mcp-servers/{namespace}/{slug}', permission: 'READ', name: 'mcp-servers/get' },
    { methods: ['PATCH'], pattern: 'mcp-servers/{namespace}/{slug}', permission: 'EDIT', name: 'mcp-servers/update' },
    { methods: ['DELETE'], pattern: 'mcp-servers/{namespace}/{slug}', permission: 'MANAGE', name: 'mcp-servers/delete' },
    { methods: ['POST'], pattern: 'mcp-servers/{namespace}/{slug}/tags', permission: 'EDIT', name: 'mcp-servers/set-tag' },
    { methods: ['DELETE'], pattern: 'mcp-servers/{namespace}/{slug}/tags/{key:path}', permission: 'EDIT', name: 'mcp-servers/delete-tag' },
    { methods: ['POST'], pattern: 'mcp-servers/{namespace}/{slug}/aliases', permission: 'EDIT', name: 'mcp-servers/set-alias' },
    { methods: ['GET'], pattern: 'mcp-servers/{namespace}/{slug}/aliases/{alias:path}', permission: 'READ', name: 'mcp-servers/get-by-alias' },
    { methods: ['DELETE'], pattern: 'mcp-servers/{namespace}/{slug}/aliases/{alias:path}', permission: 'EDIT', name: 'mcp-servers/delete-alias' },
    { methods: ['GET'], pattern: 'mcp-servers/{namespace}/{slug}/versions', permission: 'READ', name: 'mcp-servers/search-versions' },
    { methods: ['POST'], pattern: 'mcp-servers/{namespace}/{slug}/versions', permission: 'EDIT', name: 'mcp-servers/create-version' },
    { methods: ['GET'], pattern: 'mcp-servers/{namespace}/{slug}/versions/{version}', permission: 'READ', name: 'mcp-servers/get-version' },
    { methods: ['PATCH'], pattern: 'mcp-servers/{namespace}/{slug}/versions/{version}', permission: 'EDIT', name: 'mcp-servers/update-version' },
    { methods: ['DELETE'], pattern: 'mcp-servers/{namespace}/{slug}/versions/{version}', permission: 'MANAGE', name: 'mcp-servers/delete-version' },
    { methods: ['POST'], pattern: 'mcp-servers/{namespace}/{slug}/versions/{version}/tags', permission: 'EDIT', name: 'mcp-servers/set-version-tag' },
    {
      methods: ['DELETE'],
      pattern: 'mcp-servers/{namespace}/{slug}/versions/{version}/tags/{key:path}',
      permission: 'EDIT',
      name: 'mcp-servers/delete-version-tag',
    },
    { methods: ['GET'], pattern: 'mcp-servers/{namespace}/{slug}/endpoints', permission: 'READ', name: 'mcp-servers/search-endpoints' },
    { methods: ['POST'], pattern: 'mcp-servers/{namespace}/{slug}/endpoints', permission: 'EDIT', name: 'mcp-servers/create-endpoint' },
    { methods: ['GET'], pattern: 'mcp-servers/{namespace}/{slug}/endpoints/{endpoint_id}', permission: 'READ', name: 'mcp-servers/get-endpoint' },
    { methods: ['PATCH'], pattern: 'mcp-servers/{namespace}/{slug}/endpoints/{endpoint_id}', permission: 'EDIT', name: 'mcp-servers/update-endpoint' },
    { methods: ['DELETE'], pattern: 'mcp-servers/{namespace}/{slug}/endpoints/{endpoint_id}', permission: 'MANAGE', name: 'mcp-servers/delete-endpoint' },

    // Skill registry (FastAPI): `{name}` and `@{organization}/{name}` spellings of one resource.
    { methods: ['GET'], pattern: 'skills', permission: 'READ', name: 'skills/search' },
    { methods: ['POST'], pattern: 'skills', permission: 'EDIT', name: 'skills/create' },
    { methods: ['POST'], pattern: 'skills/bulk-register', permission: 'EDIT', name: 'skills/bulk-register' },
    ...skillRows('{name}', 'skills'),
    ...skillRows('@{organization}/{name}', 'skills/org'),
  ]),

  ...under(AJAX_V2, [
    { methods: ['GET'], pattern: 'metrics/get-history-bulk', permission: 'READ', name: 'metrics/get-history-bulk' },
    { methods: ['POST'], pattern: 'experiments/search-datasets', permission: 'READ', name: 'experiments/search-datasets' },
    { methods: ['GET'], pattern: 'logged-models/{model_id}/artifacts/files', permission: 'READ', name: 'logged-models/get-artifact' },
    { methods: ['POST'], pattern: 'upload-artifact', permission: 'EDIT', name: 'artifacts/upload-ui' },
    { methods: ['POST'], pattern: 'runs/create-promptlab-run', permission: 'EDIT', name: RUN_ENDPOINTS.createPromptlabRun },
    // Legacy deployments-server proxy: GET lists endpoints, POST invokes one (spends credentials).
    { methods: ['GET'], pattern: 'gateway-proxy', permission: 'READ', name: 'gateway-proxy/read' },
    { methods: ['POST'], pattern: 'gateway-proxy', permission: 'EDIT', name: 'gateway-proxy/invoke' },
  ]),
  ...under(AJAX_V2_AND_V3, [{ methods: ['GET'], pattern: 'get-trace-artifact', permission: 'READ', name: 'traces/get-artifact' }]),
  ...under(AJAX_V3, [
    // The UI reports its own usage events here for every user; nothing tracked is written.
    { methods: ['GET', 'POST'], pattern: 'ui-telemetry', permission: 'READ', name: 'ui-telemetry' },
    { methods: ['GET'], pattern: 'gateway/supported-providers', permission: 'READ', name: 'gateway/supported-providers' },
    { methods: ['GET'], pattern: 'gateway/supported-models', permission: 'READ', name: 'gateway/supported-models' },
    { methods: ['GET'], pattern: 'gateway/provider-config', permission: 'READ', name: 'gateway/provider-config' },
    { methods: ['GET'], pattern: 'gateway/secrets/config', permission: 'READ', name: 'gateway/secrets/config' },
    // The invoke routes run scorers / evaluation / issue detection: they create runs,
    // assessments and jobs in the caller's experiment.
    { methods: ['POST'], pattern: 'scorer/invoke', permission: 'EDIT', name: 'scorers/invoke' },
    { methods: ['POST'], pattern: 'genai/evaluate/invoke', permission: 'EDIT', name: 'genai/evaluate' },
    { methods: ['POST'], pattern: 'issues/invoke', permission: 'EDIT', name: 'issues/invoke' },
    { methods: ['POST'], pattern: 'issues/schedule/state', permission: 'EDIT', name: 'issues/sync-schedule' },
    { methods: ['GET'], pattern: 'jobs/{job_id}', permission: 'READ', name: 'jobs/get' },
    // We cannot see who owns a job, and MLflow only lets its creator cancel it.
    { methods: ['PATCH'], pattern: 'jobs/cancel/{job_id}', permission: 'MANAGE', name: 'jobs/cancel' },
    { methods: ['POST'], pattern: 'demo/generate', permission: 'EDIT', name: 'demo/generate' },
    { methods: ['POST'], pattern: 'demo/delete', permission: 'MANAGE', name: 'demo/delete' },
    // The Assistant runs a coding agent with tools on (or next to) the server host: admins only
    // (in both modes), except the two reads MLflow itself serves to anyone (config is redacted).
    { methods: ['GET'], pattern: 'assistant/config', permission: 'READ', name: 'assistant/get-config' },
    { methods: ['GET'], pattern: 'assistant/providers', permission: 'READ', name: 'assistant/list-providers' },
    { methods: ['PUT'], pattern: 'assistant/config', permission: 'MANAGE', adminOnly: true, name: 'assistant/update-config' },
    { methods: ['POST'], pattern: 'assistant/message', permission: 'MANAGE', adminOnly: true, name: 'assistant/message' },
    { methods: ['GET'], pattern: 'assistant/sessions/{session_id}/stream', permission: 'MANAGE', adminOnly: true, name: 'assistant/stream' },
    { methods: ['PATCH'], pattern: 'assistant/sessions/{session_id}', permission: 'MANAGE', adminOnly: true, name: 'assistant/update-session' },
    { methods: ['POST'], pattern: 'assistant/sessions/{session_id}/permission', permission: 'MANAGE', adminOnly: true, name: 'assistant/resolve-permission' },
    { methods: ['POST'], pattern: 'assistant/sessions/{session_id}/tool-result', permission: 'MANAGE', adminOnly: true, name: 'assistant/tool-result' },
    { methods: ['GET'], pattern: 'assistant/providers/{provider}/health', permission: 'MANAGE', adminOnly: true, name: 'assistant/provider-health' },
    { methods: ['GET'], pattern: 'assistant/providers/{provider}/models', permission: 'MANAGE', adminOnly: true, name: 'assistant/provider-models' },
    { methods: ['POST'], pattern: 'assistant/skills/install', permission: 'MANAGE', adminOnly: true, name: 'assistant/install-skills' },
  ]),

  // Proxied artifact storage (`mlflow server --serve-artifacts`).
  ...under(ARTIFACT_PROXY, [
    { methods: ['GET'], pattern: 'artifacts', permission: 'READ', name: 'mlflow-artifacts/list' },
    { methods: ['GET'], pattern: 'artifacts/{artifact_path:path}', permission: 'READ', name: 'mlflow-artifacts/download' },
    { methods: ['PUT'], pattern: 'artifacts/{artifact_path:path}', permission: 'EDIT', name: 'mlflow-artifacts/upload' },
    { methods: ['DELETE'], pattern: 'artifacts/{artifact_path:path}', permission: 'MANAGE', name: 'mlflow-artifacts/delete' },
    { methods: ['POST'], pattern: 'mpu/create/{artifact_path:path}', permission: 'EDIT', name: 'mlflow-artifacts/mpu-create' },
    { methods: ['POST'], pattern: 'mpu/complete/{artifact_path:path}', permission: 'EDIT', name: 'mlflow-artifacts/mpu-complete' },
    { methods: ['POST'], pattern: 'mpu/abort/{artifact_path:path}', permission: 'EDIT', name: 'mlflow-artifacts/mpu-abort' },
    { methods: ['GET'], pattern: 'presigned/{artifact_path:path}', permission: 'READ', name: 'mlflow-artifacts/presigned-download' },
  ]),

  // Job API (FastAPI): get/search are reads; submit runs any registered job function with
  // caller-chosen parameters, which MLflow reserves for admins.
  ...under(JOBS, [
    { methods: ['POST'], pattern: '', permission: 'MANAGE', adminOnly: true, name: 'jobs/submit' },
    { methods: ['POST'], pattern: 'search', permission: 'READ', name: 'jobs/search' },
    { methods: ['GET'], pattern: '{job_id}', permission: 'READ', name: 'jobs/get' },
    { methods: ['PATCH'], pattern: 'cancel/{job_id}', permission: 'MANAGE', name: 'jobs/cancel' },
  ]),

  // AI gateway invocations (FastAPI): each call spends the gateway's provider credentials.
  ...under(GATEWAY, [
    { methods: ['GET'], pattern: 'mlflow/v1/models', permission: 'READ', name: 'gateway/list-models' },
    { methods: ['POST'], pattern: '{endpoint_name}/mlflow/invocations', permission: 'EDIT', name: 'gateway/invoke' },
    { methods: ['POST'], pattern: 'mlflow/v1/chat/completions', permission: 'EDIT', name: 'gateway/chat-completions' },
    { methods: ['POST'], pattern: 'openai/v1/chat/completions', permission: 'EDIT', name: 'gateway/openai/chat-completions' },
    { methods: ['POST'], pattern: 'openai/v1/embeddings', permission: 'EDIT', name: 'gateway/openai/embeddings' },
    { methods: ['POST'], pattern: 'openai/v1/responses', permission: 'EDIT', name: 'gateway/openai/responses' },
    { methods: ['POST'], pattern: 'openai/v1/responses/compact', permission: 'EDIT', name: 'gateway/openai/responses-compact' },
    { methods: ['POST'], pattern: 'anthropic/v1/messages', permission: 'EDIT', name: 'gateway/anthropic/messages' },
    { methods: ['POST'], pattern: 'gemini/v1beta/models/{endpoint_name}:generateContent', permission: 'EDIT', name: 'gateway/gemini/generate' },
    { methods: ['POST'], pattern: 'gemini/v1beta/models/{endpoint_name}:streamGenerateContent', permission: 'EDIT', name: 'gateway/gemini/stream-generate' },
    { methods: ['POST'], pattern: 'typesafe/v1/systemone', permission: 'EDIT', name: 'gateway/typesafe/systemone' },
    { methods: ['POST'], pattern: 'proxy/{endpoint_name}/{path:path}', permission: 'EDIT', name: 'gateway/proxy' },
  ]),
];

/** The same skill routes under both ways of naming a skill. */
function skillRows(skill: string, name: string): RowSpec[] {
  const at = `skills/${skill}`;
  return [
    { methods: ['GET'], pattern: at, permission: 'READ', name: `${name}/get` },
    { methods: ['PATCH'], pattern: at, permission: 'EDIT', name: `${name}/update` },
    { methods: ['DELETE'], pattern: at, permission: 'MANAGE', name: `${name}/delete` },
    { methods: ['POST'], pattern: `${at}/tags`, permission: 'EDIT', name: `${name}/set-tag` },
    { methods: ['DELETE'], pattern: `${at}/tags/{key:path}`, permission: 'EDIT', name: `${name}/delete-tag` },
    { methods: ['GET'], pattern: `${at}/versions`, permission: 'READ', name: `${name}/search-versions` },
    { methods: ['POST'], pattern: `${at}/versions`, permission: 'EDIT', name: `${name}/create-version` },
    { methods: ['GET'], pattern: `${at}/versions/{version}`, permission: 'READ', name: `${name}/get-version` },
    { methods: ['PATCH'], pattern: `${at}/versions/{version}`, permission: 'EDIT', name: `${name}/update-version` },
    { methods: ['DELETE'], pattern: `${at}/versions/{version}`, permission: 'MANAGE', name: `${name}/delete-version` },
    { methods: ['POST'], pattern: `${at}/versions/{version}/tags`, permission: 'EDIT', name: `${name}/set-version-tag` },
    { methods: ['DELETE'], pattern: `${at}/versions/{version}/tags/{key:path}`, permission: 'EDIT', name: `${name}/delete-version-tag` },
    { methods: ['POST'], pattern: `${at}/aliases`, permission: 'EDIT', name: `${name}/set-alias` },
    { methods: ['GET'], pattern: `${at}/aliases/{alias}`, permission: 'READ', name: `${name}/get-by-alias` },
    { methods: ['DELETE'], pattern: `${at}/aliases/{alias}`, permission: 'EDIT', name: `${name}/delete-alias` },
  ];
}

// MLflow's basic-auth app (`mlflow/server/auth/routes.py`), served with PORTAL_AUTHZ=mlflow. The
// portal lets at least READ through for reads and EDIT for changes; MLflow decides the rest
// (grant/revoke need MANAGE on the resource, role management needs an MLflow admin).
const AUTH_V2 = ['/api/2.0/mlflow/', '/ajax-api/2.0/mlflow/'];
const authApp = (kind: 'permissions' | 'users', prefixes: readonly string[], rows: readonly RowSpec[]): EndpointRow[] =>
  rows.map((row) => ({ ...row, prefixes, authApp: kind }));

export const AUTH_APP_ROWS: readonly EndpointRow[] = [
  ...authApp('permissions', AUTH_V2, [
    { methods: ['GET'], pattern: 'users/current', permission: 'READ', name: 'users/current' },
    { methods: ['GET'], pattern: 'users/get', permission: 'READ', name: 'users/get' },
    { methods: ['GET'], pattern: 'users/list', permission: 'READ', name: 'users/list' },
  ]),
  ...authApp('permissions', V3, [
    { methods: ['GET'], pattern: 'users/current/permissions', permission: 'READ', name: 'users/current-permissions' },
    { methods: ['GET'], pattern: 'users/permissions/list', permission: 'READ', name: 'users/permissions/list' },
    { methods: ['GET'], pattern: 'users/permissions/get', permission: 'READ', name: 'users/permissions/get' },
    { methods: ['POST'], pattern: 'users/permissions/grant', permission: 'EDIT', name: 'users/permissions/grant' },
    { methods: ['POST'], pattern: 'users/permissions/revoke', permission: 'EDIT', name: 'users/permissions/revoke' },
    { methods: ['GET'], pattern: 'users/roles/list', permission: 'READ', name: 'users/roles/list' },
    { methods: ['POST'], pattern: 'roles/create', permission: 'EDIT', name: 'roles/create' },
    { methods: ['GET'], pattern: 'roles/get', permission: 'READ', name: 'roles/get' },
    { methods: ['GET'], pattern: 'roles/list', permission: 'READ', name: 'roles/list' },
    { methods: ['PATCH'], pattern: 'roles/update', permission: 'EDIT', name: 'roles/update' },
    { methods: ['DELETE'], pattern: 'roles/delete', permission: 'EDIT', name: 'roles/delete' },
    { methods: ['POST'], pattern: 'roles/permissions/add', permission: 'EDIT', name: 'roles/permissions/add' },
    { methods: ['DELETE'], pattern: 'roles/permissions/remove', permission: 'EDIT', name: 'roles/permissions/remove' },
    { methods: ['GET'], pattern: 'roles/permissions/list', permission: 'READ', name: 'roles/permissions/list' },
    { methods: ['PATCH'], pattern: 'roles/permissions/update', permission: 'EDIT', name: 'roles/permissions/update' },
    { methods: ['POST'], pattern: 'roles/assign', permission: 'EDIT', name: 'roles/assign' },
    { methods: ['DELETE'], pattern: 'roles/unassign', permission: 'EDIT', name: 'roles/unassign' },
    { methods: ['GET'], pattern: 'roles/users/list', permission: 'READ', name: 'roles/users/list' },
  ]),
  ...authApp('users', AUTH_V2, [
    { methods: ['POST'], pattern: 'users/create', permission: 'MANAGE', name: 'users/create' },
    { methods: ['PATCH'], pattern: 'users/update-password', permission: 'MANAGE', name: 'users/update-password' },
    { methods: ['PATCH'], pattern: 'users/update-admin', permission: 'MANAGE', name: 'users/update-admin' },
    { methods: ['DELETE'], pattern: 'users/delete', permission: 'MANAGE', name: 'users/delete' },
  ]),
  ...authApp('users', ['/api/2.0/mlflow/'], [{ methods: ['POST'], pattern: 'users/create-ui', permission: 'MANAGE', name: 'users/create-ui' }]),
  ...authApp('users', ROOT, [{ methods: ['GET'], pattern: 'signup', permission: 'MANAGE', name: 'signup' }]),
];
