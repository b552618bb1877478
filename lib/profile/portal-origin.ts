import 'server-only';
import { headers } from 'next/headers';
import { portalRuntime } from '@/lib/runtime';

const hostPattern = /^[A-Za-z0-9.-]+(:\d{1,5})?$|^\[[0-9A-Fa-f:.]+\](:\d{1,5})?$/;

/**
 * The origin programs should use: PORTAL_PUBLIC_URL when set, else this request's Host. The Host
 * only ever reaches the same user's own snippet, but it is still checked to be a plain host.
 */
export async function portalOrigin(): Promise<string> {
  const { publicUrl } = portalRuntime().config;
  if (publicUrl) return publicUrl.origin;
  const requestHeaders = await headers();
  const host = requestHeaders.get('x-forwarded-host')?.split(',')[0]?.trim() || requestHeaders.get('host') || '';
  const proto = requestHeaders.get('x-forwarded-proto')?.split(',')[0]?.trim() === 'https' ? 'https' : 'http';
  return hostPattern.test(host) ? `${proto}://${host}` : 'http://localhost:3000';
}

export async function trackingUri(): Promise<string> {
  return `${await portalOrigin()}/mlflow`;
}
