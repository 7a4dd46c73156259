import type { IoStore, StoredEvent } from '@flunq/redis-store';
import { field, ownedState, type ApiDeps, type Handlers } from '../context.js';
import { badRequest, notFound } from '../problems.js';
import { envelopeEventView, eventView, FINAL_EVENT_TYPES } from '../views.js';

/** A stream entry id, as the store's cursors are. */
export const CURSOR_PATTERN = /^[0-9]{1,20}-[0-9]{1,20}$/;
const SCAN_PAGE = 1000;

/** The event at `sequence`: one read at its entry id, else (streams written by the original, with time-based ids) a scan. */
async function eventAt(store: IoStore, executionId: string, sequence: number): Promise<StoredEvent | undefined> {
  const direct = (await store.readEvents(executionId, { after: `${sequence - 1}-0`, limit: 1 })).events[0];
  if (direct && Number(direct.event.sequence) === sequence) return direct;
  let after: string | undefined;
  do {
    const page = await store.readEvents(executionId, { limit: SCAN_PAGE, ...(after ? { after } : {}) });
    const found = page.events.find((e) => Number(e.event.sequence) === sequence);
    if (found) return found;
    if (page.events.some((e) => Number(e.event.sequence) > sequence)) return undefined;
    after = page.nextCursor;
  } while (after);
  return undefined;
}

/** `GET /executions/{id}/events` (paged, with or without payload values), `/events/{seq}`, `/events/stream` (SSE). */
export function eventHandlers(deps: ApiDeps): Handlers {
  const heartbeatMs = deps.sseHeartbeatMs ?? 15_000;
  return {
    async listEvents(request, _reply, tenant) {
      const executionId = field(request.params, 'executionId');
      const query = request.query as { after?: string; limit?: number; payloads?: boolean };
      await ownedState(deps, tenant, executionId);
      const page = await deps.store.readEvents(executionId, { limit: query.limit ?? 100, ...(query.after ? { after: query.after } : {}) });
      const withPayloads = query.payloads !== false;
      return {
        items: page.events.map((stored) => (withPayloads ? eventView(stored, deps.serializer) : envelopeEventView(stored))),
        ...(page.nextCursor ? { next_cursor: page.nextCursor } : {}),
      };
    },

    async getEvent(request, _reply, tenant) {
      const executionId = field(request.params, 'executionId');
      const sequence = field<number>(request.params, 'sequence');
      await ownedState(deps, tenant, executionId);
      const stored = await eventAt(deps.store, executionId, sequence);
      if (!stored) throw notFound(`event ${sequence} of execution ${executionId}`);
      return eventView(stored, deps.serializer);
    },

    async streamEvents(request, reply, tenant) {
      const executionId = field(request.params, 'executionId');
      const header = request.headers['last-event-id'];
      const lastEventId = Array.isArray(header) ? header[0] : header;
      if (lastEventId !== undefined && !CURSOR_PATTERN.test(lastEventId)) throw badRequest('Last-Event-ID is not an event cursor', [{ path: 'headers/last-event-id', message: `must match ${CURSOR_PATTERN.source}` }]);
      let after = lastEventId ?? field<string | undefined>(request.query, 'after');
      await ownedState(deps, tenant, executionId);

      // What is recorded already is read before answering, so a failing store is still a
      // problem response, not a broken stream.
      const backlog: StoredEvent[] = [];
      let ended = false;
      for (;;) {
        const page = await deps.store.readEvents(executionId, { limit: 1000, ...(after ? { after } : {}) });
        backlog.push(...page.events);
        if (page.events.length) after = page.events.at(-1)!.cursor;
        if (page.events.some((e) => FINAL_EVENT_TYPES.has(e.event.type))) ended = true;
        if (!page.nextCursor || ended || backlog.length >= 10_000) break;
      }

      reply.hijack();
      const raw = reply.raw;
      raw.writeHead(200, { 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-cache, no-transform', connection: 'keep-alive', 'x-accel-buffering': 'no' });
      const aborted = new AbortController();
      const stop = (): void => aborted.abort();
      raw.once('close', stop);
      const write = async (text: string): Promise<void> => {
        if (aborted.signal.aborted) return;
        if (!raw.write(text)) await new Promise<void>((resolve) => { const done = (): void => { raw.off('drain', done); raw.off('close', done); resolve(); }; raw.once('drain', done); raw.once('close', done); });
      };
      let lastSequence = 0;
      const send = async (stored: StoredEvent): Promise<boolean> => {
        const sequence = Number(stored.event.sequence);
        if (sequence <= lastSequence) return false;
        lastSequence = sequence;
        await write(`id: ${stored.cursor}\nevent: ${stored.event.type}\ndata: ${JSON.stringify(eventView(stored, deps.serializer))}\n\n`);
        return FINAL_EVENT_TYPES.has(stored.event.type);
      };
      const heartbeat = setInterval(() => void write(': heartbeat\n\n'), heartbeatMs);
      try {
        await write('retry: 2000\n\n');
        let finished = false;
        for (const stored of backlog) if ((finished = await send(stored))) break;
        if (!finished && !aborted.signal.aborted) {
          for await (const stored of deps.store.watchEvents(executionId, { ...(after ? { after } : {}), signal: aborted.signal })) {
            if (await send(stored)) break;
            if (aborted.signal.aborted) break;
          }
        }
      } catch (error) {
        if (!aborted.signal.aborted) {
          deps.logger?.warn({ err: error, executionId }, 'event stream failed');
          await write(`event: error\ndata: ${JSON.stringify({ detail: 'the event stream failed; reconnect with Last-Event-ID' })}\n\n`);
        }
      } finally {
        clearInterval(heartbeat);
        raw.off('close', stop);
        aborted.abort();
        raw.end();
      }
      return reply;
    },
  };
}
