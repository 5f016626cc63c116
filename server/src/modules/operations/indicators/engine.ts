/**
 * The incremental evaluator. An in-memory index maps (entity type or id, attribute) to the
 * indicators whose formulas read it; a batch of twin changes re-evaluates only those. Each indicator
 * is evaluated at most once per its refresh interval: a change inside the interval marks it dirty
 * and the timer evaluates it when the interval is up, with whatever arrived meanwhile. Indicators
 * over telemetry windows are also re-evaluated on the timer, as their windows slide.
 *
 * Several server processes may each run an engine: each reloads the catalog when another changed it
 * (polled), and the row lock in evaluateInTx keeps level-change events to one per change.
 */
import { sql } from "drizzle-orm";
import type { FastifyBaseLogger } from "fastify";
import type { Db } from "../../../kernel/db/db";
import { queryRows } from "../../../kernel/db/db";
import type { Clock } from "../../../kernel/http/context";
import type { TwinChange } from "../twin/feed";
import { CHUNK, evaluateInTx } from "./evaluate";
import { ANY, dependenciesOf, type Formula, usesWindow } from "./formula";

export interface IndicatorDefinition {
  code: string;
  formula: Formula;
  refreshSeconds: number;
}

interface Entry extends IndicatorDefinition {
  keys: Set<string>;
  owners: Set<string>;
  window: boolean;
}

const TICK_MS = 1_000;
const CATALOG_POLL_MS = 10_000;
const PRUNE_EVERY_MS = 3_600_000;
/** Days of value history kept for charts. */
export const HISTORY_DAYS = 30;

function addTo(index: Map<string, Set<string>>, key: string, code: string): void {
  const set = index.get(key);
  if (set) set.add(code);
  else index.set(key, new Set([code]));
}

export class IndicatorEngine {
  readonly #entries = new Map<string, Entry>();
  readonly #byKey = new Map<string, Set<string>>();
  readonly #byOwner = new Map<string, Set<string>>();
  /** Clock time (ms) of each indicator's last evaluation in this process. */
  readonly #lastEvaluated = new Map<string, number>();
  readonly #dirty = new Set<string>();
  /** Queued and not yet started: a change meanwhile needs no second evaluation. */
  readonly #pending = new Set<string>();
  #version = "";
  #upsertedDuringLoad: Map<string, IndicatorDefinition> | null = null;
  #queue: Promise<unknown> = Promise.resolve();
  #timer: NodeJS.Timeout | null = null;
  #lastPoll = 0;
  #lastPrune = 0;
  #ticking: Promise<void> | null = null;
  #closed = false;
  /** Twin changes received from the feed (for monitoring, and tests that wait for delivery). */
  received = 0;

  constructor(private readonly deps: { db: Db; clock: Clock; log: FastifyBaseLogger }) {}

  get size(): number {
    return this.#entries.size;
  }

