/**
 * Notifications (§5.8.2 / §5.3.1): listens to the twin's change feed, finds the subscriptions a
 * change concerns (entities and type, watchedAttributes), and POSTs their endpoints a Notification
 * with the entities' current state where `q` and `geoQ` hold — off the request path, one delivery at
 * a time per subscription, several entities in one notification when they arrive together.
 *
 * Throttling keeps at most one notification per window; what changes inside it waits in the
 * subscription's pending set and goes out, in its latest state, when the window ends. Delivery
 * counts are kept in memory and written in batches (at most two writes a second). The throttle
 * window and the pending set live in this process: with several server processes each process
 * throttles the changes it consumes from the feed.
 */
import { randomUUID } from "node:crypto";
import type { SQL } from "drizzle-orm";
import type { FastifyBaseLogger } from "fastify";
import type { Db } from "../../../../kernel/db/db";
import type { Clock } from "../../../../kernel/http/context";
import { type ActiveContext, CORE_CONTEXT_URL, resolveContext } from "../context";
import { renderEntity } from "../entity";
import type { TwinChange } from "../feed";
import type { GeoQuery } from "../geo";
import { queryEntities } from "../store";
import { forbiddenEndpoint } from "./endpoint-guard";
import {
  type EntitySelector,
  geoQueryOf,
  maskEndpoint,
  qSqlOf,
  type SubscriptionDefinition,
} from "./subscription";
import {
  addDeliveryCounts,
  type DeliveryDelta,
  listActiveSubscriptions,
  matchIdPatterns,
  type StoredSubscription,
} from "./subscriptions.queries";

/** A subscription ready for matching: its filters compiled once. */
interface Live {
  id: string;
  definition: SubscriptionDefinition;
  context: ActiveContext;
  expiresAtMs: number | null;
  throttlingMs: number;
  selectors: EntitySelector[] | null;
  watched: Set<string> | null;
  q: SQL | null;
  geo: GeoQuery | null;
}

interface Runtime {
  /** Ids of the entities whose change waits to be notified. */
  pending: Set<string>;
  /** performance.now() of the last notification sent, for throttling. */
  lastSentAt: number | null;
  timer: NodeJS.Timeout | null;
  running: Promise<void> | null;
  failing: boolean;
  lastWarnAt: number;
}

export interface NotifierOptions {
  /** How long an endpoint may take to answer. */
  timeoutMs?: number;
  /** How long the list of active subscriptions is trusted (changes made by other processes). */
  cacheMs?: number;
  /** The shortest gap between two writes of delivery counts. */
  countsEveryMs?: number;
}

/** Entities carried by one notification at most; the rest follow in the next one. */
const MAX_ENTITIES_PER_NOTIFICATION = 1000;
const WARN_EVERY_MS = 60_000;

export class SubscriptionNotifier {
  readonly #db: Db;
  readonly #clock: Clock;
  readonly #log: FastifyBaseLogger;
  readonly #timeoutMs: number;
  readonly #cacheMs: number;
  readonly #countsEveryMs: number;
  #live: Map<string, Live> | null = null;
  #liveGeneration = -1;
  #liveFetchedAt = 0;
  #generation = 0;
  #loading: Promise<Map<string, Live>> | null = null;
  readonly #runtime = new Map<string, Runtime>();
  readonly #deltas = new Map<string, DeliveryDelta>();
  #countsTimer: NodeJS.Timeout | null = null;
  #countsWriting: Promise<void> | null = null;
  #countsWrittenAt = 0;
  readonly #shutdown = new AbortController();
  #closed = false;

  constructor(db: Db, clock: Clock, log: FastifyBaseLogger, options: NotifierOptions = {}) {
    this.#db = db;
    this.#clock = clock;
    this.#log = log;
    this.#timeoutMs = options.timeoutMs ?? 5_000;
    this.#cacheMs = options.cacheMs ?? 5_000;
    this.#countsEveryMs = options.countsEveryMs ?? 500;
  }

