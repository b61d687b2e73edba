// The API process: Apollo Server 5 over HTTP and graphql-ws subscriptions on the same port,
// health and readiness probes, Prometheus metrics, staged-upload PUTs and the events endpoint.
import { randomUUID } from 'node:crypto';
import http from 'node:http';
import { ApolloServer } from '@apollo/server';
import { expressMiddleware } from '@as-integrations/express5';
import { ApolloServerPluginCacheControlDisabled } from '@apollo/server/plugin/disabled';
import { ApolloServerPluginDrainHttpServer } from '@apollo/server/plugin/drainHttpServer';
import express from 'express';
import { GraphQLSchema, validate } from 'graphql';
import { useServer } from 'graphql-ws/use/ws';
import { WebSocketServer } from 'ws';
import type { Config } from './config/config';
import type { Database } from './db/database';
import { costPlugin, checkCost } from './graphql/cost';
import { currentBackend } from './ml/backend';
import { authenticate, GraphQLContext } from './graphql/context';
import { formatError } from './graphql/error-masking';
import { createLoaders } from './graphql/loaders';
import { metricsPlugin } from './graphql/metrics.plugin';
import { buildAppSchema } from './graphql/schema';
import { collectQueueDepths, httpDurationSeconds, registry } from './infra/metrics';
import type { RedisHandle } from './infra/redis';
import type { Logger } from './logger';
import { eventsRouter } from './modules/events/events.route';
import { UploadTooLargeError } from './modules/uploads/upload.service';
import type { Services } from './services';

export interface ApiDeps { config: Config; db: Database; redis: RedisHandle; services: Services; log: Logger }

export interface RunningApi { url: string; wsUrl: string; httpServer: http.Server; schema: GraphQLSchema; stop(): Promise<void> }

export async function startApi(deps: ApiDeps, listen: { host: string; port: number } = deps.config): Promise<RunningApi> {
  const { config, db, redis, services, log } = deps;
  const schema = await buildAppSchema();
  const app = express();
  app.disable('x-powered-by');
  const httpServer = http.createServer(app);

  app.use((req, res, next) => {
    const end = httpDurationSeconds.startTimer();
    res.on('finish', () => end({ route: req.route?.path ?? req.path.split('/')[1] ?? '', method: req.method, status: res.statusCode }));
    next();
  });

  app.get('/healthz', (_req, res) => { res.json({ status: 'ok' }); });
  app.get('/readyz', async (_req, res) => {
    const checks: Record<string, string> = {};
    await db.sql.query('SELECT 1').then(() => { checks.database = 'ok'; }, (e: Error) => { checks.database = e.message; });
    await redis.connection.ping().then(() => { checks.redis = 'ok'; }, (e: Error) => { checks.redis = e.message; });
    const ready = Object.values(checks).every((v) => v === 'ok');
    res.status(ready ? 200 : 503).json({
      status: ready ? 'ready' : 'not ready', database: db.kind, checks,
      // The TensorFlow.js backend models run on here (set once a model was loaded in this process).
      mlBackend: currentBackend()?.name ?? 'not loaded',
    });
  });
  collectQueueDepths(() => services.queues.depths());
  app.get('/metrics', async (_req, res) => {
    res.set('Content-Type', registry.contentType);
    res.send(await registry.metrics());
  });

  app.put('/uploads/:token', async (req, res) => {
    try {
      const stored = await services.uploads.receive(String(req.params.token), req);
      if (!stored) { res.status(404).json({ error: 'Unknown or expired upload URL' }); return; }
      res.status(200).json({ id: stored.id, sizeBytes: stored.sizeBytes });
    } catch (err) {
      if (err instanceof UploadTooLargeError) { res.status(413).json({ error: err.message }); return; }
      log.error({ err }, 'upload failed');
      res.status(500).json({ error: 'Upload failed' });
    }
  });

  app.use('/events', eventsRouter(services, log));

  const wsServer = new WebSocketServer({ server: httpServer, path: '/graphql' });
  const wsCleanup = useServer<Record<string, unknown>, { auth?: GraphQLContext['auth'] }>({
    schema,
    onConnect: async (ctx) => {
      const p = ctx.connectionParams ?? {};
      const header = (p.authorization ?? p.Authorization) as string | undefined;
      try {
        ctx.extra.auth = await authenticate(services, header);
        return true;
      } catch {
        return false; // closes with 4403 Forbidden
      }
    },
    // Subscriptions are priced once, at subscribe time (variables are not visible here: defaults apply).
    validate: (sch, document, rules) => {
      const errors = validate(sch, document, rules);
      if (errors.length) return errors;
      return checkCost(sch, document, {}, { maxCost: config.maxQueryCost, maxDepth: config.maxQueryDepth });
    },
    context: (ctx): GraphQLContext => ({
      auth: ctx.extra.auth ?? null, services, requestId: randomUUID(),
      loaders: createLoaders(services, ctx.extra.auth?.merchantId ?? 0),
    }),
  }, wsServer);

  const apollo = new ApolloServer<GraphQLContext>({
    schema,
    formatError: formatError(log),
    introspection: true,
    plugins: [
      ApolloServerPluginDrainHttpServer({ httpServer }),
      // No type or field carries a cache hint and POSTed GraphQL is not HTTP-cached, yet Apollo's
      // default cache-control plugin wraps every field resolution of every request: a 100-product
      // conversionPredictions answer paid for ~300 wrapped resolutions (bench:predict profile).
      ApolloServerPluginCacheControlDisabled(),
      { async serverWillStart() { return { async drainServer() { await wsCleanup.dispose(); } }; } },
      costPlugin<GraphQLContext>({
        redis: redis.connection, maxCost: config.maxQueryCost, maxDepth: config.maxQueryDepth,
        bucket: config.throttleBucket, restoreRate: config.throttleRestoreRate,
        keyPrefix: `${config.queuePrefix}:throttle`, merchantIdOf: (c) => c.auth?.merchantId,
      }),
      metricsPlugin(),
    ],
  });
  await apollo.start();
  app.use('/graphql', express.json({ limit: '2mb' }), expressMiddleware(apollo, {
    context: async ({ req }): Promise<GraphQLContext> => {
      const auth = await authenticate(services, req.headers.authorization);
      return { auth, services, requestId: randomUUID(), loaders: createLoaders(services, auth.merchantId) };
    },
  }));

  await new Promise<void>((resolve, reject) => {
    httpServer.once('error', reject);
    httpServer.listen(listen.port, listen.host, () => resolve());
  });
  const addr = httpServer.address() as { port: number };
  const url = `http://${listen.host}:${addr.port}/graphql`;
  if (!config.publicUrlExplicit) services.uploads.baseUrl = url.replace(/\/graphql$/, '');
  log.info({ url, database: db.kind }, 'API listening');
  return {
    url, wsUrl: url.replace(/^http/, 'ws'), httpServer, schema,
    async stop() { await apollo.stop(); },
  };
}

