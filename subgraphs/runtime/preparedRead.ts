/**
 * A by-key read whose SQL is built and compiled once per shape, not once per request.
 *
 * Kysely builds an operation tree and compiles it to SQL on every `execute()`: for the
 * subgraphs' batched reads (`WHERE key IN (?, ?, …)`) that is most of Kysely's cost per fetch
 * (issue 18's profile), although the SQL depends only on how many keys there are. Here the
 * first read of each shape compiles the query from the real arguments, and later reads of the
 * same shape run that SQL with their own parameters.
 *
 * The contract: `shapeOf` names every argument value that is not one of the `parameters`
 * it lists (for a key read: the number of keys; for a read filtered by a kind: the kind and
 * the number of keys). A shape's SQL is cached only if the compiled parameters are exactly
 * (===, in order) the parameters `shapeOf` listed, so a value said to be bound but in fact
 * written into the SQL text is caught on the first read, and that shape is compiled on every
 * read, as before. `preparedKeyRead` (keys only) cannot break the contract: a key written
 * into the SQL would be missing from the compiled parameters. The cache is per database
 * handle (SQLite and PostgreSQL compile differently).
 */
import type { Compilable, CompiledQuery, Kysely } from 'kysely';
import { createQueryId } from 'kysely';

/** How one call's arguments bind: the shape of its SQL and its parameters in order. */
export interface ReadShape {
  readonly shape: string;
  readonly parameters: readonly unknown[];
}

/** Shapes kept per statement and database; beyond it every new shape is compiled per read. */
const MAX_SHAPES = 256;

/** Marks a shape whose compiled parameters did not match what `shapeOf` said: never cached. */
const UNCACHEABLE = Symbol('uncacheable');

export type PreparedRead<DB, A, R> = (db: Kysely<DB>, args: A) => Promise<R[]>;

export function preparedRead<DB, A, R>(
  build: (db: Kysely<DB>, args: A) => Compilable<R>,
  shapeOf: (args: A) => ReadShape,
): PreparedRead<DB, A, R> {
  const byDatabase = new WeakMap<Kysely<DB>, Map<string, CompiledQuery<R> | typeof UNCACHEABLE>>();
  return async (db, args) => {
    const { shape, parameters } = shapeOf(args);
    let shapes = byDatabase.get(db);
    if (!shapes) {
      shapes = new Map();
      byDatabase.set(db, shapes);
    }
    const cached = shapes.get(shape);
    if (cached && cached !== UNCACHEABLE) {
      const query: CompiledQuery<R> = { query: cached.query, sql: cached.sql, parameters, queryId: createQueryId() };
      return (await db.executeQuery(query)).rows;
    }
    const compiled = build(db, args).compile();
    if (!cached && shapes.size < MAX_SHAPES) {
      const same = compiled.parameters.length === parameters.length && compiled.parameters.every((p, i) => p === parameters[i]);
      shapes.set(shape, same ? compiled : UNCACHEABLE);
    }
    return (await db.executeQuery(compiled)).rows;
  };
}

/** The common case: a read whose only parameters are the keys, in order (`WHERE key IN (…)`). */
export function preparedKeyRead<DB, R>(build: (db: Kysely<DB>, keys: readonly string[]) => Compilable<R>): PreparedRead<DB, readonly string[], R> {
  return preparedRead(build, (keys) => ({ shape: String(keys.length), parameters: keys }));
}
