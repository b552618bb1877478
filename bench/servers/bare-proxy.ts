import { Agent, createServer } from 'node:http';
import httpProxy from 'http-proxy';

// The floor for a Node proxy: http-proxy on a keep-alive agent with no auth, logging or header
// work, configured like the portal's gateway. Usage: … bare-proxy.ts <port> <upstream url>
const agent = new Agent({ keepAlive: true, maxSockets: 256, scheduling: 'lifo' });
const proxy = httpProxy.createProxyServer({ target: process.argv[3], agent, xfwd: false });
proxy.on('error', (_error, _req, res) => {
  if ('writeHead' in res && !res.headersSent) res.writeHead(502);
  res.end();
});
const server = createServer((req, res) => proxy.web(req, res));
server.keepAliveTimeout = 65_000;
server.listen(Number(process.argv[2]), '127.0.0.1', () => process.stdout.write('ready\n'));
process.once('SIGTERM', () => process.exit(0));
