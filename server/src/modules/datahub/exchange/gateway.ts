import type { FastifyBaseLogger, FastifyRequest } from "fastify";
import { shanghaiDate } from "../../../kernel/calendar/calendar";
import { WriteBatcher } from "../../../kernel/db/batcher";
import type { Db } from "../../../kernel/db/db";
import { rawQuery } from "../../../kernel/db/db";
import type { Clock } from "../../../kernel/http/context";
import { AppError } from "../../../kernel/http/errors";
import { findResourceRowsByCode, type ResourceRow } from "../catalog/catalog.queries";
import { DatahubErrors } from "../errors";
import type { DataKeys } from "../records/protection";
import { needsSealed, readRecords, type StoredRecord } from "../records/records.service";
import { activeGrantRows } from "../sharing/sharing.queries";
import { maskValue } from "./masking";
import type { TokenClaims, TokenService } from "./tokens";

/** One gateway call as the audit trail, the usage counters and the citizens' view record it. */
interface CallRecord {
  at: string;
  clientId: string;
  departmentId: string | null;
  resourceId: string | null;
  resourceCode: string;
  purpose: string | null;
  fields: string[];
  keyHashes: string[];
  count: number;
  outcome: "success" | "denied" | "failure";
  reason: string | null;
  ip: string | null;
  requestId: string;
  /** citizens whose personal data was returned */
  subjects: string[];
  personal: boolean;
}

export interface CallInput {
  claims: TokenClaims;
  resourceCode: string;
  purpose: string | undefined;
  keys: string[];
  fields: string[] | undefined;
  ip: string | null;
  requestId: string;
}

export interface CallResult {
  resource: string;
  purpose: string;
  fields: string[];
  count: number;
  records: Record<string, unknown>[];
}

const CACHE_MS = 2000;
const USAGE_SHARDS = 8;

interface Read {
  resource: ResourceRow;
  keys: string[];
  fields: readonly string[];
}

/**
 * The exchange gateway's hot path: authenticate the client's token, find the grant for resource and
 * purpose, check the fields and the rate, read, mask, and audit — every call, refused ones too, is in
 * the platform audit trail before the answer goes out. Grants and resources are cached for two seconds;
 * a revocation in this process clears the cache at once, one in another process through its event.
 */
export class Gateway {
  private readonly resources = new Map<string, { row: ResourceRow | null; at: number }>();
  private readonly grants = new Map<
    string,
    { rows: Awaited<ReturnType<typeof activeGrantRows>>; at: number }
  >();
  private readonly clients = new Map<string, { disabled: boolean; departmentId: string; at: number }>();
  private readonly windows = new Map<string, { minute: number; count: number }>();
  private readonly log: WriteBatcher<CallRecord, void>;
  /** Concurrent calls' record reads, one query per resource for all of them (as their writes are). */
  private readonly reads: WriteBatcher<Read, StoredRecord[]>;
  private readonly callers = new WeakMap<object, TokenClaims>();

  constructor(
    private readonly deps: {
      db: Db;
      clock: Clock;
      log: FastifyBaseLogger;
      keys: DataKeys;
      tokens: TokenService;
      poolSize: number;
    },
  ) {
    this.log = new WriteBatcher((calls) => this.writeCalls(calls), {
      maxBatch: 300,
      concurrency: Math.max(1, Math.min(4, deps.poolSize - 2)),
    });
    this.reads = new WriteBatcher((reads) => this.readBatch(reads), {
      maxBatch: 200,
      concurrency: Math.max(1, Math.min(4, deps.poolSize - 2)),
    });
  }

  /**
   * The records of many calls: one query per resource and need of sealed items, each call then
   * given the records of its own keys (a record's fields are cut to the call's later, when masked).
   */
  private async readBatch(reads: Read[]): Promise<StoredRecord[][]> {
    const groups = new Map<string, Read[]>();
    for (const read of reads) {
      const key = `${read.resource.id}:${needsSealed(read.resource, read.fields)}`;
      const group = groups.get(key);
      if (group) group.push(read);
      else groups.set(key, [read]);
    }
    const found = new Map<Read, StoredRecord[]>();
    for (const group of groups.values()) {
      const { resource } = group[0]!;
      const fields = [...new Set(group.flatMap((r) => r.fields))];
      const keys = [...new Set(group.flatMap((r) => r.keys))];
      const byKey = new Map(
        (await readRecords(this.deps.db, this.deps.keys, resource, keys, fields)).map((r) => [
          r.recordKey,
          r,
        ]),
      );
      for (const read of group)
        found.set(
          read,
          read.keys.flatMap((k) => (byKey.has(k) ? [byKey.get(k)!] : [])),
        );
    }
    return reads.map((read) => found.get(read)!);
  }

  private shard = 0;
  /** The usage row shard of the next batch: concurrent batches add to different rows. */
  private nextShard(): number {
    this.shard = (this.shard + 1) % USAGE_SHARDS;
    return this.shard;
  }

