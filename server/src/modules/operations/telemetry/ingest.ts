/**
 * Telemetry ingestion: device messages become readings, gathered into batches (group commit) and
 * stored by one statement each; a message is acknowledged only once its batch is committed, so an
 * acknowledged reading survives a crash. After each batch the changed entities go to the twin feed.
 *
 * Topic and payload convention (docs/telemetry.md): topic `fourfold/twin/{entityId}/attrs`, payload
 * a JSON object of attribute → value or {value, observedAt?, unitCode?}, with an optional top-level
 * `observedAt` (default: the time of receipt). Attribute names are NGSI-LD terms of the core context
 * (the default vocabulary) or full IRIs.
 */
import type { FastifyBaseLogger } from "fastify";
import type { Db } from "../../../kernel/db/db";
import { CORE_CONTEXT, expandTerm } from "../twin/context";
import { isDateTime, isReadingValue, isUnitCode, isUri } from "../twin/entity";
import type { TwinChange, TwinFeed } from "../twin/feed";
import { type Reading, storeReadings } from "./store";

export const TOPIC_PREFIX = "fourfold/twin/";
const TOPIC = /^fourfold\/twin\/([^/]{1,512})\/attrs$/;
const NAME = /^[^\s<>"'=;()]{1,256}$/;
/** Readings stamped further ahead than this are refused as clock skew. */
export const MAX_FUTURE_MS = 5 * 60_000;
const MAX_BATCH = 5000;
const MAX_ATTRS = 100;

export interface TelemetryStats {
  messages: number;
  readings: number;
  stored: number;
  duplicates: number;
  unknownEntity: number;
  malformed: number;
  /** Publishes of a registered client for entities it does not report for. */
  refused: number;
  clockSkew: number;
  failedBatches: number;
  batches: number;
  lastBatchMs: number;
  lastProblem: string | null;
}

export class MessageError extends Error {}

/** The entity a topic is about, or null when it is not a twin topic. */
export function entityOfTopic(topic: string): string | null {
  return TOPIC.exec(topic)?.[1] ?? null;
}

/** One message → its readings, or a MessageError saying what is wrong with it. */
export function parseMessage(topic: string, payload: Buffer | string, receivedAt: Date): Reading[] {
  const entityId = entityOfTopic(topic);
  if (!entityId) throw new MessageError(`topic ${topic} is not ${TOPIC_PREFIX}{entityId}/attrs`);
  if (!isUri(entityId)) throw new MessageError(`${entityId} is not an entity URI`);
  let body: unknown;
  try {
    body = JSON.parse(typeof payload === "string" ? payload : payload.toString("utf8"));
  } catch {
    throw new MessageError("the payload is not JSON");
  }
  if (!body || typeof body !== "object" || Array.isArray(body))
    throw new MessageError("the payload is not a JSON object");
  const input = body as Record<string, unknown>;
  const defaultTime =
    input.observedAt === undefined ? receivedAt.toISOString() : checkTime(input.observedAt, receivedAt);
  const readings: Reading[] = [];
  for (const [name, raw] of Object.entries(input)) {
    if (name === "observedAt") continue;
    if (!NAME.test(name)) throw new MessageError(`"${name}" is not an attribute name`);
    if (readings.length >= MAX_ATTRS) throw new MessageError(`more than ${MAX_ATTRS} attributes`);
    let value: unknown = raw;
    let observedAt = defaultTime;
    let unitCode: string | undefined;
    if (raw && typeof raw === "object" && !Array.isArray(raw)) {
      const member = raw as { value?: unknown; observedAt?: unknown; unitCode?: unknown };
      value = member.value;
      if (member.observedAt !== undefined) observedAt = checkTime(member.observedAt, receivedAt);
      if (member.unitCode !== undefined) {
        if (!isUnitCode(member.unitCode)) throw new MessageError(`${name}.unitCode is not a unit code`);
        unitCode = member.unitCode;
      }
    }
    if (!isReadingValue(value))
      throw new MessageError(
        typeof value === "string"
          ? `${name} is not a storable string`
          : `${name} must be a finite number, a string or a boolean`,
      );
    readings.push({
      entityId,
      attr: expandTerm(CORE_CONTEXT, name),
      observedAt,
      value,
      ...(unitCode ? { unitCode } : {}),
    });
  }
  if (readings.length === 0) throw new MessageError("the payload holds no attribute");
  return readings;
}

class SkewError extends MessageError {}

function checkTime(value: unknown, receivedAt: Date): string {
  if (!isDateTime(value)) throw new MessageError("observedAt is not an ISO 8601 date-time with a time zone");
  const at = new Date(value);
  if (at.getTime() - receivedAt.getTime() > MAX_FUTURE_MS)
    throw new SkewError(`observedAt ${value} is ahead of the platform's clock`);
  return at.toISOString();
}

interface Pending {
  readings: Reading[];
  done: (error: Error | null) => void;
}

/**
 * Gathers readings while a batch is being stored and stores them together next (group commit).
 * `submit` resolves when the message's readings are committed.
 */
export class TelemetryIngest {
  readonly stats: TelemetryStats = {
    messages: 0,
    readings: 0,
    stored: 0,
    duplicates: 0,
    unknownEntity: 0,
    malformed: 0,
    refused: 0,
    clockSkew: 0,
    failedBatches: 0,
    batches: 0,
    lastBatchMs: 0,
    lastProblem: null,
  };
  private queue: Pending[] = [];
  private queued = 0;
  private flushing: Promise<void> | null = null;
  private closed = false;

  constructor(
    private readonly db: Db,
    private readonly feed: TwinFeed,
    private readonly log: FastifyBaseLogger,
    private readonly clock: { now(): Date },
  ) {}

  /** Parses and stores one message; resolves once stored (rejects with MessageError when malformed). */
  submit(topic: string, payload: Buffer | string): Promise<void> {
    this.stats.messages++;
    let readings: Reading[];
    try {
      readings = parseMessage(topic, payload, this.clock.now());
    } catch (e) {
      if (e instanceof SkewError) this.stats.clockSkew++;
      else this.stats.malformed++;
      this.stats.lastProblem = (e as Error).message.slice(0, 300);
      return Promise.reject(e);
    }
    return this.submitReadings(readings);
  }

  submitReadings(readings: Reading[]): Promise<void> {
    if (this.closed) return Promise.reject(new Error("telemetry ingestion is stopped"));
    this.stats.readings += readings.length;
    return new Promise((resolve, reject) => {
      this.queue.push({ readings, done: (e) => (e ? reject(e) : resolve()) });
      this.queued += readings.length;
      this.schedule();
    });
  }

  private schedule(): void {
    if (this.flushing) return;
    // One turn of the event loop lets the messages already read from sockets join the batch.
    this.flushing = new Promise<void>((resolve) => setImmediate(resolve)).then(() => this.flush());
  }

  private async flush(): Promise<void> {
    while (this.queue.length > 0) {
      const batch: Pending[] = [];
      let size = 0;
      while (this.queue.length > 0 && size < MAX_BATCH) {
        const next = this.queue.shift()!;
        batch.push(next);
        size += next.readings.length;
      }
      this.queued -= size;
      const started = performance.now();
      try {
        const result = await storeReadings(
          this.db,
          batch.flatMap((p) => p.readings),
          this.clock.now(),
        );
        this.stats.batches++;
        this.stats.stored += result.stored;
        this.stats.duplicates += result.duplicates;
        this.stats.unknownEntity += result.unknown;
        if (result.unknown > 0)
          this.stats.lastProblem = `${result.unknown} readings of entities the twin does not hold`;
        this.stats.lastBatchMs = Math.round(performance.now() - started);
        for (const p of batch) p.done(null);
        const at = this.clock.now().toISOString();
        const changes: TwinChange[] = [...result.changed].map(([id, attributes]) => ({
          kind: "updated",
          id,
          types: result.types.get(id) ?? [],
          attributes,
          at,
        }));
        void this.feed.publish(changes);
      } catch (e) {
        this.stats.failedBatches++;
        this.stats.lastProblem = `a batch of ${size} readings failed: ${(e as Error).message.slice(0, 200)}`;
        this.log.error({ err: e, readings: size }, "telemetry batch failed");
        for (const p of batch) p.done(e as Error);
      }
    }
    this.flushing = null;
  }

  /** Readings waiting for the next batch. */
  get backlog(): number {
    return this.queued;
  }

  async close(): Promise<void> {
    this.closed = true;
    await this.flushing;
  }
}
