import { createServer, type IncomingHttpHeaders } from 'node:http';
import { listenOnLoopback } from '@/tools/local-stack/wait';

export interface Recorded {
  method: string;
  url: string;
  headers: IncomingHttpHeaders;
  body: string;
  /** The body exactly as it arrived, for byte-level comparisons. */
  raw: Buffer;
}

/** A stand-in upstream that records what reached it and answers with a scripted response. */
export async function startRecordingUpstream(
  answer: (req: Recorded) => { status?: number; headers?: Record<string, string>; body?: string; delayMs?: number } = () => ({}),
) {
  const seen: Recorded[] = [];
  const server = createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const raw = Buffer.concat(chunks);
    const recorded = { method: req.method ?? '', url: req.url ?? '', headers: req.headers, body: raw.toString(), raw };
    seen.push(recorded);
    const reply = answer(recorded);
    if (reply.delayMs) await new Promise((resolve) => setTimeout(resolve, reply.delayMs));
    if (res.destroyed) return;
    // As MLflow's uvicorn does: it names itself and dates its answers.
    res.writeHead(reply.status ?? 200, { 'content-type': 'application/json', server: 'uvicorn', date: new Date().toUTCString(), ...reply.headers });
    res.end(reply.body ?? '{}');
  });
  const { url, close } = await listenOnLoopback(server);
  return { url, seen, close };
}
