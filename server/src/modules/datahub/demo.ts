import { appendDemoAccounts } from "../../demo/accounts";
import { BUREAUS } from "../../demo/bureaus";
import type { Actor } from "../../kernel/access/actor";
import { shanghaiDate } from "../../kernel/calendar/calendar";
import { rawQuery } from "../../kernel/db/db";
import type { Ctx } from "../../kernel/http/context";
import { loadActors } from "../../kernel/identity/actors";
import { hashPassword } from "../../kernel/identity/passwords";
import type { Platform } from "../../kernel/platform";
import { createResource } from "./catalog/catalog.service";
import { DEMO_RESOURCES, DEMO_RESPONSIBILITIES } from "./demo-catalog";
import { seedMasterDataDemo } from "./masterdata/demo";
import { dataKeysFrom } from "./records/protection";
import { putResourceRecords } from "./records/records.service";
import { assignResponsibility } from "./responsibility/responsibility.service";
import { clients, usageDaily } from "./schema";
import { createSharingRequest } from "./sharing/sharing.service";

/** The demo system of the civil affairs bureau; its secret is published like the demo passwords. */
export const DEMO_CLIENT = { clientId: "cli_minzheng_jiuzhu", clientSecret: "Jiuzhu@2026!demo-secret" };

/**
 * The data hub as a demo visitor meets it: the district's catalog (50+ resources of 20+ bureaus), the
 * responsibility list of both bases, population and enterprise records, the civil affairs bureau's
 * system with a granted share and a conditional request waiting for the data bureau's check, and a
 * month of usage history.
 */
