#!/usr/bin/env node
// The `shelfwise` command line: serve, worker, merchant and API-key administration, import,
// generate and demo. It is the composition root that may join the API (src/) and the workers.
import 'reflect-metadata';
import { parseArgs } from 'node:util';
import { ConfigError } from '../src/config/config';
import { RedisUnavailableError } from '../src/infra/redis';
import { IMPORT_KINDS, ImportKind } from '../src/modules/imports/import.types';
import { openRuntime, Runtime } from '../src/runtime';
import { printAppSchema } from '../src/graphql/schema';
import { serve, stopOnSignals } from '../src/server';
import { handlers } from '../workers/handlers';
import { main as workerMain } from '../workers/main';
import { startWorkers } from '../workers/worker-runtime';
import { runDemo } from './demo';
import { runGenerate } from './generate';
import { importLocalFile } from './import-file';
import { progressPrinter } from './progress';

const USAGE = `shelfwise <command> [options]

  serve                                   API (and, with the embedded database, the workers)
  worker                                  a worker process for every queue
  merchant create --name N [--currency USD] [--time-zone UTC]
  merchant list
  apikey create --merchant M [--scope admin|storefront] [--name N]
  apikey list --merchant M
  apikey revoke --merchant M --id K
  import --merchant M --kind products|customers|orders|events FILE
  generate [--size tiny|small|demo|medium|large] [--seed N] [--out DIR]
  demo                                    generate a shop, import it through the job system, serve it
  schema                                  print the GraphQL SDL

M is a merchant id or name. Configuration comes from environment variables (see README).`;

async function withRuntime<T>(fn: (rt: Runtime) => Promise<T>): Promise<T> {
  const rt = await openRuntime();
  try { return await fn(rt); } finally { await rt.close(); }
}

async function merchantId(rt: Runtime, ref: string | undefined): Promise<number> {
  if (!ref) throw new UsageError('--merchant is required');
  const m = /^\d+$/.test(ref) ? await rt.services.merchants.find(Number(ref)) : await rt.services.merchants.findByName(ref);
  if (!m) throw new UsageError(`No merchant "${ref}"`);
  return m.id;
}

class UsageError extends Error {}

export async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  const sub = ['merchant', 'apikey'].includes(command) ? rest.shift() : undefined;
  const { values, positionals } = parseArgs({
    args: rest, allowPositionals: true, strict: true,
    options: {
      name: { type: 'string' }, currency: { type: 'string' }, 'time-zone': { type: 'string' },
      merchant: { type: 'string' }, scope: { type: 'string' }, id: { type: 'string' }, kind: { type: 'string' },
      size: { type: 'string' }, seed: { type: 'string' }, out: { type: 'string' }, 'no-serve': { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (!command || values.help || command === 'help') { console.log(USAGE); return 0; }

  switch (`${command}${sub ? ` ${sub}` : ''}`) {
    case 'serve': {
      const { api, stop, rt } = await serve({ startWorkers: (r) => startWorkers({ ...r, handlers }) });
      console.log(`Shelfwise API at ${api.url} (database: ${rt.db.kind}${rt.config.embeddedWorker ? ', workers in-process' : ''})`);
      stopOnSignals(stop);
      return -1; // keep running
    }
    case 'worker': {
      await workerMain();
      return -1;
    }
    case 'merchant create': return withRuntime(async (rt) => {
      if (!values.name) throw new UsageError('--name is required');
      const { merchant, key } = await rt.services.merchants.create({ name: values.name, currency: values.currency, timeZone: values['time-zone'] });
      console.log(`Created merchant ${merchant.id} "${merchant.name}" (${merchant.currency}, ${merchant.timeZone}).`);
      console.log('Admin API key (shown once; store it now):');
      console.log(`SHELFWISE_API_KEY=${key}`);
      return 0;
    });
    case 'merchant list': return withRuntime(async (rt) => {
      for (const m of await rt.services.merchants.list()) console.log(`${m.id}\t${m.name}\t${m.currency}\t${m.timeZone}\t${m.dataNow?.toISOString() ?? '-'}`);
      return 0;
    });
    case 'apikey create': return withRuntime(async (rt) => {
      const scope = (values.scope ?? 'admin').toUpperCase();
      if (scope !== 'ADMIN' && scope !== 'STOREFRONT') throw new UsageError('--scope must be admin or storefront');
      const id = await merchantId(rt, values.merchant);
      const { key, apiKey } = await rt.services.merchants.createKey(id, scope, values.name ?? `${scope.toLowerCase()} key`);
      console.log(`Created ${scope.toLowerCase()} key ${apiKey.id} for merchant ${id} (shown once):`);
      console.log(`SHELFWISE_API_KEY=${key}`);
      return 0;
    });
    case 'apikey list': return withRuntime(async (rt) => {
      const id = await merchantId(rt, values.merchant);
      for (const k of await rt.services.merchants.listKeys(id)) {
        console.log(`${k.id}\t${k.scope.toLowerCase()}\t${k.prefix}…\t${k.name}\t${k.revokedAt ? `revoked ${k.revokedAt.toISOString()}` : 'active'}`);
      }
      return 0;
    });
    case 'apikey revoke': return withRuntime(async (rt) => {
      const id = await merchantId(rt, values.merchant);
      if (!values.id || !/^\d+$/.test(values.id)) throw new UsageError('--id KEY_ID is required (see apikey list)');
      const ok = await rt.services.merchants.revokeKey(id, Number(values.id));
      console.log(ok ? `Revoked key ${values.id}.` : `No active key ${values.id} for merchant ${id}.`);
      return ok ? 0 : 1;
    });
    case 'import': return withRuntime(async (rt) => {
      const kind = values.kind as ImportKind;
      if (!(IMPORT_KINDS as readonly string[]).includes(kind)) throw new UsageError(`--kind must be one of ${IMPORT_KINDS.join(', ')}`);
      const file = positionals[0];
      if (!file) throw new UsageError('FILE is required');
      const id = await merchantId(rt, values.merchant);
      const workers = rt.config.embeddedWorker ? await startWorkers({ ...rt, handlers, queues: ['import'] }) : undefined;
      try {
        const final = await importLocalFile(rt, id, kind, file, progressPrinter(kind));
        console.log(JSON.stringify({ state: final.state, error: final.error, result: final.result }, null, 2));
        return final.state === 'COMPLETED' ? 0 : 1;
      } finally { await workers?.close(); }
    });
    case 'generate': return runGenerate({ size: values.size, seed: values.seed, out: values.out });
    case 'demo': return runDemo({ serve: !values['no-serve'] });
    case 'schema': process.stdout.write(await printAppSchema()); return 0;
    default: throw new UsageError(`Unknown command "${argv.join(' ')}"`);
  }
}

if (require.main === module) {
  main(process.argv.slice(2)).then((code) => { if (code >= 0) process.exit(code); }, (err) => {
    if (err instanceof UsageError) console.error(`${err.message}\n\n${USAGE}`);
    else if (err instanceof ConfigError || err instanceof RedisUnavailableError) console.error(err.message);
    else console.error(err instanceof Error ? (err.stack ?? err.message) : err);
    process.exit(2);
  });
}
