import type { Config } from '@/lib/config';
import { errorAnswer, type Answer } from '@/lib/http/answers';
import { UpstreamFailure } from '@/lib/gateway/upstream-request';

/** MLflow down or slow, as the client sees it: 502 or 504, HTML for browsers, JSON otherwise. */
export function upstreamFailureAnswer(
  failure: unknown,
  config: Pick<Config, 'upstreamTimeoutMs'>,
  accept: string | null | undefined,
  setCookies: readonly string[],
): Answer {
  if (failure instanceof UpstreamFailure && failure.timedOut) {
    return errorAnswer('upstream_timeout', `MLflow did not answer within ${config.upstreamTimeoutMs} ms`, { accept, setCookies });
  }
  return errorAnswer('upstream_unavailable', 'the MLflow server could not be reached; try again shortly', { accept, setCookies });
}
