import { NextResponse } from 'next/server';
import { countedRoute, portalRuntime } from '@/lib/runtime';

export const dynamic = 'force-dynamic';

export const GET = countedRoute(async () => {
  const health = await portalRuntime().health();
  return NextResponse.json(health, { status: health.status === 'ok' ? 200 : 503, headers: { 'cache-control': 'no-store' } });
});
