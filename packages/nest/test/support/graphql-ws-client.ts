import WebSocket from 'ws';

/** What a raw `graphql-transport-ws` connection saw: messages and, once closed, the close code. */
export interface GraphqlWsConnection {
  readonly messages: Record<string, any>[];
  /** Resolves with the close code and reason when the server closes the socket. */
  readonly closed: Promise<{ code: number; reason: string }>;
  /** Resolves with the next message of `type` (already received ones count). */
  next(type: string): Promise<Record<string, any>>;
  subscribe(id: string, query: string): void;
  close(): void;
}

/**
 * A `graphql-transport-ws` client on a raw `ws` socket (the protocol of graphql-ws, spoken by Apollo's
 * and Mercurius's servers): sends `connection_init` with `payload`, records every message and the close
 * code, so tests can assert 4401/4403 exactly.
 */
export function openGraphqlWs(url: string, payload: Record<string, unknown> | undefined): Promise<GraphqlWsConnection> {
  const socket = new WebSocket(url.replace(/^http/, 'ws'), 'graphql-transport-ws');
  const messages: Record<string, any>[] = [];
  const waiters: { type: string; resolve: (m: Record<string, any>) => void }[] = [];
  const closed = new Promise<{ code: number; reason: string }>((resolve) => socket.once('close', (code, reason) => resolve({ code, reason: reason.toString() })));
  socket.on('message', (data) => {
    const message = JSON.parse(String(data)) as Record<string, any>;
    messages.push(message);
    for (const w of waiters.filter((x) => x.type === message.type)) {
      waiters.splice(waiters.indexOf(w), 1);
      w.resolve(message);
    }
  });
  const connection: GraphqlWsConnection = {
    messages,
    closed,
    next(type) {
      const seen = messages.find((m) => m.type === type && !(m as { taken?: boolean }).taken);
      if (seen) {
        Object.defineProperty(seen, 'taken', { value: true });
        return Promise.resolve(seen);
      }
      return new Promise((resolve) => waiters.push({ type, resolve: (m) => (Object.defineProperty(m, 'taken', { value: true }), resolve(m)) }));
    },
    subscribe(id, query) {
      socket.send(JSON.stringify({ id, type: 'subscribe', payload: { query } }));
    },
    close() {
      socket.close();
    },
  };
  return new Promise((resolve, reject) => {
    socket.once('error', reject);
    socket.once('open', () => {
      socket.send(JSON.stringify({ type: 'connection_init', ...(payload ? { payload } : {}) }));
      resolve(connection);
    });
  });
}
