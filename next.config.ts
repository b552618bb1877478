import type { NextConfig } from 'next';

const nextConfig: NextConfig = {
  output: 'standalone',
  poweredByHeader: false,
  // Proxied MLflow bodies must pass untouched; server.ts never compresses them either.
  compress: false,
  // MLflow's UI uses relative URLs and must be served at /mlflow/ (with the slash); without this,
  // Next would redirect /mlflow/ to /mlflow on the route-handler (Vercel) path.
  skipTrailingSlashRedirect: true,
  // `npm test` type-checks the whole repo (tsc) as its own stage; the build need not do it twice.
  typescript: { ignoreBuildErrors: true },
  serverExternalPackages: ['@descope/node-sdk', 'http-proxy'],
};

export default nextConfig;
