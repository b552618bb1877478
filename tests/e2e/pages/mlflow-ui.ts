import { expect, type Page } from '@playwright/test';

/** MLflow's own UI, served through the portal under /mlflow/. */
export class MlflowUi {
  constructor(private readonly page: Page) {}

  async openExperiments() {
    await this.page.goto('/mlflow/#/experiments');
    await expect(this.page.getByRole('heading', { name: /Experiments/ }).first()).toBeVisible();
  }

  async openRun(experimentId: string, runId: string) {
    await this.page.goto(`/mlflow/#/experiments/${experimentId}/runs/${runId}`);
  }

  async createExperiment(name: string) {
    await this.page
      .getByRole('button', { name: /^Create/ })
      .first()
      .click();
    const dialog = this.page.getByRole('dialog');
    await dialog.getByRole('textbox').first().fill(name);
    await dialog.getByRole('button', { name: /^Create$/ }).click();
    await expect(dialog).toBeHidden();
  }
}
