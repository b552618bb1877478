import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { stopProcess } from './mlflow';
import { waitForHttp } from './wait';

export interface LocalNginx {
  url: string;
  /** nginx's access log: one line per request, `<upstream address> <status> <method> <uri>`. */
  accessLog(): string;
  stop(): Promise<void>;
}

/**
 * Debian's nginx as a round-robin load balancer in front of portal instances, the way an operator
 * would run one: Host and X-Forwarded-* passed on, request bodies streamed (no buffering, no size
 * cap), keep-alive to the upstreams. A foreground child with its own temp prefix; each response
 * says which instance served it in `X-Portal-Instance`.
 */
export async function startNginx(options: { port: number; upstreams: string[] }): Promise<LocalNginx> {
  const prefix = mkdtempSync(join(tmpdir(), 'portal-nginx-'));
  mkdirSync(join(prefix, 'logs'));
  const servers = options.upstreams.map((upstream) => `    server ${new URL(upstream).host};`).join('\n');
  const temp = (name: string) => `${name}_temp_path ${join(prefix, name)};`;
  writeFileSync(
    join(prefix, 'nginx.conf'),
    `daemon off;
master_process off;
worker_processes 1;
pid ${join(prefix, 'nginx.pid')};
error_log ${join(prefix, 'logs/error.log')} warn;
events { worker_connections 512; }
http {
  log_format portal '$upstream_addr $status $request_method $uri';
  access_log ${join(prefix, 'logs/access.log')} portal;
  ${temp('client_body')} ${temp('proxy')} ${temp('fastcgi')} ${temp('uwsgi')} ${temp('scgi')}
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
  }
}
`,
  );
  const child = spawn('nginx', ['-p', prefix, '-c', join(prefix, 'nginx.conf'), '-e', join(prefix, 'logs/error.log')], { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const url = `http://127.0.0.1:${options.port}`;
  const stop = async () => {
    await stopProcess(child);
    rmSync(prefix, { recursive: true, force: true });
  };
  try {
    await waitForHttp(`${url}/auth/health`, 30_000, () => child.exitCode !== null);
  } catch (error) {
    const log = readFileSync(join(prefix, 'logs/error.log'), { encoding: 'utf8', flag: 'a+' });
    await stop();
    throw new Error(`nginx did not start: ${(error as Error).message}\n${stderr}${log}`);
  }
  return { url, accessLog: () => readFileSync(join(prefix, 'logs/access.log'), 'utf8'), stop };
}