  /** Forgets cached grants and resources (after a revocation, an expiry or a catalog change). */
  forget(): void {
    this.grants.clear();
    this.resources.clear();
    this.clients.clear();
  }

  async authenticate(token: string | null): Promise<TokenClaims | null> {
    if (!token) return null;
    const claims = await this.deps.tokens.verify(token, this.deps.clock.now());
    if (!claims) return null;
    const now = performance.now();
    let client = this.clients.get(claims.sub);
    if (!client || now - client.at > CACHE_MS) {
      const [row] = await rawQuery<{ disabled: boolean; departmentId: string }>(
        this.deps.db,
        `select disabled, department_id as "departmentId" from datahub.clients where client_id = $1`,
        [claims.sub],
      );
      client = row ? { ...row, at: now } : { disabled: true, departmentId: "", at: now };
      this.clients.set(claims.sub, client);
    }
    return client.disabled ? null : { ...claims, dept: client.departmentId };
  }

  private async resource(code: string): Promise<ResourceRow | null> {
    const now = performance.now();
    const hit = this.resources.get(code);
    if (hit && now - hit.at < CACHE_MS) return hit.row;
    const [row] = await findResourceRowsByCode(this.deps.db, [code]);
    if (this.resources.size > 10_000) this.resources.clear();
    this.resources.set(code, { row: row ?? null, at: now });
    return row ?? null;
  }

  private async activeGrants(resourceId: string, consumerId: string) {
    const key = `${resourceId}:${consumerId}`;
    const now = performance.now();
    const hit = this.grants.get(key);
    if (hit && now - hit.at < CACHE_MS) return hit.rows;
    const rows = await activeGrantRows(this.deps.db, resourceId, consumerId, this.deps.clock.now());
    if (this.grants.size > 10_000) this.grants.clear();
    this.grants.set(key, { rows, at: now });
    return rows;
  }

  /** Counts a call against the grant's per-minute limit; false when the limit is reached. */
  private admit(grantId: string, limit: number, at: Date): boolean {
    const minute = Math.floor(at.getTime() / 60_000);
    const window = this.windows.get(grantId);
    if (!window || window.minute !== minute) {
      if (this.windows.size > 10_000) this.windows.clear();
      this.windows.set(grantId, { minute, count: 1 });
      return true;
    }
    if (window.count >= limit) return false;
    window.count++;
    return true;
  }

