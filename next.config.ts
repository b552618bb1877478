import type { NextConfig } from 'next';

const nextConfig: NextConfig = {
  output: 'standalone',
  poweredByHeader: false,
  // Proxied MLflow bodies must pass untouched; server.ts never compresses them either.
  compress: false,
  serverExternalPackages: ['@descope/node-sdk', 'http-proxy'],
};

export default nextConfig;
