import { BUREAUS } from "../../demo/bureaus";
import type { Actor } from "../../kernel/access/actor";
import { shanghaiDate } from "../../kernel/calendar/calendar";
import { rawQuery } from "../../kernel/db/db";
import type { Clock, Ctx } from "../../kernel/http/context";
import { loadActors } from "../../kernel/identity/actors";
import type { Platform } from "../../kernel/platform";
import type { ApplicationRow } from "./applications/applications.queries";
import {
  createApplication,
  type ServicesDeps,
  submitApplication,
  updateApplication,
} from "./applications/applications.service";
import { acceptApplication, decideApplication, deliverResult } from "./applications/handling.service";
import { uploadMaterial } from "./applications/materials.service";
import { draftItem, publishItem } from "./catalog/catalog.service";
import { DEMO_ITEMS } from "./catalog/demo-items";
import { formErrors } from "./catalog/forms";
import { rateApplication } from "./evaluation/evaluation.service";

/** A one-page PDF standing in for a scanned material. */
const DEMO_PDF = Buffer.from("%PDF-1.4\n1 0 obj <</Type /Catalog>> endobj\ntrailer <</Root 1 0 R>>\n%%EOF\n");

interface Property {
  type?: string;
  enum?: unknown[];
  format?: string;
  pattern?: string;
  minimum?: number;
  maxLength?: number;
  items?: { enum?: unknown[] };
  title?: string;
}

/** Plausible values for what the form still asks after pre-filling (the demo's applicants "type"). */
function sampleData(
  schema: Record<string, unknown>,
  subject: { name: string; idNumber: string; phone: string },
) {
  const properties = (schema.properties ?? {}) as Record<string, Property>;
  const data: Record<string, unknown> = {};
  for (const [key, p] of Object.entries(properties)) {
    if (p.enum) data[key] = p.enum[0];
    else if (p.type === "array") data[key] = p.items?.enum ? [p.items.enum[0]] : [];
    else if (p.type === "boolean") data[key] = true;
    else if (p.type === "integer" || p.type === "number") data[key] = Math.max(p.minimum ?? 1, 1);
    else if (p.format === "date") data[key] = "2026-11-20";
    else if (p.pattern?.startsWith("^1[3-9]")) data[key] = subject.phone;
    else if (p.pattern?.includes("\\d{17}")) data[key] = subject.idNumber;
    else if (/姓名|联系人|经办人/.test(p.title ?? "")) data[key] = subject.name;
    else data[key] = `${p.title ?? key}（示例）`.slice(0, p.maxLength ?? 100);
  }
  return data;
}

/**
 * The demo district's item list (事项清单), every demo item published under its implementing bureau,
 * and work in progress for the demo accounts: the clerk finds applications to accept (one of them
 * overdue), the approver one to decide, and the citizen a finished one with its rating.
 */
