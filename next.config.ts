import type { NextConfig } from 'next';

const nextConfig: NextConfig = {
  // The standalone bundle (npm run build:standalone, the Docker image) is asked for by that script;
  // a plain `next build` makes the output `next start` and Vercel run. This is build configuration,
  // read by Next at build time, not the portal's runtime configuration (lib/config.ts).
  output: process.env.PORTAL_BUILD_STANDALONE === '1' ? 'standalone' : undefined,
  poweredByHeader: false,
  // Proxied MLflow bodies must pass untouched; the gateway never compresses them either.
  compress: false,
  // MLflow's UI uses relative URLs and must be served at /mlflow/ (with the slash); without this,
  // Next would redirect /mlflow/ to /mlflow on the route-handler path.
  skipTrailingSlashRedirect: true,
  serverExternalPackages: ['@descope/node-sdk', 'prom-client'],
};

export default nextConfig;
