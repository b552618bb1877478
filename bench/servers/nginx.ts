import { runNginx, type NginxProcess } from '../../tools/local-stack/nginx';

/**
 * Debian's nginx as a bare reverse proxy, one `server` per route (listen port → upstream):
 * keep-alive to the upstream, request and response bodies streamed (no buffering, no size cap),
 * no access log. One process, like the single-process Node proxies it is compared with.
 */
export function startBareNginx(routes: { port: number; upstream: string }[]): Promise<NginxProcess> {
  const servers = routes.map(({ port, upstream }, index) => {
    const host = new URL(upstream).host;
    return `  upstream backend${index} { server ${host}; keepalive 64; }
  server {
    listen 127.0.0.1:${port};
    client_max_body_size 0;
    proxy_request_buffering off;
    proxy_buffering off;
    proxy_http_version 1.1;
    location / {
      proxy_pass http://backend${index};
      proxy_set_header Connection "";
      proxy_set_header Host ${host};
      proxy_read_timeout 300s;
      proxy_send_timeout 300s;
    }
  }`;
  });
  return runNginx({
    readyUrl: `http://127.0.0.1:${routes[0].port}/health`,
    http: `  access_log off;
  keepalive_timeout 65s;
  keepalive_requests 1000000;
${servers.join('\n')}`,
  });
}
