/**
 * The live plots feed over HTTP: GET /live/history (JSON, every summary so far) and GET
 * /live/events (server-sent events: a `history` event with everything so far, then one `summary`
 * event per new summary, so a page that reconnects misses nothing). Server-sent events,
 * not a WebSocket: one-way, text, and reconnected by the browser on its own.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { ApiPaths } from '../../web/api/PageApi.js';
import type { PageRoute } from '../../web/server/PageServer.js';
import type { LiveStats } from './LiveStats.js';

// Proxies and browsers drop an idle stream; a comment line now and then keeps it open.
const KEEP_ALIVE_MS = 15_000;

/** The page-server route that serves `stats`. */
export function liveFeedRoute(stats: LiveStats): PageRoute {
  return (req: IncomingMessage, res: ServerResponse, url: URL): boolean => {
    if (url.pathname === ApiPaths.liveHistory) {
      const body = JSON.stringify(stats.history());
      res.writeHead(200, { 'Content-Type': 'application/json; charset=utf-8', 'Cache-Control': 'no-store' });
      res.end(req.method === 'HEAD' ? undefined : body);
      return true;
    }
    if (url.pathname === ApiPaths.liveEvents) {
      res.writeHead(200, { 'Content-Type': 'text/event-stream; charset=utf-8', 'Cache-Control': 'no-store', Connection: 'keep-alive' });
      if (req.method === 'HEAD') {
        res.end();
        return true;
      }
      res.write(`retry: 2000\n\nevent: history\ndata: ${JSON.stringify(stats.history())}\n\n`);
      const unsubscribe = stats.subscribe((summary) => res.write(`event: summary\ndata: ${JSON.stringify(summary)}\n\n`));
      const keepAlive = setInterval(() => res.write(': keep-alive\n\n'), KEEP_ALIVE_MS);
      keepAlive.unref();
      req.on('close', () => {
        clearInterval(keepAlive);
        unsubscribe();
      });
      return true;
    }
    return false;
  };
}