export async function seedServicesDemo(platform: Platform): Promise<void> {
  const db = platform.db;
  const bureaus = new Map(
    (
      await rawQuery<{ id: string; name: string }>(
        db,
        "select id, name from identity.departments where kind = 'bureau' and name = any($1::text[])",
        [BUREAUS.map((b) => b.name)],
      )
    ).map((u) => [u.name, u.id]),
  );
  const people = await loadActors(db, { usernames: ["admin", "citizen", "clerk", "approver"] });
  const admin = people.get("admin");
  if (!admin || bureaus.size === 0) return; // not the demo district
  const ctxOf = (tx: Platform["db"], actor: Actor, clock: Clock = platform.clock): Ctx => ({
    actor,
    requestId: "demo:services",
    ip: null,
    tx,
    clock,
    log: platform.log,
  });
  const published = await db.transaction(async (tx) => {
    const ids = new Map<string, string>();
    for (const { departmentKey, ...spec } of DEMO_ITEMS) {
      const departmentId = bureaus.get(BUREAUS.find((b) => b.key === departmentKey)?.name ?? "");
      if (!departmentId) throw new Error(`Demo item ${spec.name}: no bureau ${departmentKey}`);
      const draft = await draftItem(ctxOf(tx, admin), { id: departmentId }, spec);
      await publishItem(ctxOf(tx, admin), draft.id);
      ids.set(spec.name, draft.id);
    }
    return ids;
  });

  const citizen = people.get("citizen");
  const clerk = people.get("clerk");
  const approver = people.get("approver");
  if (!citizen || !clerk || !approver) return;
  const settings = platform.config.services;
  const deps: ServicesDeps = {
    engine: platform.workflow,
    calendar: () => platform.calendar.current,
    ...settings,
  };
  const forPeople = DEMO_ITEMS.filter(
    (i) => i.applicantTypes.length === 1 && i.applicantTypes[0] === "person" && i.promisedDays > 0,
  );
  // The demo approver works at the market regulation bureau: what waits for a decision is theirs.
  const market = forPeople.find((i) => i.departmentKey === "market-regulation");
  const elsewhere = forPeople.find((i) => i.departmentKey !== "market-regulation");
  /** Files the application as `who` would: form, materials, submission. */
  const apply = async (who: Actor, name: string, clock?: Clock): Promise<ApplicationRow | null> =>
    db.transaction(async (tx) => {
      const ctx = ctxOf(tx, who, clock);
      const spec = DEMO_ITEMS.find((i) => i.name === name)!;
      const [subject] = await rawQuery<{ name: string; idNumber: string; phone: string | null }>(
        tx,
        `select name, id_number as "idNumber", phone from identity.citizens where id = $1`,
        [who.citizenId],
      );
      if (!subject) {
        platform.log.warn(
          { username: who.username },
          "demo application left out: the account has no citizen record",
        );
        return null;
      }
      const data = sampleData(spec.form, { ...subject, phone: subject.phone ?? "13800138000" });
      let row = await createApplication(ctx, deps, { serviceId: published.get(name)!, data });
      row = await updateApplication(ctx, row.id, { ...data, ...row.data });
      const errors = formErrors(`demo:${name}`, spec.form, row.data, "/data");
      if (errors.length > 0) {
        platform.log.warn(
          { item: name, errors },
          "demo application left out: its sample data does not fit the form",
        );
        return null;
      }
      for (const m of spec.materials.filter((m) => m.mandatory && !m.sharedData))
        await uploadMaterial(ctx, deps, row.id, {
          code: m.code,
          fileName: `${m.name}.pdf`,
          declaredType: "application/pdf",
          content: DEMO_PDF,
        });
      return submitApplication(ctx, deps, row.id);
    });
  if (!market || !elsewhere) return;
  const [waiting, reviewing, finished] = [elsewhere, market, market];
  // Waiting at the window: one made today, one that has waited past its promise.
  await apply(citizen, waiting.name);
  // Submitted two working days more than its promise ago: red on the desk and the board.
  const today = shanghaiDate(platform.clock.now());
  const late = new Date(
    `${platform.calendar.current.addWorkingDays(today, -(waiting.promisedDays + 2))}T10:00:00+08:00`,
  );
  await apply(citizen, waiting.name, { now: () => late });
  // Accepted, waiting for the market regulation bureau's approver.
  const second = await apply(citizen, reviewing.name);
  if (second)
    await db.transaction((tx) => acceptApplication(ctxOf(tx, clerk), deps, second.id, "材料齐全，予以受理"));
  // Decided, delivered and rated.
  const third = await apply(citizen, finished.name);
  if (third)
    await db.transaction(async (tx) => {
      await acceptApplication(ctxOf(tx, clerk), deps, third.id, "材料齐全，予以受理");
      await decideApplication(ctxOf(tx, approver), deps, third.id, {
        approved: true,
        opinion: "符合条件，准予许可",
      });
      await deliverResult(ctxOf(tx, clerk), deps, third.id, { method: "online", note: "电子证照已推送" });
      await rateApplication(ctxOf(tx, citizen), deps, third.id, {
        rating: 5,
        indicators: { overall: 5, efficiency: 5, guide: 4, convenience: 5, usability: 5 },
        comment: "全程网上办理，不用跑腿",
      });
    });
}
