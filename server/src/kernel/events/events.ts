import { sql } from "drizzle-orm";
import type { FastifyBaseLogger } from "fastify";
import type { Db } from "../db/db";
import { queryRows } from "../db/db";
import { newId } from "../db/ids";
import type { LoadGauge } from "../load";
import type { NatsTransport } from "./nats";
import { outbox } from "./schema";

/** A domain event as subscribers receive it. Topics are dotted and past tense: "identity.staff.created". */
export interface DomainEvent<T = unknown> {
  id: string;
  topic: string;
  version: number;
  payload: T;
  occurredAt: string;
}

export type EventHandler = (event: DomainEvent) => Promise<void>;

/** Writes an event in the caller's transaction; it is delivered only if that transaction commits. */
export async function publishEvent(tx: Db, topic: string, payload: unknown, version = 1): Promise<string> {
  const eventId = newId();
  await tx.insert(outbox).values({ eventId, topic, version, payload });
  return eventId;
}

/** NATS-style subject matching: `*` matches one token, `>` the rest. */
export function topicMatches(pattern: string, topic: string): boolean {
  const p = pattern.split(".");
  const t = topic.split(".");
  for (let i = 0; i < p.length; i++) {
    if (p[i] === ">") return t.length > i;
    if (i >= t.length) return false;
    if (p[i] !== "*" && p[i] !== t[i]) return false;
  }
  return p.length === t.length;
}

interface Subscription {
  name: string;
  pattern: string;
  handler: EventHandler;
}

interface OutboxRow {
  id: string;
  event_id: string;
  topic: string;
  version: number;
  payload: unknown;
  created_at: string;
  attempts: number;
}

const LEASE_SECONDS = 30;
const RELAY_BATCH = 250;
const RELAY_STEP_UNDER_LOAD = 50;

/**
 * Relays the outbox. In-process mode calls the subscribers directly (at least once: handlers must be
 * idempotent); with NATS the relay publishes to JetStream (deduplicated by event id) and each named
 * subscription is a durable consumer shared by all server processes, so each event is handled once
 * per subscription across the cluster.
 */
export class EventBus {
  private readonly subscriptions: Subscription[] = [];
  private timer: NodeJS.Timeout | NodeJS.Immediate | null = null;
  private running: Promise<void> | null = null;
  private stopped = false;

  constructor(
    private readonly db: Db,
    private readonly log: FastifyBaseLogger,
    private readonly nats: NatsTransport | null,
    private readonly pollMs: number,
    private readonly gauge: LoadGauge | null = null,
  ) {}

  subscribe(name: string, pattern: string, handler: EventHandler): void {
    if (this.subscriptions.some((s) => s.name === name))
      throw new Error(`Subscription ${name} exists already`);
    this.subscriptions.push({ name, pattern, handler });
  }

  async start(): Promise<void> {
    if (this.nats) {
      for (const s of this.subscriptions) await this.nats.consume(s.name, s.pattern, s.handler);
    }
    this.stopped = false;
    const tick = () => {
      if (this.stopped) return;
      let full = false;
      // Under load, smaller steps: on PGlite each statement holds the thread the requests run on.
      const limit = this.gauge?.active() ? RELAY_STEP_UNDER_LOAD : RELAY_BATCH;
      this.running = this.relayPending(limit)
        .then((n) => {
          full = n >= limit;
        })
        .catch((e) => this.log.error({ err: e }, "outbox relay failed"))
        .finally(() => {
          // A full batch means more is waiting: go on at once, in small steps that never hold up requests long.
          // ...unless requests keep the process busy: then delivery lags a little instead of requests.
          const now = full && !this.gauge?.active();
          if (!this.stopped) this.timer = now ? setImmediate(tick) : setTimeout(tick, this.pollMs);
        });
    };
    tick();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) {
      clearTimeout(this.timer as NodeJS.Timeout);
      clearImmediate(this.timer as NodeJS.Immediate);
    }
    await this.running;
  }

  /** Delivers what is due now; returns the number of events delivered. Tests call it directly. */
  async relayPending(limit = RELAY_BATCH): Promise<number> {
    const rows = await this.db.transaction((tx) =>
      queryRows<OutboxRow>(
        tx,
        sql`update platform.outbox set next_attempt_at = now() + make_interval(secs => ${LEASE_SECONDS}),
              attempts = attempts + 1
            where id in (select id from platform.outbox where published_at is null and next_attempt_at <= now()
                         order by id limit ${limit} for update skip locked)
            returning id::text as id, event_id, topic, version, payload,
              to_char(created_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') as created_at, attempts`,
      ),
    );
    rows.sort((a, b) => Number(a.id) - Number(b.id));
    const delivered: string[] = [];
    for (const row of rows) {
      const event: DomainEvent = {
        id: row.event_id,
        topic: row.topic,
        version: row.version,
        payload: typeof row.payload === "string" ? JSON.parse(row.payload) : row.payload,
        occurredAt: row.created_at,
      };
      try {
        if (this.nats) await this.nats.publish(event);
        else {
          for (const s of this.subscriptions)
            if (topicMatches(s.pattern, event.topic)) await s.handler(event);
        }
        delivered.push(row.id);
      } catch (e) {
        const backoff = Math.min(3600, 2 ** Math.min(row.attempts, 12));
        this.log.warn({ err: e, eventId: event.id, topic: event.topic }, "event delivery failed; will retry");
        await this.db.execute(
          sql`update platform.outbox set last_error = ${String((e as Error).message).slice(0, 1000)},
                next_attempt_at = now() + make_interval(secs => ${backoff}) where id = ${row.id}`,
        );
      }
    }
    if (delivered.length > 0) {
      await this.db.execute(sql`update platform.outbox set published_at = now(), last_error = null
        where id in (${sql.join(
          delivered.map((id) => sql`${id}::bigint`),
          sql`, `,
        )})`);
    }
    return delivered.length;
  }
}
