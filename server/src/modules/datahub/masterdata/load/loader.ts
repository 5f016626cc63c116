import { createHash } from "node:crypto";
import type { FastifyBaseLogger } from "fastify";
import { appendAudit } from "../../../../kernel/audit/audit";
import { type Db, rawQuery } from "../../../../kernel/db/db";
import { newId } from "../../../../kernel/db/ids";
import { publishEvent } from "../../../../kernel/events/events";
import type { Clock, Ctx } from "../../../../kernel/http/context";
import { scheduleJob } from "../../../../kernel/jobs/jobs";
import { computeQuality } from "../quality.service";
import type { Thresholds } from "../resolve";
import type { Source } from "../sources.service";
import { standardiseRecord } from "../standardise/standardise";
import { applyBatch, type BatchCounts, emptyCounts, type StagedRecord } from "./batch";
import { type DatasetFormat, readDataset } from "./reader";

/** Recounts a source's quality scores after delta loads. */
export const QUALITY_JOB = "datahub.master.quality";
/** Records resolved per transaction: large enough to amortise the round trips, small enough to stay quick. */
export const BATCH_SIZE = 1000;
/** Problem rows kept in a load's report (all of them are counted). */
const MAX_PROBLEMS = 1000;

export interface LoadDeps {
  db: Db;
  clock: Clock;
  log: FastifyBaseLogger;
  thresholds: Thresholds;
}

export interface LoadOptions {
  format: DatasetFormat;
  /** full: records of the source absent from the dataset are deleted; delta: only what it holds changes. */
  mode: "full" | "delta";
  /** The dataset's size in bytes, when known (progress). */
  bytesTotal?: number | null;
}

export interface LoadReport extends BatchCounts {
  id: string;
  source: string;
  status: "running" | "completed" | "failed";
  mode: "full" | "delta";
  format: DatasetFormat;
  encoding: string | null;
  bytesRead: number;
  bytesTotal: number | null;
  rowsRead: number;
  rowsRejected: number;
  invalidValues: number;
  problems: { line: number; reason: string; column?: string }[];
  error: string | null;
  startedAt: string;
  finishedAt: string | null;
}

/** Content hash of a record's mapped values, independent of key order. */
function hashOf(raw: Record<string, unknown>): string {
  const keys = Object.keys(raw).sort();
  return createHash("sha1")
    .update(JSON.stringify(keys.map((k) => [k, raw[k]])))
    .digest("base64url");
}

/** A cell as loaded: text trimmed and without control characters, empty as absent; numbers as they are. */
function cell(value: unknown): unknown {
  if (typeof value === "string") {
    // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what it removes
    const t = value.replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/g, "").trim();
    return t === "" ? null : t;
  }
  return value === undefined ? null : value;
}

async function* counted(input: AsyncIterable<Buffer>, onBytes: (n: number) => void): AsyncGenerator<Buffer> {
  for await (const chunk of input) {
    const buffer = Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk);
    onBytes(buffer.length);
    yield buffer;
  }
}

/** field → responsible department, from the responsibility list. */
export async function authorityOf(db: Db, base: string): Promise<Map<string, string>> {
  const rows = await rawQuery<{ field: string; departmentId: string }>(
    db,
    `select field, department_id as "departmentId" from datahub.responsibilities where base = $1`,
    [base],
  );
  return new Map(rows.map((r) => [r.field, r.departmentId]));
}

/**
 * importDataset: loads a source's dataset as it streams in. Rows are mapped, standardised and resolved
 * in batches of BATCH_SIZE, each in its own transaction (a batch is applied whole or not at all) that
 * also advances the load's progress; rows that cannot be read are reported with their line and reason
 * and the rest load. A full load then deletes the source's records the dataset no longer holds, and the
 * source's quality scores are computed afresh. Loading the same dataset again changes nothing.
 */