  /**
   * The access check of every gateway route, before its input is validated: a missing, forged or
   * expired token, or a disabled client, is refused 401 and audited; otherwise the caller is kept for the route.
   */
  async authenticateRequest(req: FastifyRequest): Promise<void> {
    const header = req.headers.authorization;
    const token = header?.startsWith("Bearer ") ? header.slice(7).trim() : null;
    const claims = await this.authenticate(token);
    if (!claims) {
      await this.log.submit({
        ...this.blankRecord(this.deps.clock.now(), req.ip, req.id),
        resourceCode: req.url.split("?")[0]!.replace(/^\/exchange\/v1\//, ""),
        reason: "INVALID_TOKEN",
      });
      throw new AppError(DatahubErrors.INVALID_TOKEN);
    }
    this.callers.set(req, claims);
  }

  /** The calling system of a request that passed authenticateRequest. */
  callerOf(req: FastifyRequest): TokenClaims {
    const claims = this.callers.get(req);
    if (!claims) throw new AppError(DatahubErrors.INVALID_TOKEN);
    return claims;
  }

  private blankRecord(at: Date, ip: string | null, requestId: string): CallRecord {
    return {
      at: at.toISOString(),
      clientId: "",
      departmentId: null,
      resourceId: null,
      resourceCode: "",
      purpose: null,
      fields: [],
      keyHashes: [],
      count: 0,
      outcome: "denied",
      reason: null,
      ip,
      requestId,
      subjects: [],
      personal: false,
    };
  }

  async call(input: CallInput): Promise<CallResult> {
    const at = this.deps.clock.now();
    const record: CallRecord = {
      ...this.blankRecord(at, input.ip, input.requestId),
      resourceCode: input.resourceCode,
      purpose: input.purpose ?? null,
      fields: input.fields ?? [],
    };
    const refuse = async (code: keyof typeof DatahubErrors, message?: string): Promise<never> => {
      record.reason = code;
      await this.log.submit(record);
      throw new AppError(code, message ? { message } : {});
    };
    const { claims } = input;
    record.clientId = claims.sub;
    record.departmentId = claims.dept;
    const resource = await this.resource(input.resourceCode);
    if (!resource || resource.status !== "published") return refuse("RESOURCE_NOT_FOUND");
    record.resourceId = resource.id;
    if (resource.sharingType === "none") return refuse("RESOURCE_NOT_SHAREABLE");
    if (!input.purpose) return refuse("PURPOSE_REQUIRED");
    const grant = (await this.activeGrants(resource.id, claims.dept)).find(
      (g) => g.purposeCode === input.purpose && new Date(g.validFrom) <= at && new Date(g.expiresAt) > at,
    );
    if (!grant)
      return refuse(
        "NO_GRANT",
        `No active grant lets your department read ${resource.code} for "${input.purpose}"`,
      );
    const fields = input.fields ?? grant.fields;
    const outside = fields.filter((f) => !grant.fields.includes(f));
    if (outside.length > 0) return refuse("FIELD_NOT_GRANTED", `Not granted: ${outside.join(", ")}`);
    record.fields = fields;
    if (!this.admit(grant.id, grant.rateLimitPerMinute, at))
      return refuse("GRANT_RATE_LIMITED", `At most ${grant.rateLimitPerMinute} calls a minute`);
    const items = new Map(resource.items.map((i) => [i.name, i]));
    const stored = await this.reads.submit({ resource, keys: input.keys, fields });
    const records = stored.map((r) => {
      const out: Record<string, unknown> = {};
      for (const field of fields) {
        const item = items.get(field)!;
        const value = r.values[field] ?? null;
        // 核心数据 never leaves in clear, whatever the grant says.
        const clear = item.grade !== "core" && grant.clearFields.includes(field);
        out[field] = clear
          ? value
          : maskValue(item.grade === "core" && item.mask === "none" ? "all" : item.mask, value);
      }
      return out;
    });
    record.outcome = "success";
    record.keyHashes = stored.map((r) => r.keyHash);
    record.count = records.length;
    record.personal = fields.some((f) => items.get(f)!.personal);
    record.subjects = record.personal
      ? stored.flatMap((r) => (r.subjectCitizenId ? [r.subjectCitizenId] : []))
      : [];
    await this.log.submit(record);
    return { resource: resource.code, purpose: grant.purposeCode, fields, count: records.length, records };
  }

  /**
   * One statement for a batch of calls: their audit records, the citizens' data-use entries and the
   * per-day usage counters. Atomic on its own; the callers answer only after it committed.
   */
  private async writeCalls(calls: CallRecord[]): Promise<void[]> {
    // One array per column, unnested: the statement's text stays the same whatever the batch size.
    const column = <T>(pick: (c: CallRecord) => T) => calls.map(pick);
    await rawQuery(
      this.deps.db,
      `with input as (
         select * from unnest($1::timestamptz[], $2::text[], $3::text[], $4::text[], $5::text[], $6::jsonb[],
                              $7::uuid[], $8::uuid[], $9::date[], $10::int[], $11::text[], $12::text[], $13::text[])
           as t(at, actor_name, outcome, ip, request_id, details, resource_id, department_id, day, count, purpose,
                fields, subjects)),
       audited as (
         insert into audit.records (at, actor_name, action, resource_type, resource_id, outcome, ip, request_id, details)
         select at, actor_name, 'datahub.exchange.called', 'data-resource', resource_id::text, outcome, ip, request_id, details
         from input),
       uses as (
         insert into datahub.data_uses (citizen_id, at, channel, department_id, resource_id, fields, purpose, request_id)
         select s.citizen_id::uuid, i.at, 'gateway', i.department_id, i.resource_id, string_to_array(i.fields, ','),
                i.purpose, i.request_id
         from input i cross join lateral unnest(string_to_array(i.subjects, ',')) as s(citizen_id)
         where i.subjects <> ''),
       counted as (
         insert into datahub.usage_daily (day, resource_id, consumer_department_id, shard, calls, records, refused)
         select day, resource_id, department_id, $14::int, count(*) filter (where outcome = 'success'),
                coalesce(sum(count), 0), count(*) filter (where outcome <> 'success')
         from input where resource_id is not null and department_id is not null
         group by day, resource_id, department_id
         order by day, resource_id, department_id
         on conflict (day, resource_id, consumer_department_id, shard) do update
           set calls = datahub.usage_daily.calls + excluded.calls,
               records = datahub.usage_daily.records + excluded.records,
               refused = datahub.usage_daily.refused + excluded.refused)
       select 1`,
      [
        column((c) => c.at),
        column((c) => (c.clientId ? `client:${c.clientId}` : null)),
        column((c) => c.outcome),
        column((c) => c.ip),
        column((c) => c.requestId),
        column((c) =>
          JSON.stringify({
            client: c.clientId || null,
            department: c.departmentId,
            resource: c.resourceCode,
            purpose: c.purpose,
            fields: c.fields,
            keys: c.keyHashes,
            count: c.count,
            ...(c.reason ? { reason: c.reason } : {}),
          }),
        ),
        column((c) => c.resourceId),
        column((c) => c.departmentId || null),
        column((c) => shanghaiDate(new Date(c.at))),
        column((c) => c.count),
        column((c) => c.purpose ?? ""),
        column((c) => c.fields.join(",")),
        column((c) => c.subjects.join(",")),
        this.nextShard(),
      ],
      { prepare: true },
    );
    return calls.map(() => undefined);
  }
}
