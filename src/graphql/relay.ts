// Relay-style connections: `first`/`after`, at most 250 per page, opaque cursors.
import { ArgsType, ClassType, Field, Int, ObjectType } from 'type-graphql';
import { IsOptional, Max, Min } from 'class-validator';

export const MAX_PAGE = 250;
export const DEFAULT_PAGE = 50;

@ObjectType({ description: 'Where a page sits in the whole list.' })
export class PageInfo {
  @Field({ description: 'True when more items follow this page.' })
  hasNextPage!: boolean;

  @Field({ description: 'True when items precede this page (an `after` cursor was given).' })
  hasPreviousPage!: boolean;

  @Field(() => String, { nullable: true, description: 'Cursor of the first item of the page.' })
  startCursor!: string | null;

  @Field(() => String, { nullable: true, description: 'Cursor of the last item; pass it as `after` for the next page.' })
  endCursor!: string | null;
}

@ArgsType()
export class PageArgs {
  @Field(() => Int, { defaultValue: DEFAULT_PAGE, description: `Items per page, 1–${MAX_PAGE}.` })
  @Min(1) @Max(MAX_PAGE)
  first: number = DEFAULT_PAGE;

  @Field(() => String, { nullable: true, description: 'Return items after this cursor.' })
  @IsOptional()
  after?: string;
}

export interface Edge<T> { cursor: string; node: T }
export interface Connection<T> { edges: Edge<T>[]; nodes: T[]; pageInfo: PageInfo }

/** Builds the `<Name>Connection` and `<Name>Edge` object types for a node type. */
export function ConnectionType<T extends object>(name: string, node: ClassType<T>, what: string) {
  @ObjectType(`${name}Edge`, { description: `One ${what} in a page, with its cursor.` })
  class EdgeType {
    @Field({ description: 'Opaque cursor of this item.' })
    cursor!: string;

    @Field(() => node, { description: `The ${what}.` })
    node!: T;
  }

  @ObjectType(`${name}Connection`, { description: `A page of ${what}s.` })
  class ConnectionClass {
    @Field(() => [EdgeType], { description: 'Items with their cursors.' })
    edges!: EdgeType[];

    @Field(() => [node], { description: 'The items alone.' })
    nodes!: T[];

    @Field(() => PageInfo, { description: 'Paging information.' })
    pageInfo!: PageInfo;
  }
  return ConnectionClass;
}

export function encodeCursor(key: unknown[]): string {
  return Buffer.from(JSON.stringify(key)).toString('base64url');
}

/** Decodes a cursor made by encodeCursor; null when malformed. */
/** What each value of a cursor must be: a forged cursor is refused before it reaches SQL. */
export type CursorKind = 'int' | 'number' | 'string' | 'date';

const CURSOR_CHECKS: Record<CursorKind, (v: unknown) => boolean> = {
  int: (v) => Number.isInteger(v) && Math.abs(v as number) <= 2_147_483_647,
  number: (v) => typeof v === 'number' && Number.isFinite(v),
  string: (v) => typeof v === 'string' && v.length <= 1000,
  date: (v) => typeof v === 'string' && v.length <= 40 && !Number.isNaN(Date.parse(v)),
};

/**
 * The values of a cursor, or null when there is none or it is malformed — not base64url JSON, or
 * (with `kinds`) not exactly one value of each kind, in order. Callers answer a given but null
 * cursor with BadInputError('Malformed cursor').
 */
export function decodeCursor(cursor: string | undefined, kinds?: readonly CursorKind[]): unknown[] | null {
  if (!cursor) return null;
  try {
    const v = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    if (!Array.isArray(v)) return null;
    if (kinds && (v.length !== kinds.length || !kinds.every((k, i) => CURSOR_CHECKS[k](v[i])))) return null;
    return v;
  } catch { return null; }
}

/**
 * Turns `take = first + 1` rows into a page. `keyOf` gives the sort key written into each cursor.
 */
export function toConnection<R, T>(rows: R[], first: number, hadCursor: boolean, keyOf: (r: R) => unknown[], map: (r: R) => T): Connection<T> {
  const page = rows.slice(0, first);
  const edges = page.map((r) => ({ cursor: encodeCursor(keyOf(r)), node: map(r) }));
  return {
    edges,
    nodes: edges.map((e) => e.node),
    pageInfo: {
      hasNextPage: rows.length > first,
      hasPreviousPage: hadCursor,
      startCursor: edges[0]?.cursor ?? null,
      endCursor: edges[edges.length - 1]?.cursor ?? null,
    },
  };
}