export async function runLoad(
  deps: LoadDeps,
  ctx: Ctx,
  source: Source,
  input: AsyncIterable<Buffer>,
  options: LoadOptions,
): Promise<LoadReport> {
  const { db, clock } = deps;
  const id = newId(clock.now().getTime());
  const startedAt = clock.now();
  const report: LoadReport = {
    id,
    source: source.code,
    status: "running",
    mode: options.mode,
    format: options.format,
    encoding: null,
    bytesRead: 0,
    bytesTotal: options.bytesTotal ?? null,
    rowsRead: 0,
    rowsRejected: 0,
    invalidValues: 0,
    problems: [],
    error: null,
    startedAt: startedAt.toISOString(),
    finishedAt: null,
    ...emptyCounts(),
  };
  await rawQuery(
    db,
    `insert into datahub.master_loads (id, source_code, status, mode, format, bytes_total, problems, started_by, started_at)
     values ($1, $2, 'running', $3, $4, $5, '[]', $6, $7)`,
    [id, source.code, options.mode, options.format, report.bytesTotal, ctx.actor?.id ?? null, startedAt],
  );
  const authority = await authorityOf(db, source.base);
  const batchSource = { code: source.code, base: source.base, departmentId: source.departmentId };
  /** A note in the report; `reject` also counts the row as not loaded. */
  const note = (line: number, reason: string, column?: string) => {
    if (report.problems.length < MAX_PROBLEMS)
      report.problems.push({ line, reason, ...(column ? { column } : {}) });
  };
  const reject = (line: number, reason: string, column?: string) => {
    report.rowsRejected++;
    note(line, reason, column);
  };
  const add = (counts: BatchCounts) => {
    for (const k of Object.keys(counts) as (keyof BatchCounts)[]) report[k] += counts[k];
  };
  const runBatch = async (staged: StagedRecord[], deletions: string[]) => {
    const now = clock.now();
    const before = structuredClone(report);
    try {
      await db.transaction(async (tx) => {
        const outcome = await applyBatch(
          { tx, source: batchSource, loadId: id, now, authority, thresholds: deps.thresholds },
          staged,
          deletions,
        );
        add(outcome.counts);
        for (const p of outcome.problems) reject(p.line, p.reason);
        report.encoding = reader.encoding();
        await saveProgress(tx, report);
      });
    } catch (e) {
      // The batch rolled back: so do its counts.
      Object.assign(report, before);
      throw e;
    }
  };

  const reader = readDataset(
    counted(input, (n) => {
      report.bytesRead += n;
    }),
    options.format,
  );
  const mapping = Object.entries(source.mapping);
  let headerChecked = false;
  /** A CSV header must hold the key column and some mapped column; a missing one is noted. */
  const checkHeader = () => {
    const header = reader.columns();
    if (headerChecked || !header) return;
    headerChecked = true;
    const columns = new Set(header);
    if (!columns.has(source.keyColumn))
      throw new LoadRefused(`the header has no key column ${source.keyColumn}`);
    const missing = mapping.filter(([c]) => !columns.has(c)).map(([c]) => c);
    if (missing.length === mapping.length) throw new LoadRefused("no column of the mapping is in the header");
    for (const column of missing)
      note(1, `the header has no column ${column}: its field stays empty`, column);
  };
  let inFlight: Promise<void> = Promise.resolve();
  try {
    let staged: StagedRecord[] = [];
    for await (const item of reader.rows) {
      checkHeader();
      report.rowsRead++;
      if ("problem" in item) {
        reject(item.line, item.problem, item.column);
        continue;
      }
      const key = cell(item.row[source.keyColumn]);
      if (key === null || typeof key === "object") {
        reject(item.line, `the key column ${source.keyColumn} is empty`, source.keyColumn);
        continue;
      }
      const raw: Record<string, unknown> = {};
      for (const [column, field] of mapping) {
        const value = cell(item.row[column]);
        if (value !== null && typeof value === "object") {
          note(item.line, `${column} holds a structure, not a value: left empty`, column);
          continue;
        }
        if (value !== null) raw[field] = value;
      }
      if (
        Object.keys(raw).length === 0 &&
        options.format !== "csv" &&
        !mapping.some(([c]) => c in item.row)
      ) {
        reject(item.line, "holds none of the mapped columns");
        continue;
      }
      const { values, invalid } = standardiseRecord(source.base, raw);
      report.invalidValues += Object.keys(invalid).length;
      staged.push({ line: item.line, recordId: String(key), raw, values, invalid, hash: hashOf(raw) });
      if (staged.length >= BATCH_SIZE) {
        // The next batch is read and standardised while this one is written (on PostgreSQL the two
        // overlap); batches still apply one after the other, in the file's order.
        await inFlight;
        inFlight = runBatch(staged, []);
        inFlight.catch(() => undefined);
        staged = [];
        // Let other requests in between batches: on the embedded database a load's statements would
        // otherwise follow each other without a gap, and a file already received never waits for I/O.
        await new Promise((resolve) => setImmediate(resolve));
      }
    }
    checkHeader();
    if (options.format === "csv" && !headerChecked) throw new LoadRefused("the file is empty");
    await inFlight;
    if (staged.length > 0) await runBatch(staged, []);
    if (options.mode === "full") {
      // Deleted: the source's records this dataset did not hold.
      for (;;) {
        const gone = await rawQuery<{ recordId: string }>(
          db,
          `select record_id as "recordId" from datahub.master_records
            where source_code = $1 and load_id <> $2 and deleted_at is null limit ${BATCH_SIZE}`,
          [source.code, id],
        );
        if (gone.length === 0) break;
        await runBatch(
          [],
          gone.map((g) => g.recordId),
        );
        await new Promise((resolve) => setImmediate(resolve));
      }
    }
    report.status = "completed";
  } catch (e) {
    await inFlight.catch(() => undefined);
    report.status = "failed";
    report.error = e instanceof LoadRefused ? e.message : "the load stopped: see the server log";
    if (!(e instanceof LoadRefused)) deps.log.error({ err: e, load: id }, "master-data load failed");
  }
  report.finishedAt = clock.now().toISOString();
  report.encoding = reader.encoding();
  await db.transaction(async (tx) => {
    await saveProgress(tx, report);
    if (report.status === "completed") {
      await rawQuery(tx, "update datahub.master_sources set last_load_at = $1 where code = $2", [
        report.finishedAt,
        source.code,
      ]);
      // A full load recounts the source's quality at once; small delta loads, arriving often, leave it
      // to a job a minute later (one per source however many loads come in between).
      if (report.mode === "full") await computeQuality(tx, source.code, clock.now());
      else
        await scheduleJob(tx, clock, {
          kind: QUALITY_JOB,
          payload: { source: source.code },
          runAt: new Date(clock.now().getTime() + 60_000),
          dedupeKey: `${QUALITY_JOB}:${source.code}`,
        });
    }
    await appendAudit(tx, ctx, {
      action: "datahub.master.loaded",
      resourceType: "master-source",
      resourceId: source.code,
      outcome: report.status === "completed" ? "success" : "failure",
      details: {
        load: id,
        mode: report.mode,
        rows: report.rowsRead,
        rejected: report.rowsRejected,
        inserted: report.inserted,
        changed: report.changed,
        deleted: report.deleted,
      },
    });
    await publishEvent(tx, "datahub.master.loaded", {
      loadId: id,
      source: source.code,
      base: source.base,
      status: report.status,
    });
  });
  return report;
}

/** Refuses a dataset as a whole (no key column, nothing readable): the load fails with this reason. */
export class LoadRefused extends Error {}

async function saveProgress(tx: Db, r: LoadReport): Promise<void> {
  await rawQuery(
    tx,
    `update datahub.master_loads set status = $2, encoding = $3, bytes_read = $4, rows_read = $5, rows_rejected = $6,
       inserted = $7, changed = $8, unchanged = $9, deleted = $10, linked_exact = $11, linked_fuzzy = $12,
       new_entities = $13, to_review = $14, invalid_values = $15, problems = $16, error = $17, finished_at = $18
     where id = $1`,
    [
      r.id,
      r.status,
      r.encoding,
      r.bytesRead,
      r.rowsRead,
      r.rowsRejected,
      r.inserted,
      r.changed,
      r.unchanged,
      r.deleted,
      r.linkedExact,
      r.linkedFuzzy,
      r.newEntities,
      r.toReview,
      r.invalidValues,
      JSON.stringify(r.problems),
      r.error,
      r.finishedAt,
    ],
  );
}
