import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { generateDistrict } from "../server/src/demo/district";
import { createPlatform } from "../server/src/kernel/bootstrap";
import { loadConfig } from "../server/src/kernel/config/config";
import { openDatabase, rawQuery } from "../server/src/kernel/db/db";
import { newId } from "../server/src/kernel/db/ids";
import { systemCtx } from "../server/src/kernel/http/context";
import { createLogger } from "../server/src/kernel/log";
import { DEMO_RESPONSIBILITIES } from "../server/src/modules/datahub/demo-catalog";
import {
  DEMO_SOURCES,
  generateSources,
  pairwiseQuality,
} from "../server/src/modules/datahub/masterdata/demo-sources";
import { runLoad } from "../server/src/modules/datahub/masterdata/load/loader";
import type { DatasetFormat } from "../server/src/modules/datahub/masterdata/load/reader";
import { getSource } from "../server/src/modules/datahub/masterdata/sources.service";
import { type Benchmark, figure, percentile, scratchDatabase } from "./harness";

/** People in the district; each appears in two sources on average. */
const PEOPLE = Number(process.env.BENCH_FUSION_PEOPLE ?? 100_000);
const SOURCES = 10;
const INCREMENTS = Number(process.env.BENCH_FUSION_INCREMENTS ?? 200);

async function* chunks(body: Buffer): AsyncGenerator<Buffer> {
  for (let i = 0; i < body.length; i += 64 * 1024) yield body.subarray(i, i + 64 * 1024);
}

/**
 * 200,000 source records of 100,000 people from ten department sources (with the generator's typos,
 * swapped digits, missing fields, traditional characters, moved addresses and duplicates) loaded,
 * standardised, resolved and fused through the loader; precision and recall against the generator's
 * ground truth; then single-record delta loads. Baseline: bulk-loading the same rows, as they are, into
 * one table of the same database.
 */
