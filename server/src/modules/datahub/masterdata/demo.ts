import { generateDistrict } from "../../../demo/district";
import { rawQuery } from "../../../kernel/db/db";
import type { Ctx } from "../../../kernel/http/context";
import { scheduleJob } from "../../../kernel/jobs/jobs";
import type { Platform } from "../../../kernel/platform";
import { DEMO_SOURCES, generateSources } from "./demo-sources";
import { type LoadDeps, runLoad } from "./load/loader";
import { getSource } from "./sources.service";

/** Loads the demo sources in the background after the first start (the server is usable meanwhile). */
export const MASTER_DEMO_JOB = "datahub.master.demo";

/** Demo volumes: enough for the console's queues and charts, small enough for a quick first start. */
const PERSON_RECORDS = 8_000;
const ENTERPRISE_RECORDS = 2_400;

/**
 * The demo's department sources (公安户籍, 人社参保, 卫健, 民政, 教育, 住建, 税务, 市场监管 …) registered
 * with their column mappings, and a job that loads their generated files — with the generator's
 * realistic errors — so the population and legal-person bases, the review queue and the quality
 * scorecard are filled shortly after the first start.
 */
export async function seedMasterDataDemo(
  platform: Platform,
  unitOf: (bureauKey: string) => string | undefined,
): Promise<void> {
  const now = platform.clock.now();
  await platform.db.transaction(async (tx) => {
    for (const spec of DEMO_SOURCES) {
      const departmentId = unitOf(spec.bureau);
      if (!departmentId) continue;
      await rawQuery(
        tx,
        `insert into datahub.master_sources (code, name, department_id, base, mapping, key_column, update_cycle_days,
           created_at, modified_at) values ($1, $2, $3, $4, $5, $6, $7, $8, $8) on conflict (code) do nothing`,
        [
          spec.code,
          spec.name,
          departmentId,
          spec.base,
          JSON.stringify(spec.mapping),
          spec.keyColumn,
          30,
          now,
        ],
      );
    }
    // A few seconds later: the server is up first, and other seeders running due jobs do not run it.
    await scheduleJob(tx, platform.clock, {
      kind: MASTER_DEMO_JOB,
      dedupeKey: MASTER_DEMO_JOB,
      runAt: new Date(now.getTime() + 3_000),
    });
  });
}

/** The demo job: each source's generated file loaded through the loader, as a department would. */
export async function loadDemoSources(deps: LoadDeps, ctx: Ctx): Promise<void> {
  const district = generateDistrict();
  const sources = generateSources({
    seed: district.seed,
    citizens: district.citizens,
    enterprises: district.enterprises,
    personRecords: PERSON_RECORDS,
    enterpriseRecords: ENTERPRISE_RECORDS,
  });
  for (const generated of sources) {
    const source = await getSource(ctx, generated.spec.code).catch(() => null);
    if (!source || source.lastLoadAt) continue;
    async function* body() {
      yield generated.body;
    }
    await runLoad(deps, ctx, source, body(), {
      format: generated.spec.format === "ndjson" ? "ndjson" : "csv",
      mode: "full",
      bytesTotal: generated.body.length,
    });
  }
}