  /** Reads the whole catalog and rebuilds the index (evaluation times of known indicators are kept). */
  async load(): Promise<void> {
    // Definitions upserted while the catalog is read are applied again after the rebuild.
    const upserted = new Map<string, IndicatorDefinition>();
    this.#upsertedDuringLoad = upserted;
    try {
      // The version first: a change committed meanwhile makes the next poll load again.
      const version = await this.#catalogVersion();
      const rows = await queryRows<{ code: string; formula: Formula | string; refresh_seconds: number }>(
        this.deps.db,
        sql`select code, formula, refresh_seconds from operations.indicators order by code`,
      );
      this.#version = version;
      this.#entries.clear();
      this.#byKey.clear();
      this.#byOwner.clear();
      for (const row of rows) {
        const formula = typeof row.formula === "string" ? (JSON.parse(row.formula) as Formula) : row.formula;
        this.#index({ code: row.code, formula, refreshSeconds: row.refresh_seconds });
      }
      for (const definition of upserted.values()) this.upsert(definition);
      for (const code of this.#lastEvaluated.keys())
        if (!this.#entries.has(code)) this.#lastEvaluated.delete(code);
    } finally {
      if (this.#upsertedDuringLoad === upserted) this.#upsertedDuringLoad = null;
    }
  }

  /** Adds or replaces one definition (after this process created or changed it). */
  upsert(definition: IndicatorDefinition): void {
    this.#upsertedDuringLoad?.set(definition.code, definition);
    const previous = this.#entries.get(definition.code);
    if (previous) {
      for (const key of previous.keys) this.#byKey.get(key)?.delete(previous.code);
      for (const owner of previous.owners) this.#byOwner.get(owner)?.delete(previous.code);
    }
    this.#index(definition);
  }

  #index(definition: IndicatorDefinition): void {
    const { keys, owners } = dependenciesOf(definition.formula);
    const entry: Entry = { ...definition, keys, owners, window: usesWindow(definition.formula) };
    this.#entries.set(entry.code, entry);
    for (const key of keys) addTo(this.#byKey, key, entry.code);
    for (const owner of owners) addTo(this.#byOwner, owner, entry.code);
  }

  /** Notes that these indicators were just evaluated (by a request or the demo seed). */
  markEvaluated(codes: Iterable<string>): void {
    const now = this.deps.clock.now().getTime();
    for (const code of codes) {
      this.#lastEvaluated.set(code, now);
      this.#dirty.delete(code);
    }
  }

  /** Whether a change is waiting for the indicator's refresh interval to end. */
  isDirty(code: string): boolean {
    return this.#dirty.has(code);
  }

  /** The indicators a batch of twin changes may affect. */
  affectedBy(changes: TwinChange[]): Set<string> {
    const affected = new Set<string>();
    const add = (codes: Set<string> | undefined) => {
      if (codes) for (const c of codes) affected.add(c);
    };
    for (const change of changes) {
      const owners = [change.id, ...change.types, ANY];
      if (change.kind !== "updated") for (const owner of owners) add(this.#byOwner.get(owner));
      for (const attr of change.attributes)
        for (const owner of owners) add(this.#byKey.get(`${owner}\u0000${attr}`));
    }
    return affected;
  }

  /**
   * Feed listener: queues the affected indicators whose refresh interval is up and leaves the
   * others dirty for the timer. It does not wait for the evaluation (see idle()), so the feed's
   * other listeners and the outbox relay go on at once.
   */
  onChanges(changes: TwinChange[]): void {
    if (this.#closed) return;
    this.received += changes.length;
    const now = this.deps.clock.now().getTime();
    const due: string[] = [];
    for (const code of this.affectedBy(changes)) {
      if (this.#isDue(code, now)) due.push(code);
      else this.#dirty.add(code);
    }
    this.evaluate(due).catch((e) => this.deps.log.error({ err: e }, "indicator evaluation failed"));
  }

  /** Resolves when the evaluations queued so far are done. */
  async idle(): Promise<void> {
    await this.#queue;
  }

  #isDue(code: string, now: number): boolean {
    const entry = this.#entries.get(code);
    const last = this.#lastEvaluated.get(code);
    return !!entry && (last === undefined || now - last >= entry.refreshSeconds * 1000);
  }

  /**
   * Evaluates what is due now: dirty indicators whose interval is up, window indicators whose
   * interval is up, and indicators this process has never evaluated. Returns how many it evaluated.
   */
  async runDue(): Promise<number> {
    const now = this.deps.clock.now().getTime();
    const due: string[] = [];
    for (const entry of this.#entries.values()) {
      const never = !this.#lastEvaluated.has(entry.code);
      if ((never || entry.window || this.#dirty.has(entry.code)) && this.#isDue(entry.code, now))
        due.push(entry.code);
    }
    return this.evaluate(due);
  }

  /** Evaluates the given indicators now, in chunks, one at a time per process. */
  evaluate(codes: string[]): Promise<number> {
    const fresh = codes.filter((c) => !this.#pending.has(c));
    if (fresh.length === 0 || this.#closed) return Promise.resolve(0);
    for (const code of fresh) this.#pending.add(code);
    const run = this.#queue.then(async () => {
      let done = 0;
      for (let i = 0; i < fresh.length; i += CHUNK) {
        if (this.#closed) break;
        const chunk = fresh.slice(i, i + CHUNK);
        for (const code of chunk) this.#pending.delete(code);
        const entries = chunk.map((c) => this.#entries.get(c)).filter((e): e is Entry => !!e);
        this.markEvaluated(entries.map((e) => e.code));
        await this.#evaluateChunk(entries);
        done += entries.length;
      }
      return done;
    });
    this.#queue = run.catch(() => undefined);
    return run;
  }

  /** A chunk in one transaction; if it fails, each indicator alone, so one bad formula spoils only itself. */
  async #evaluateChunk(entries: Entry[]): Promise<void> {
    try {
      await this.deps.db.transaction((tx) => evaluateInTx(tx, this.deps.clock, entries));
    } catch (e) {
      if (entries.length === 1) {
        // Tried again when its refresh interval is up.
        this.#dirty.add(entries[0]!.code);
        this.deps.log.warn({ err: e, indicator: entries[0]!.code }, "indicator evaluation failed");
        return;
      }
      for (const entry of entries) await this.#evaluateChunk([entry]);
    }
  }

  async #catalogVersion(): Promise<string> {
    const [row] = await queryRows<{ version: string }>(
      this.deps.db,
      sql`select count(*)::text || '/' || coalesce(max(updated_at)::text, '') as version from operations.indicators`,
    );
    return row?.version ?? "";
  }

  /** One timer step: pick up catalog changes of other processes, evaluate what is due, prune history. */
  async tick(): Promise<void> {
    const wall = Date.now();
    if (wall - this.#lastPoll >= CATALOG_POLL_MS) {
      this.#lastPoll = wall;
      if ((await this.#catalogVersion()) !== this.#version) await this.load();
    }
    await this.runDue();
    if (wall - this.#lastPrune >= PRUNE_EVERY_MS) {
      this.#lastPrune = wall;
      const before = new Date(this.deps.clock.now().getTime() - HISTORY_DAYS * 86_400_000).toISOString();
      await this.deps.db.execute(
        sql`delete from operations.indicator_history where at < ${before}::timestamptz`,
      );
    }
  }

  start(): void {
    if (this.#timer || this.#closed) return;
    this.#lastPoll = Date.now();
    this.#timer = setInterval(() => {
      if (this.#ticking) return;
      this.#ticking = this.tick()
        .catch((e) => this.deps.log.error({ err: e }, "indicator evaluation failed"))
        .finally(() => {
          this.#ticking = null;
        });
    }, TICK_MS);
    this.#timer.unref();
  }

  /** Stops the timer and waits for the evaluation in progress. */
  async stop(): Promise<void> {
    this.#closed = true;
    if (this.#timer) clearInterval(this.#timer);
    this.#timer = null;
    await this.#ticking;
    await this.#queue;
  }
}
