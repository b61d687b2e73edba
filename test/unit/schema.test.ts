import { readFileSync } from 'node:fs';
import path from 'node:path';
import { printAppSchema } from '../../src/graphql/schema';

describe('the committed GraphQL schema', () => {
  it('matches the schema the code builds (run `npm run schema:print` after changing the API)', async () => {
    const committed = readFileSync(path.join(__dirname, '../../schema.graphql'), 'utf8');
    expect(await printAppSchema()).toBe(committed);
  });

  it('describes every public type and field', async () => {
    const { buildAppSchema } = await import('../../src/graphql/schema');
    const schema = await buildAppSchema();
    const missing: string[] = [];
    for (const type of Object.values(schema.getTypeMap())) {
      if (type.name.startsWith('__') || ['String', 'Int', 'Float', 'Boolean', 'ID'].includes(type.name)) continue;
      const root = ['Query', 'Mutation', 'Subscription'].includes(type.name);
      if (!type.description && !root) missing.push(type.name);
      if ('getFields' in type && !('ofType' in type)) {
        const t = type as unknown as { getFields(): Record<string, { description?: string | null }> };
        for (const [name, f] of Object.entries(t.getFields())) if (!f.description) missing.push(`${type.name}.${name}`);
      }
    }
    expect(missing).toEqual([]);
  });
});