  /** The feed listener: records which subscriptions each change concerns and schedules their delivery. */
  readonly onChanges = async (changes: TwinChange[]): Promise<void> => {
    if (this.#closed) return;
    const live = await this.#subscriptions();
    if (live.size === 0) return;
    const now = this.#clock.now().getTime();
    const matches: [Live, TwinChange][] = [];
    /** Matches that hold if an idPattern matches the entity id (the database decides). */
    const maybe: [Live, TwinChange, string[]][] = [];
    for (const change of changes) {
      // A deleted entity has no state left to notify (entityDeleted triggers are not offered).
      if (change.kind === "deleted") continue;
      for (const sub of live.values()) {
        if (!isLive(sub, now) || !watches(sub, change)) continue;
        if (!sub.selectors) {
          matches.push([sub, change]);
          continue;
        }
        const selected = sub.selectors.filter(
          (s) => change.types.includes(s.type) && (s.id === undefined || s.id === change.id),
        );
        if (selected.some((s) => s.idPattern === undefined)) matches.push([sub, change]);
        else if (selected.length > 0) maybe.push([sub, change, selected.map((s) => s.idPattern!)]);
      }
    }
    if (maybe.length > 0) {
      const matched = await matchIdPatterns(
        this.#db,
        maybe.flatMap(([, change, patterns]) => patterns.map((p): [string, string] => [change.id, p])),
      );
      for (const [sub, change, patterns] of maybe)
        if (patterns.some((p) => matched.has(`${change.id}\n${p}`))) matches.push([sub, change]);
    }
    const touched = new Set<string>();
    for (const [sub, change] of matches) {
      this.#runtimeOf(sub.id).pending.add(change.id);
      touched.add(sub.id);
    }
    for (const id of touched) this.#schedule(id);
  };

  /** Subscriptions were created, changed or deleted here: read them again before the next match. */
  invalidate(): void {
    this.#generation++;
  }

  async close(): Promise<void> {
    this.#closed = true;
    this.#shutdown.abort();
    for (const rt of this.#runtime.values()) {
      if (rt.timer) clearTimeout(rt.timer);
      rt.timer = null;
    }
    await Promise.all([...this.#runtime.values()].map((rt) => rt.running));
    if (this.#countsTimer) clearTimeout(this.#countsTimer);
    this.#countsTimer = null;
    await this.#countsWriting;
    await this.#writeCounts();
  }

  async #subscriptions(): Promise<Map<string, Live>> {
    const generation = this.#generation;
    if (
      this.#live &&
      this.#liveGeneration === generation &&
      performance.now() - this.#liveFetchedAt < this.#cacheMs
    )
      return this.#live;
    if (!this.#loading) {
      this.#loading = listActiveSubscriptions(this.#db)
        .then((rows) => {
          const live = new Map<string, Live>();
          for (const row of rows) {
            const compiled = this.#compile(row);
            if (compiled) live.set(row.id, compiled);
          }
          this.#live = live;
          this.#liveGeneration = generation;
          this.#liveFetchedAt = performance.now();
          return live;
        })
        .finally(() => {
          this.#loading = null;
        });
    }
    const live = await this.#loading;
    // Invalidated while loading: the list read may predate the change.
    return this.#generation === generation ? live : this.#subscriptions();
  }

  #compile(row: StoredSubscription): Live | null {
    try {
      const context = resolveContext(row.context ?? undefined);
      const d = row.definition;
      return {
        id: row.id,
        definition: d,
        context,
        expiresAtMs: row.expiresAt ? Date.parse(row.expiresAt) : null,
        throttlingMs: (row.throttling ?? 0) * 1000,
        selectors: d.entities ?? null,
        watched: d.watchedAttributes ? new Set(d.watchedAttributes) : null,
        q: d.q ? qSqlOf(context, d.q) : null,
        geo: d.geoQ ? geoQueryOf(d.geoQ) : null,
      };
    } catch (e) {
      this.#log.warn({ err: e, subscriptionId: row.id }, "NGSI-LD subscription cannot be evaluated; skipped");
      return null;
    }
  }

  #runtimeOf(id: string): Runtime {
    let rt = this.#runtime.get(id);
    if (!rt) {
      rt = {
        pending: new Set(),
        lastSentAt: null,
        timer: null,
        running: null,
        failing: false,
        lastWarnAt: 0,
      };
      this.#runtime.set(id, rt);
    }
    return rt;
  }

  #schedule(id: string): void {
    const rt = this.#runtime.get(id);
    if (!rt || rt.timer || rt.running || this.#closed || rt.pending.size === 0) return;
    const throttlingMs = this.#live?.get(id)?.throttlingMs ?? 0;
    const wait = rt.lastSentAt === null ? 0 : Math.max(0, rt.lastSentAt + throttlingMs - performance.now());
    rt.timer = setTimeout(() => {
      rt.timer = null;
      rt.running = this.#deliver(id, rt)
        .catch((e) => this.#log.error({ err: e, subscriptionId: id }, "NGSI-LD notification failed"))
        .finally(() => {
          rt.running = null;
          this.#schedule(id);
        });
    }, wait);
  }

  /** Sends what is pending for one subscription, in the entities' current state. */
  async #deliver(id: string, rt: Runtime): Promise<void> {
    if (this.#closed) return;
    const sub = (await this.#subscriptions()).get(id);
    if (!sub || !isLive(sub, this.#clock.now().getTime())) {
      // Deleted, paused or expired since the change: nothing more goes out for it.
      this.#runtime.delete(id);
      return;
    }
    const ids = [...rt.pending].slice(0, MAX_ENTITIES_PER_NOTIFICATION);
    for (const entityId of ids) rt.pending.delete(entityId);
    const { entities } = await queryEntities(this.#db, {
      ids,
      idPattern: null,
      types: null,
      withAnyAttr: null,
      q: sub.q,
      geo: sub.geo,
      limit: ids.length,
      offset: 0,
      count: false,
    });
    if (entities.length === 0 || this.#closed) return;
    const n = sub.definition.notification;
    const options = {
      format: n.format,
      sysAttrs: n.sysAttrs,
      attrs: n.attributes ? new Set(n.attributes) : null,
    };
    const notifiedAt = this.#clock.now().toISOString();
    const notification: Record<string, unknown> = {
      id: `urn:ngsi-ld:Notification:${randomUUID()}`,
      type: "Notification",
      subscriptionId: id,
      notifiedAt,
      data: entities.map((e) => renderEntity(sub.context, e, options)),
    };
    const headers: Record<string, string> = { "content-type": n.endpoint.accept };
    if (n.endpoint.accept === "application/ld+json")
      notification["@context"] = sub.context.source ?? CORE_CONTEXT_URL;
    else headers.link = sub.context.link;
    rt.lastSentAt = performance.now();
    const failure = await this.#post(n.endpoint.uri, headers, notification);
    if (failure === "shutdown") return;
    this.#count(id, notifiedAt, failure);
    if (failure) {
      const now = performance.now();
      if (!rt.failing || now - rt.lastWarnAt >= WARN_EVERY_MS) {
        rt.lastWarnAt = now;
        this.#log.warn(
          {
            subscriptionId: id,
            endpoint: maskEndpoint(n.endpoint.uri),
            error: failure,
            entities: entities.length,
          },
          "NGSI-LD notification not delivered",
        );
      }
      rt.failing = true;
    } else if (rt.failing) {
      rt.failing = false;
      this.#log.info(
        { subscriptionId: id, endpoint: maskEndpoint(n.endpoint.uri) },
        "NGSI-LD endpoint answers again",
      );
    }
  }

  /** POSTs a notification; null when the endpoint took it, else why not. */
  async #post(
    uri: string,
    headers: Record<string, string>,
    body: unknown,
  ): Promise<string | null | "shutdown"> {
    try {
      // Checked at every delivery: a name may come to resolve elsewhere than when it was subscribed.
      const forbidden = await forbiddenEndpoint(new URL(uri));
      if (forbidden) return forbidden;
      const res = await fetch(uri, {
        method: "POST",
        headers,
        body: JSON.stringify(body),
        redirect: "manual",
        signal: AbortSignal.any([AbortSignal.timeout(this.#timeoutMs), this.#shutdown.signal]),
      });
      await res.body?.cancel().catch(() => undefined);
      return res.status >= 200 && res.status < 300 ? null : `the endpoint answered HTTP ${res.status}`;
    } catch (e) {
      if (this.#shutdown.signal.aborted) return "shutdown";
      const error = e as Error & { cause?: { code?: string; message?: string } };
      if (error.name === "TimeoutError") return `no answer within ${this.#timeoutMs / 1000} s`;
      return `the endpoint cannot be reached (${error.cause?.code ?? error.cause?.message ?? error.message})`;
    }
  }

  #count(id: string, at: string, failure: string | null): void {
    let d = this.#deltas.get(id);
    if (!d) {
      d = {
        sent: 0,
        failed: 0,
        lastNotification: null,
        lastSuccess: null,
        lastFailure: null,
        lastError: null,
      };
      this.#deltas.set(id, d);
    }
    d.lastNotification = at;
    if (failure) {
      d.failed++;
      d.lastFailure = at;
      d.lastError = failure.slice(0, 1000);
    } else {
      d.sent++;
      d.lastSuccess = at;
    }
    this.#scheduleCounts();
  }

  #scheduleCounts(): void {
    if (this.#countsTimer || this.#countsWriting || this.#closed) return;
    const wait = Math.max(0, this.#countsWrittenAt + this.#countsEveryMs - performance.now());
    this.#countsTimer = setTimeout(() => {
      this.#countsTimer = null;
      this.#countsWriting = this.#writeCounts().finally(() => {
        this.#countsWriting = null;
        if (this.#deltas.size > 0) this.#scheduleCounts();
      });
    }, wait);
  }

  async #writeCounts(): Promise<void> {
    if (this.#deltas.size === 0) return;
    const batch = new Map(this.#deltas);
    this.#deltas.clear();
    this.#countsWrittenAt = performance.now();
    try {
      await addDeliveryCounts(this.#db, batch);
    } catch (e) {
      this.#log.warn({ err: e }, "NGSI-LD delivery counts not saved; retrying");
      for (const [id, d] of batch) {
        const later = this.#deltas.get(id);
        this.#deltas.set(id, later ? mergeDeltas(d, later) : d);
      }
    }
  }
}

function isLive(sub: Live, nowMs: number): boolean {
  return sub.expiresAtMs === null || sub.expiresAtMs > nowMs;
}

/** Whether the change touches what the subscription watches (a new entity always does). */
function watches(sub: Live, change: TwinChange): boolean {
  if (change.kind === "created" || !sub.watched) return true;
  return change.attributes.some((a) => sub.watched!.has(a));
}

function mergeDeltas(a: DeliveryDelta, b: DeliveryDelta): DeliveryDelta {
  const latest = (x: string | null, y: string | null) => (x && y ? (x > y ? x : y) : (x ?? y));
  return {
    sent: a.sent + b.sent,
    failed: a.failed + b.failed,
    lastNotification: latest(a.lastNotification, b.lastNotification),
    lastSuccess: latest(a.lastSuccess, b.lastSuccess),
    lastFailure: latest(a.lastFailure, b.lastFailure),
    lastError: b.lastError ?? a.lastError,
  };
}
