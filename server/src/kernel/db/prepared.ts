/**
 * Named prepared statements on PGlite for the hot statements of batched writes (telemetry, audited
 * batches): the engine parses and analyses the text once, and plans it once it has seen a few runs,
 * instead of on every call — for a large CTE statement about 4 ms of the one thread that also
 * serves requests. (PostgreSQL is left to plan each call: see rawQuery.)
 *
 * PGlite has no named-statement option on `query`, so the extended-protocol messages are sent as
 * its own `query` sends them (parse once; then bind, describe, execute, sync), under the same locks:
 * the query lock inside a transaction, the transaction lock and the query lock outside one, then a
 * sync to the file system as after any autocommit statement.
 */
import { createHash } from "node:crypto";
import { type PGlite, parse, protocol, type QueryOptions } from "@electric-sql/pglite";

interface Embedded {
  pglite: PGlite;
  /** Statement name → parameter type OIDs, for the statements parsed on this database. */
  statements: Map<string, number[]>;
}

/** The embedded database a drizzle handle runs on, keyed by its session options (shared by its transactions). */
const embedded = new WeakMap<object, Embedded>();
const names = new Map<string, string>();

/** Remembers that a drizzle handle (and its transactions) run on this PGlite. */
export function registerEmbedded(sessionOptions: object, pglite: PGlite): void {
  embedded.set(sessionOptions, { pglite, statements: new Map() });
}

export function embeddedOf(sessionOptions: object | undefined): Embedded | undefined {
  return sessionOptions ? embedded.get(sessionOptions) : undefined;
}

/** A statement's name: derived from its text, so one text is one statement. */
export function statementName(text: string): string {
  let name = names.get(text);
  if (!name) {
    name = `ff_${createHash("sha256").update(text).digest("hex").slice(0, 24)}`;
    if (names.size >= 1000) names.clear();
    names.set(text, name);
  }
  return name;
}

/** SQLSTATE of "cached plan must not change result type": the statement is parsed again. */
export const PLAN_CHANGED = "0A000";

type Pglite = PGlite & {
  _runExclusiveQuery<T>(fn: () => Promise<T>): Promise<T>;
  _runExclusiveTransaction<T>(fn: () => Promise<T>): Promise<T>;
  syncToFs(): Promise<void>;
};

function concat(parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let offset = 0;
  for (const part of parts) {
    out.set(part, offset);
    offset += part.length;
  }
  return out;
}

/** Runs a named statement on PGlite; `inTransaction` when the caller holds a transaction open. */
export async function runEmbedded<T>(
  db: Embedded,
  inTransaction: boolean,
  text: string,
  params: unknown[],
  options: QueryOptions,
): Promise<T[]> {
  const pg = db.pglite as Pglite;
  const name = statementName(text);
  const send = async (message: Uint8Array) => (await pg.execProtocol(message, { syncToFs: false })).messages;
  const run = async (): Promise<T[]> => {
    let types = db.statements.get(name);
    if (!types) {
      try {
        // Closing a statement that does not exist is no error: this one may be left from a failed parse.
        await send(protocol.serialize.close({ type: "S", name }));
        await send(protocol.serialize.parse({ name, text, types: [] }));
        types = parse.parseDescribeStatementResults(
          await send(protocol.serialize.describe({ type: "S", name })),
        );
      } finally {
        await send(protocol.serialize.sync());
      }
      db.statements.set(name, types);
    }
    const values = params.map((value, i) => {
      if (value === null || value === undefined) return null;
      const serializer = options.serializers?.[types[i]!] ?? pg.serializers[types[i]!];
      return serializer ? serializer(value) : String(value);
    });
    // One call into the engine for the run; after an error it skips to the Sync, so the session is
    // ready for the next statement either way.
    const messages = await send(
      concat([
        protocol.serialize.bind({ statement: name, values }),
        protocol.serialize.describe({ type: "P" }),
        protocol.serialize.execute({}),
        protocol.serialize.sync(),
      ]),
    );
    if (!inTransaction) await pg.syncToFs();
    return parse.parseResults(messages, pg.parsers, options)[0]!.rows as T[];
  };
  const locked = () =>
    inTransaction
      ? pg._runExclusiveQuery(run)
      : pg._runExclusiveTransaction(() => pg._runExclusiveQuery(run));
  try {
    return await locked();
  } catch (e) {
    if ((e as { code?: string }).code !== PLAN_CHANGED || inTransaction) throw e;
    // The tables changed under the statement: parse it again (outside a transaction, which the
    // error has not aborted).
    db.statements.delete(name);
    return locked();
  }
}
