/** The expiry choices offered for a new access key (shared by the form and the server's schema). */
export const expiryChoices = [
  { value: '30', label: '30 days' },
  { value: '90', label: '90 days' },
  { value: '365', label: '1 year' },
  { value: 'never', label: 'Never' },
] as const;

export type ExpiryChoice = (typeof expiryChoices)[number]['value'];
export const expiryValues = expiryChoices.map((choice) => choice.value) as [ExpiryChoice, ...ExpiryChoice[]];

const DAY_SECONDS = 24 * 60 * 60;

/** Descope's `expireTime`: epoch seconds, or 0 for a key that never expires. */
export function expireTimeFor(choice: ExpiryChoice, nowMs: number): number {
  return choice === 'never' ? 0 : Math.floor(nowMs / 1000) + Number(choice) * DAY_SECONDS;
}
