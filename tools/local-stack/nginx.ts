import { spawn, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { stopProcess } from './mlflow';
import { waitForHttp } from './wait';

export interface NginxProcess {
  /** The nginx.conf as written, for reports. */
  config: string;
  version: string;
  /** `logs/access.log` under the prefix; empty when the configuration logs nothing there. */
  accessLog(): string;
  stop(): Promise<void>;
}

/**
 * Debian's nginx as one foreground process (no master, one worker's worth of work) under a fresh
 * temp prefix, so it needs no root paths and leaves nothing behind. `http` is the body of the
 * `http {}` block (upstreams, servers, log formats); `readyUrl` answers once nginx is serving.
 */
export async function runNginx(options: { http: string; readyUrl: string }): Promise<NginxProcess> {
  const prefix = mkdtempSync(join(tmpdir(), 'portal-nginx-'));
  mkdirSync(join(prefix, 'logs'));
  const temp = (name: string) => `${name}_temp_path ${join(prefix, name)};`;
  const config = `daemon off;
master_process off;
worker_processes 1;
pid ${join(prefix, 'nginx.pid')};
error_log ${join(prefix, 'logs/error.log')} warn;
events { worker_connections 4096; }
http {
  ${temp('client_body')} ${temp('proxy')} ${temp('fastcgi')} ${temp('uwsgi')} ${temp('scgi')}
${options.http}
}
`;
  writeFileSync(join(prefix, 'nginx.conf'), config);
  // `nginx -v` prints to stderr.
  const version = spawnSync('nginx', ['-v'], { encoding: 'utf8' })
    .stderr.trim()
    .replace(/^nginx version: /, '');
  const child = spawn('nginx', ['-p', prefix, '-c', join(prefix, 'nginx.conf'), '-e', join(prefix, 'logs/error.log')], { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const read = (name: string) => readFileSync(join(prefix, 'logs', name), { encoding: 'utf8', flag: 'a+' });
  const stop = async () => {
    await stopProcess(child);
    rmSync(prefix, { recursive: true, force: true });
  };
  try {
    await waitForHttp(options.readyUrl, 30_000, () => child.exitCode !== null);
  } catch (error) {
    const log = read('error.log');
    await stop();
    throw new Error(`nginx did not start: ${(error as Error).message}\n${stderr}${log}`);
  }
  return { config, version, accessLog: () => read('access.log'), stop };
}

/**
 * nginx as a round-robin load balancer in front of portal instances, the way an operator would
 * run one: Host and X-Forwarded-* passed on, request bodies streamed (no buffering, no size cap),
 * keep-alive to the upstreams. Each response says which instance served it in `X-Portal-Instance`;
 * the access log lines are `<upstream address> <status> <method> <uri>`.
 */
export async function startNginxBalancer(options: { port: number; upstreams: string[] }): Promise<NginxProcess & { url: string }> {
  const url = `http://127.0.0.1:${options.port}`;
  const servers = options.upstreams.map((upstream) => `    server ${new URL(upstream).host};`).join('\n');
  const nginx = await runNginx({
    readyUrl: `${url}/auth/health`,
    http: `  log_format portal '$upstream_addr $status $request_method $uri';
  access_log logs/access.log portal;
  upstream portal {
${servers}
    keepalive 16;
  }
  server {
    listen 127.0.0.1:${options.port};
    client_max_body_size 0;
    location / {
      proxy_pass http://portal;
      proxy_http_version 1.1;
      proxy_set_header Connection "";
      proxy_set_header Host $http_host;
      proxy_set_header X-Forwarded-Host $http_host;
      proxy_set_header X-Forwarded-Proto $scheme;
      proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
      proxy_request_buffering off;
      proxy_buffering off;
      proxy_read_timeout 300s;
      add_header X-Portal-Instance $upstream_addr always;
    }
  }`,
  });
  return { ...nginx, url };
}
