// `next start` and Vercel functions: build the process's one runtime when the server starts, so a
// configuration error stops it at once (the custom server has installed its own runtime already).
export async function register(): Promise<void> {
  if (process.env.NEXT_RUNTIME !== 'nodejs') return;
  const { bootPortalRuntime } = await import('@/lib/runtime/boot');
  bootPortalRuntime({ customServer: false });
}
