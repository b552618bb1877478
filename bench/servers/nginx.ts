import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { stopProcess } from '../../tools/local-stack/mlflow';
import { waitForHttp } from '../../tools/local-stack/wait';

export interface NginxProxy {
  version: string;
  /** The nginx.conf the bench wrote, for docs/BENCHMARKS.md. */
  config: string;
  stop(): Promise<void>;
}

/**
 * Debian's nginx as a bare reverse proxy, one `server` per route (listen port → upstream):
 * keep-alive to the upstream, request and response bodies streamed (no buffering, no size cap),
 * no access log. One worker process, like the single-process Node proxies it is compared with.
 */
export async function startNginx(dir: string, routes: { port: number; upstream: string }[]): Promise<NginxProxy> {
  mkdirSync(join(dir, 'logs'), { recursive: true });
  const servers = routes.map(({ port, upstream }, index) => `
  upstream backend${index} { server ${new URL(upstream).host}; keepalive 64; }
  server {
    listen 127.0.0.1:${port};
    client_max_body_size 0;
    proxy_request_buffering off;
    proxy_buffering off;
    proxy_http_version 1.1;
    location / {
      proxy_pass http://backend${index};
      proxy_set_header Connection "";
      proxy_set_header Host ${new URL(upstream).host};
      proxy_read_timeout 300s;
      proxy_send_timeout 300s;
    }
  }`).join('\n');
  const config = `${process.getuid?.() === 0 ? 'user root;\n' : ''}worker_processes 1;
pid ${join(dir, 'nginx.pid')};
error_log ${join(dir, 'logs/error.log')} warn;
events { worker_connections 4096; }
http {
  access_log off;
  client_body_temp_path ${join(dir, 'client_body')};
  proxy_temp_path ${join(dir, 'proxy')};
  fastcgi_temp_path ${join(dir, 'fastcgi')};
  uwsgi_temp_path ${join(dir, 'uwsgi')};
  scgi_temp_path ${join(dir, 'scgi')};
  keepalive_timeout 65s;
  keepalive_requests 1000000;${servers}
}
`;
  const file = join(dir, 'nginx.conf');
  writeFileSync(file, config);
  // `nginx -v` prints to stderr.
  const version = spawnSync('nginx', ['-v'], { encoding: 'utf8' }).stderr.trim().replace(/^nginx version: /, '');
  const child: ChildProcess = spawn('nginx', ['-p', dir, '-c', file, '-g', 'daemon off;'], { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  try {
    await waitForHttp(`http://127.0.0.1:${routes[0].port}/health`, 15_000, () => child.exitCode !== null);
  } catch (error) {
    child.kill('SIGKILL');
    const log = readFileSafe(join(dir, 'logs/error.log'));
    throw new Error(`nginx did not start: ${(error as Error).message}\n${stderr}${log}`);
  }
  // SIGTERM to the master stops its workers too.
  return { version, config, stop: () => stopProcess(child) };
}

function readFileSafe(path: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return '';
  }
}
