// POST /events: the batched REST feed for storefronts (same validation and write path as trackEvents).
import express, { Router } from 'express';
import { GraphQLError } from 'graphql';
import { authenticate } from '../../graphql/context';
import type { Logger } from '../../logger';
import type { Services } from '../../services';
import { LiveEvent, MAX_EVENTS_PER_CALL } from './event.service';

export function eventsRouter(services: Services, log: Logger): Router {
  const router = Router();
  router.post('/', express.json({ limit: '1mb' }), async (req, res) => {
    let merchantId: number;
    try {
      merchantId = (await authenticate(services, req.headers.authorization)).merchantId;
    } catch (err) {
      res.status(401).json({ error: (err as GraphQLError).message });
      return;
    }
    const body = req.body as { events?: unknown } | unknown[];
    const events = Array.isArray(body) ? body : (body as { events?: unknown }).events;
    if (!Array.isArray(events)) {
      res.status(400).json({ error: 'Body must be a JSON array of events or { "events": [...] }' });
      return;
    }
    if (events.length > MAX_EVENTS_PER_CALL) {
      res.status(413).json({ error: `At most ${MAX_EVENTS_PER_CALL} events per request` });
      return;
    }
    try {
      const { accepted, errors } = await services.events.track(merchantId, events as LiveEvent[]);
      res.status(errors.length && !accepted ? 422 : 200).json({ accepted, errors });
    } catch (err) {
      log.error({ err }, 'POST /events failed');
      res.status(500).json({ error: 'Internal error' });
    }
  });
  return router;
}