export async function seedDatahubDemo(platform: Platform): Promise<void> {
  const db = platform.db;
  const units = new Map(
    (
      await rawQuery<{ id: string; name: string }>(
        db,
        "select id, name from identity.departments where kind = 'bureau' and name = any($1::text[])",
        [BUREAUS.map((b) => b.name)],
      )
    ).map((u) => [u.name, u.id]),
  );
  const unitOf = (key: string) => units.get(BUREAUS.find((b) => b.key === key)?.name ?? "");
  if (!unitOf("data-bureau")) return; // not the demo district
  const people = await loadActors(db, { usernames: ["databureau", "dataofficer"] });
  const bureau = people.get("databureau");
  const officer = people.get("dataofficer");
  if (!bureau || !officer) return;
  const ctxOf = (tx: Platform["db"], actor: Actor): Ctx => ({
    actor,
    requestId: "demo:datahub",
    ip: null,
    tx,
    clock: platform.clock,
    log: platform.log,
  });
  const keys = dataKeysFrom(platform.config.datahub.dataKeys, platform.masterKey);

  const ids = await db.transaction(async (tx) => {
    const ctx = ctxOf(tx, bureau);
    for (const r of DEMO_RESPONSIBILITIES) {
      const departmentId = unitOf(r.provider);
      if (departmentId)
        await assignResponsibility(ctx, { base: r.base, field: r.field, title: r.title, departmentId });
    }
    const created: string[] = [];
    for (const { provider, ...input } of DEMO_RESOURCES) {
      const providerDepartmentId = unitOf(provider);
      if (providerDepartmentId)
        created.push((await createResource(ctx, { ...input, providerDepartmentId })).id);
    }
    return created;
  });
  const [population, enterprises] = ids;
  if (!population || !enterprises) return;

  // Records: the population base from the citizens' register, the enterprise base from the enterprises'.
  const citizens = await rawQuery<Record<string, unknown>>(
    db,
    `select c.id_number as "idNumber", c.name, case c.gender when 'male' then '男' when 'female' then '女' else c.gender end as gender,
       to_char(c.birth_date, 'YYYY-MM-DD') as "birthDate", c.phone, c.address
     from identity.citizens c where c.id_type = 'resident_id' order by c.id_number`,
    [],
  );
  const companies = await rawQuery<Record<string, unknown>>(
    db,
    `select e.uscc, e.name, e.kind, p.name as "legalRepName", (e.registered_capital_fen / 1000000)::int as "registeredCapital",
       to_char(e.established_on, 'YYYY-MM-DD') as "establishedOn", e.address, e.industry
     from identity.enterprises e left join identity.citizens p on p.id = e.legal_rep_citizen_id order by e.uscc`,
    [],
  );
  const load = async (
    resourceId: string,
    rows: Record<string, unknown>[],
    fill: (row: Record<string, unknown>, i: number) => Record<string, unknown>,
  ) => {
    const [resource] = await rawQuery<{ items: { name: string }[] | string }>(
      db,
      "select items from datahub.resources where id = $1",
      [resourceId],
    );
    const items = new Set(
      (typeof resource!.items === "string" ? JSON.parse(resource!.items) : resource!.items).map(
        (i: { name: string }) => i.name,
      ),
    );
    for (let start = 0; start < rows.length; start += 1000) {
      const batch = rows.slice(start, start + 1000).map((row, i) => {
        const full = fill(row, start + i);
        return Object.fromEntries(
          Object.entries(full).filter(([k, v]) => items.has(k) && v !== null && v !== undefined),
        );
      });
      await db.transaction((tx) =>
        putResourceRecords(ctxOf(tx, bureau), keys, resourceId, batch, { skipAccessCheck: true }),
      );
    }
  };
  const ETHNICITIES = ["汉族", "汉族", "汉族", "汉族", "壮族", "回族", "满族", "瑶族"];
  await load(population, citizens, (c, i) => ({
    ...c,
    ethnicity: ETHNICITIES[i % ETHNICITIES.length],
    householdAddress: c.address,
    residenceAddress: c.address,
  }));
  await load(enterprises, companies, (e) => ({ ...e, status: "存续" }));

  // The civil affairs bureau's 社会救助审核系统: a client, an enterprise-data grant, a pending request.
  const civil = unitOf("civil-affairs")!;
  await db.transaction(async (tx) => {
    await tx.insert(clients).values({
      clientId: DEMO_CLIENT.clientId,
      name: "社会救助审核系统",
      departmentId: civil,
      secretHash: await hashPassword(DEMO_CLIENT.clientSecret),
      createdBy: officer.id,
      createdAt: platform.clock.now(),
    });
    const ctx = ctxOf(tx, officer);
    const today = shanghaiDate(platform.clock.now());
    const nextYear = `${Number(today.slice(0, 4)) + 1}${today.slice(4)}`;
    const settings = platform.config.datahub;
    await createSharingRequest(ctx, platform.workflow, settings, {
      resourceId: enterprises,
      fields: ["uscc", "name", "legalRepName", "registeredCapital", "status"],
      purposeCode: "assistance-check",
      purpose: "核查社会救助申请人名下企业情况",
      legalBasis: "《社会救助暂行办法》第六十条",
      periodFrom: today,
      periodTo: nextYear,
      expectedDailyVolume: 200,
    });
    await createSharingRequest(ctx, platform.workflow, settings, {
      resourceId: population,
      fields: ["name", "idNumber", "gender", "birthDate", "householdAddress"],
      purposeCode: "assistance-check",
      purpose: "核验最低生活保障申请人身份与户籍",
      legalBasis: "《社会救助暂行办法》第十一条",
      periodFrom: today,
      periodTo: nextYear,
      expectedDailyVolume: 300,
    });
    // A month of the enterprise share's use, so the statistics page has a history.
    const rows = Array.from({ length: 30 }, (_, d) => {
      const day = shanghaiDate(new Date(platform.clock.now().getTime() - (30 - d) * 86_400_000));
      const weekday = new Date(`${day}T00:00:00Z`).getUTCDay();
      const calls = weekday === 0 || weekday === 6 ? 3 + (d % 4) : 40 + ((d * 37) % 60);
      return {
        day,
        resourceId: enterprises,
        consumerDepartmentId: civil,
        calls,
        records: calls,
        refused: d % 5 === 0 ? 1 : 0,
      };
    });
    await tx.insert(usageDaily).values(rows);
  });
  while ((await platform.jobs.runDue()) > 0) {}
  await seedMasterDataDemo(platform, unitOf);

  appendDemoAccounts(platform.config.dataDir, [
    {
      role: "exchange-client",
      username: DEMO_CLIENT.clientId,
      password: DEMO_CLIENT.clientSecret,
      totpSecret: null,
      displayName: "社会救助审核系统（区民政局）",
    },
  ]);
}
