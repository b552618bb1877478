/**
 * A base for errors that cross module copies. server.ts (under tsx or bundled) and each Next
 * bundle (proxy, pages, route handlers) load their own copy of lib/, but the auth singletons live
 * once per process on globalThis (lib/auth/runtime.ts). An error thrown by the shared verifier is
 * then an instance of *another copy's* class, and a plain `instanceof` misses it: an expired
 * session cookie on a page became a 500 instead of a refresh. This `instanceof` checks a
 * process-wide brand instead, so it holds in every copy.
 */
export function sharedErrorClass(name: string) {
  const brand = Symbol.for(`mlflow-descope-portal.error.${name}`);
  return class SharedError extends Error {
    override name = name;
    readonly [brand] = true;

    static [Symbol.hasInstance](value: unknown): boolean {
      return typeof value === 'object' && value !== null && (value as Record<symbol, unknown>)[brand] === true;
    }
  };
}
