import { rmSync } from 'node:fs';
import type { TestProject } from 'vitest/node';
import { startMlflow } from '../../tools/local-stack/mlflow';
import { freePort } from '../../tools/local-stack/wait';

declare module 'vitest' {
  export interface ProvidedContext {
    mlflowUrl: string;
  }
}

/** One real MLflow server for the integration suite (it takes ~20 s to start; tests share it). */
export default async function setup(project: TestProject) {
  rmSync('.cache/it-mlflow', { recursive: true, force: true });
  const mlflow = await startMlflow({ port: await freePort(), dataDir: '.cache/it-mlflow' });
  project.provide('mlflowUrl', mlflow.url);
  return async () => {
    await mlflow.stop();
  };
}
