import { rmSync } from 'node:fs';
import { resolve } from 'node:path';
import type { TestProject } from 'vitest/node';
import { startMlflow } from '../../tools/local-stack/mlflow';
import { freePort } from '../../tools/local-stack/wait';

declare module 'vitest' {
  export interface ProvidedContext {
    mlflowUrl: string;
    /** Where that MLflow keeps its SQLite store and artifacts (artifacts/ is its artifact root). */
    mlflowDataDir: string;
  }
}

/** One real MLflow server for the integration suite (it takes ~20 s to start; tests share it). */
export default async function setup(project: TestProject) {
  rmSync('.cache/it-mlflow', { recursive: true, force: true });
  const mlflow = await startMlflow({ port: await freePort(), dataDir: '.cache/it-mlflow' });
  project.provide('mlflowUrl', mlflow.url);
  project.provide('mlflowDataDir', resolve('.cache/it-mlflow'));
  return async () => {
    await mlflow.stop();
  };
}
