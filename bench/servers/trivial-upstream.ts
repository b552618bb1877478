import { createServer } from 'node:http';

// An upstream that answers at once with a tiny JSON body: what remains of a proxied request's
// latency is the proxy's own cost. Usage: node --import tsx bench/servers/trivial-upstream.ts <port>
const body = Buffer.from('{"experiments":[]}');
const server = createServer((req, res) => {
  req.resume();
  req.on('end', () => {
    res.writeHead(200, { 'content-type': 'application/json', 'content-length': body.length });
    res.end(body);
  });
});
server.keepAliveTimeout = 65_000;
server.listen(Number(process.argv[2]), '127.0.0.1', () => process.stdout.write('ready\n'));
process.once('SIGTERM', () => process.exit(0));