export const fusion: Benchmark = {
  name: "fusion",
  description: `Master data: ${PEOPLE * 2} records of ${PEOPLE} people from ${SOURCES} sources loaded, standardised, resolved and fused; pairwise quality; one-record increments`,
  async run() {
    const district = generateDistrict({ citizens: PEOPLE, enterprises: Math.max(100, PEOPLE / 50) });
    const codes = DEMO_SOURCES.filter((s) => s.base === "population")
      .slice(0, SOURCES)
      .map((s) => s.code);
    const sources = generateSources({
      seed: 2026,
      citizens: district.citizens,
      enterprises: district.enterprises,
      personRecords: PEOPLE * 2,
      sources: codes,
    });
    const records = sources.reduce((n, s) => n + s.rows, 0);
    console.log(`  generated ${records} records in ${sources.length} sources`);

    const scratch = process.env.DATABASE_URL ? await scratchDatabase("fusion") : null;
    const config = loadConfig({
      DATA_DIR: mkdtempSync(path.join(tmpdir(), "bench-fusion-")),
      DEMO: "false",
      LOG_LEVEL: "warn",
      ...(scratch?.url ? { DATABASE_URL: scratch.url } : {}),
    });
    const database = await openDatabase({
      databaseUrl: config.databaseUrl,
      pgliteDir: config.databaseUrl ? null : `${config.dataDir}/pg`,
    });
    const log = createLogger("warn");
    const platform = await createPlatform({ config, log, database });
    const { db } = platform;

    // One department per bureau, the responsibility list, the sources.
    const government = newId();
    await rawQuery(
      db,
      "insert into identity.departments (id, code, name, kind, parent_id, path) values ($1, 'B-GOV', '区政府', 'government', null, $2)",
      [government, `/${government}/`],
    );
    const bureaus = new Map<string, string>();
    const bureauOf = async (key: string) => {
      let id = bureaus.get(key);
      if (!id) {
        id = newId();
        bureaus.set(key, id);
        await rawQuery(
          db,
          "insert into identity.departments (id, code, name, kind, parent_id, path) values ($1, $2, $3, 'bureau', $4, $5)",
          [id, `B-${key}`, key, government, `/${government}/${id}/`],
        );
      }
      return id;
    };
    for (const r of DEMO_RESPONSIBILITIES.filter((r) => r.base === "population"))
      await rawQuery(
        db,
        "insert into datahub.responsibilities (base, field, title, department_id, assigned_at) values ($1, $2, $3, $4, now())",
        [r.base, r.field, r.title, await bureauOf(r.provider)],
      );
    for (const s of sources)
      await rawQuery(
        db,
        `insert into datahub.master_sources (code, name, department_id, base, mapping, key_column, created_at, modified_at)
         values ($1, $2, $3, $4, $5, $6, now(), now())`,
        [
          s.spec.code,
          s.spec.name,
          await bureauOf(s.spec.bureau),
          s.spec.base,
          JSON.stringify(s.spec.mapping),
          s.spec.keyColumn,
        ],
      );
    const ctx = systemCtx(db, platform.clock, log, "bench-fusion");
    const deps = {
      db,
      clock: platform.clock,
      log,
      thresholds: { match: config.datahub.matchPercent / 100, review: config.datahub.reviewPercent / 100 },
    };
    const formatOf = (f: string): DatasetFormat => (f === "ndjson" ? "ndjson" : "csv");

    // The fusion: every source loaded in turn through the loader.
    const t0 = performance.now();
    let loaded = 0;
    for (const s of sources) {
      const source = await getSource(ctx, s.spec.code);
      const report = await runLoad(deps, ctx, source, chunks(s.body), {
        format: formatOf(s.spec.format),
        mode: "full",
      });
      if (report.status !== "completed") throw new Error(`${s.spec.code}: ${report.error}`);
      loaded += report.inserted;
      console.log(
        `  ${s.spec.code}: ${report.inserted} records, ${report.linkedExact} exact, ${report.linkedFuzzy} fuzzy, ${report.newEntities} new, ${report.toReview} to review, ${report.rowsRejected} rejected (${Math.round(performance.now() - t0)} ms)`,
      );
    }
    const fusionMs = performance.now() - t0;

    const links = await rawQuery<{ sourceCode: string; recordId: string; goldenId: string }>(
      db,
      `select source_code as "sourceCode", record_id as "recordId", golden_id as "goldenId"
         from datahub.master_records where deleted_at is null`,
      [],
    );
    const predicted = new Map(links.map((l) => [`${l.sourceCode}/${l.recordId}`, l.goldenId]));
    const quality = pairwiseQuality(sources, predicted);
    const [{ pending } = { pending: 0 }] = await rawQuery<{ pending: number }>(
      db,
      "select count(*)::int as pending from datahub.master_reviews where status = 'pending'",
      [],
    );

    // One record at a time: a delta load of a changed phone number.
    const sample = links
      .filter((_, i) => i % Math.max(1, Math.floor(links.length / INCREMENTS)) === 0)
      .slice(0, INCREMENTS);
    const latencies: number[] = [];
    for (const [i, link] of sample.entries()) {
      const source = await getSource(ctx, link.sourceCode);
      const [row] = await rawQuery<{ raw: Record<string, unknown>; values: Record<string, unknown> }>(
        db,
        "select raw, values from datahub.master_records where source_code = $1 and record_id = $2",
        [link.sourceCode, link.recordId],
      );
      const columnOf = new Map(Object.entries(source.mapping).map(([c, f]) => [f, c]));
      const line: Record<string, unknown> = { [source.keyColumn]: link.recordId };
      for (const [field, value] of Object.entries({ ...row!.values, ...row!.raw })) {
        const column = columnOf.get(field);
        if (column) line[column] = value;
      }
      const phoneColumn = columnOf.get("phone");
      if (phoneColumn) line[phoneColumn] = `139${String(10_000_000 + i).slice(-8)}`;
      const started = performance.now();
      const report = await runLoad(deps, ctx, source, chunks(Buffer.from(JSON.stringify(line))), {
        format: "ndjson",
        mode: "delta",
      });
      latencies.push(performance.now() - started);
      if (report.status !== "completed" || report.changed + report.unchanged !== 1)
        throw new Error(`increment failed: ${JSON.stringify(report)}`);
    }
    latencies.sort((a, b) => a - b);
    await platform.stop();
    await scratch?.close();

    // Baseline: the same rows bulk-loaded as they are into one table.
    const raw = await scratchDatabase("fusionraw");
    await raw.query(
      "create table bench_rows (source text not null, record_id text not null, data jsonb not null, primary key (source, record_id))",
    );
    const rows = links.length;
    const b0 = performance.now();
    for (const s of sources) {
      const text =
        s.spec.format === "csv-gbk" ? new TextDecoder("gb18030").decode(s.body) : s.body.toString("utf8");
      const lines = text.split("\n").filter((l) => l.trim());
      const parsed =
        s.spec.format === "ndjson"
          ? lines.flatMap((l) => {
              try {
                return [JSON.parse(l) as Record<string, unknown>];
              } catch {
                return [];
              }
            })
          : lines.slice(1).map((l) => {
              const header = lines[0]!.split(",");
              const cells = l.split(",");
              return Object.fromEntries(header.map((h, i) => [h, cells[i]]));
            });
      for (let i = 0; i < parsed.length; i += 1000) {
        const batch = parsed
          .slice(i, i + 1000)
          .map((r) => ({ id: String(r[s.spec.keyColumn] ?? ""), data: r }));
        await raw.query(
          `insert into bench_rows (source, record_id, data)
           select $1, r.id, r.data from jsonb_to_recordset($2::jsonb) as r(id text, data jsonb) on conflict do nothing`,
          [s.spec.code, JSON.stringify(batch)],
        );
      }
    }
    const baselineMs = performance.now() - b0;
    await raw.close();

    const baseline = { metric: "bulk load of the same rows", value: Math.round(baselineMs), unit: "ms" };
    const p95 = percentile(latencies, 95);
    return [
      figure(`load, standardise, resolve and fuse ${loaded} records`, fusionMs, "ms", baseline, {
        text: "< 60,000 ms",
        met: fusionMs < 60_000,
      }),
      figure("records fused per second", (loaded / fusionMs) * 1000, "records/s"),
      figure("pairwise precision", quality.precision * 100, "%", null, {
        text: "≥ 98 %",
        met: quality.precision >= 0.98,
      }),
      figure("pairwise recall", quality.recall * 100, "%", null, {
        text: "≥ 95 %",
        met: quality.recall >= 0.95,
      }),
      figure("pairwise F1", quality.f1 * 100, "%"),
      figure("pairs left for review", pending, "pairs"),
      figure("one-record increment p50", percentile(latencies, 50), "ms"),
      figure("one-record increment p95", p95, "ms", null, { text: "< 50 ms", met: p95 < 50 }),
      figure("records in the baseline", rows, "rows"),
    ];
  },
};
