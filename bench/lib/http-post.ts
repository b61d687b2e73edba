// One keep-alive HTTP client for the benchmarks' JSON posts (predict.bench.ts posts a different body
// on every request, load.ts's closed loop one fixed body). Resolves with the status and the whole
// response body.
import http from 'node:http';

export interface HttpPoster {
  post(body: string): Promise<{ status: number; body: string }>;
  close(): void;
}

export function httpPoster(url: string, headers: Record<string, string>, maxSockets: number): HttpPoster {
  const u = new URL(url);
  const agent = new http.Agent({ keepAlive: true, maxSockets, maxFreeSockets: maxSockets });
  return {
    post(body) {
      const payload = Buffer.from(body);
      return new Promise((resolve, reject) => {
        const req = http.request({
          agent, hostname: u.hostname, port: u.port, path: u.pathname, method: 'POST',
          headers: { ...headers, 'content-type': 'application/json', 'content-length': String(payload.length) },
        }, (r) => {
          const chunks: Buffer[] = [];
          r.on('data', (c: Buffer) => chunks.push(c));
          r.on('end', () => resolve({ status: r.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }));
          r.on('error', reject);
        });
        req.on('error', reject);
        req.end(payload);
      });
    },
    close() { agent.destroy(); },
  };
}
