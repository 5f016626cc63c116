import { createHash } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  buildCitizen,
  buildDepartment,
  buildUser,
  type TestDepartment,
  type TestUser,
} from "../../../test/factories";
import { eventually, json, ManualClock, startTestApp, type TestApp } from "../../../test/harness";
import { rawQuery } from "../../kernel/db/db";
import { newId } from "../../kernel/db/ids";
import { systemCtx } from "../../kernel/http/context";
import { citizenIdCheckChar } from "../../kernel/identity/identifiers";

let t: TestApp;
let clock: ManualClock;
let market: TestDepartment;
let admin: TestUser;
let clerk: TestUser;
let approver: TestUser;
let strangerApprover: TestUser;
let citizen: TestUser;
let neighbour: TestUser;
const tokens = new Map<TestUser, string>();
const as = (u: TestUser) => ({ authorization: `Bearer ${tokens.get(u)}` });
const DAY = 86_400_000;
/** Runs the due jobs and relays the published events, as the worker would. */
async function drain(): Promise<void> {
  for (let i = 0; i < 5; i++) {
    const jobs = await t.platform.jobs.runDue();
    const events = await t.platform.events.relayPending();
    if (jobs === 0 && events === 0) return;
  }
}
/** Time passes (the clock is the edge of the world a test cannot wait for); sessions are renewed. */
async function advance(ms: number) {
  clock.advance(ms);
  for (const u of tokens.keys()) tokens.set(u, await u.token(t.app));
}

const idOf = (birth: string, seq: string) => {
  const first = `440120${birth}${seq}`;
  return first + citizenIdCheckChar(first);
};
const WANG = idOf("19850312", "123");
const ZHOU = idOf("19910101", "222");
const PDF = Buffer.from("%PDF-1.7\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n");
const PNG = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 0]);
const EICAR = "X5O!P%@AP[4\\PZX54(P^)7CC)7}$EICAR-STANDARD-ANTIVIRUS-TEST-FILE!$H+H*";

async function call(
  u: TestUser | null,
  method: "GET" | "POST" | "PATCH" | "DELETE",
  url: string,
  payload?: unknown,
  headers: Record<string, string> = {},
) {
  return t.app.inject({
    method,
    url,
    headers: { ...(u ? as(u) : {}), ...headers },
    ...(payload === undefined ? {} : { payload: payload as object }),
  });
}
async function upload(
  u: TestUser,
  id: string,
  code: string,
  body: Buffer | string,
  type = "application/pdf",
) {
  return t.app.inject({
    method: "POST",
    url: `/api/services/applications/${id}/materials?code=${code}&fileName=${encodeURIComponent(`${code}.pdf`)}`,
    headers: { ...as(u), "content-type": type },
    payload: body,
  });
}

/** A market-regulation item as the national guide describes it, with a form bound to master data. */
const item = (code: string, overrides: Record<string, unknown> = {}) => ({
  departmentCode: market.code,
  code,
  basicCode: "XK00101000",
  name: "个体工商户设立登记",
  itemType: "行政许可",
  authority: "statutory",
  legalBasis: ["《促进个体工商户发展条例》第八条"],
  conditions: ["有经营能力的自然人", "有固定的经营场所"],
  applicantTypes: ["person"],
  lifeEvents: ["start-business"],
  materials: [
    {
      code: "id-card",
      name: "经营者身份证明",
      form: "electronic",
      copies: 1,
      mandatory: true,
      source: "applicant",
      certificateType: "resident-id-card",
    },
    {
      code: "premises",
      name: "经营场所使用证明",
      form: "copy",
      copies: 1,
      mandatory: true,
      source: "applicant",
    },
    {
      code: "household",
      name: "户口簿",
      form: "copy",
      copies: 1,
      mandatory: true,
      source: "government",
      sharedData: true,
    },
  ],
  statutoryDays: 15,
  promisedDays: 3,
  specialSteps: [{ kind: "site-inspection", name: "现场核查", maxDays: 5 }],
  fee: { amountFen: 0, basis: "不收费" },
  handlingForm: "online-and-window",
  fullyOnline: true,
  visits: 0,
  courier: true,
  crossRegion: "city",
  result: { name: "营业执照", kind: "licence" },
  consultation: "020-81234567",
  complaint: "12345 政务服务便民热线",
  form: {
    type: "object",
    additionalProperties: false,
    required: ["name", "idNumber", "phone", "businessName", "staff"],
    properties: {
      name: { type: "string", title: "经营者姓名", maxLength: 50, "x-prefill": "name" },
      idNumber: { type: "string", title: "身份证号", maxLength: 18, "x-prefill": "idNumber" },
      phone: {
        type: "string",
        title: "联系电话",
        pattern: "^1[3-9]\\d{9}$",
        maxLength: 11,
        "x-prefill": "phone",
        "x-correctable": true,
      },
      businessName: { type: "string", title: "个体工商户名称", maxLength: 100 },
      staff: { type: "integer", title: "从业人数", minimum: 1, maximum: 100 },
    },
  },
  uiSchema: { "ui:order": ["name", "idNumber", "phone", "businessName", "staff"] },
  ...overrides,
});

interface View {
  id: string;
  receiptNo: string;
  trackingCode: string;
  status: string;
  data: Record<string, unknown>;
  prefilled: Record<string, string>;
  readOnly: string[];
  actions: string[];
  deadline: {
    dueAt: string;
    level: string;
    paused: boolean;
    elapsedDays: number;
    remainingDays: number;
  } | null;
  history: { action: string; actor: string; reason: string }[];
  requiredMaterials: { code: string; uploaded: boolean }[];
  materials: { id: string; sha256: string }[];
  specialSteps: { id: string; finishedAt: string | null }[];
  decision: { approved: boolean } | null;
  evaluation: { rating: number } | null;
}

let serviceId: string;
let instantId: string;

beforeAll(async () => {
  clock = new ManualClock(new Date("2026-12-01T02:00:00.000Z")); // a Tuesday, 10:00 in Guangzhou
  t = await startTestApp({ clock, env: { SERVICES_MAX_MATERIAL_BYTES: "65536" } });
  await t.platform.db.transaction((tx) =>
    t.platform.workflow.deployLibrary(systemCtx(tx, t.platform.clock, t.platform.log, "test")),
  );
  await t.platform.events.start();
  const government = await buildDepartment(t.platform, "government");
  market = await buildDepartment(t.platform, "bureau", government);
  const police = await buildDepartment(t.platform, "bureau", government);
  const centre = await buildDepartment(t.platform, "bureau", government);
  const other = await buildDepartment(t.platform, "bureau", government);
  admin = await buildUser(t.platform, { roles: ["admin"], department: government });
  clerk = await buildUser(t.platform, { roles: ["clerk"], department: centre });
  approver = await buildUser(t.platform, {
    roles: ["approver"],
    department: await buildDepartment(t.platform, "office", market),
  });
  strangerApprover = await buildUser(t.platform, { roles: ["approver"], department: other });
  const officer = await buildUser(t.platform, { roles: ["dataofficer"], department: police });
  const bureau = await buildUser(t.platform, { roles: ["databureau"], department: centre });
  const wang = await buildCitizen(t.platform, { idNumber: WANG, name: "王建国" });
  citizen = await buildUser(t.platform, { roles: ["citizen"], citizenId: wang.id });
  const zhou = await buildCitizen(t.platform, { idNumber: ZHOU, name: "周敏" });
  neighbour = await buildUser(t.platform, { roles: ["citizen"], citizenId: zhou.id });
  for (const u of [admin, clerk, approver, strangerApprover, citizen, neighbour, officer, bureau])
    tokens.set(u, await u.token(t.app));

  // The population base knows 王建国 from the police's household register.
  for (const field of ["name", "idNumber", "phone"]) {
    const res = await call(bureau, "POST", "/api/datahub/responsibilities", {
      base: "population",
      field,
      title: field,
      departmentId: police.id,
    });
    expect(res.statusCode, res.body).toBe(201);
  }
  const source = await call(officer, "POST", "/api/datahub/master/sources", {
    code: "ps-household",
    name: "公安户籍人口",
    base: "population",
    mapping: { 姓名: "name", 公民身份号码: "idNumber", 联系电话: "phone" },
    keyColumn: "编号",
  });
  expect(source.statusCode, source.body).toBe(201);
  const loaded = await t.app.inject({
    method: "POST",
    url: "/api/datahub/master/imports?source=ps-household&mode=full",
    headers: { ...as(officer), "content-type": "text/csv" },
    payload: `编号,姓名,公民身份号码,联系电话\nP1,王建国,${WANG},13800138000\n`,
  });
  expect(loaded.statusCode, loaded.body).toBe(200);

  const draft = await call(admin, "POST", "/api/services/items", item("XK00101000-440118000000-001-01"));
  expect(draft.statusCode, draft.body).toBe(201);
  serviceId = json<{ id: string }>(draft).id;
  const instant = await call(
    admin,
    "POST",
    "/api/services/items",
    item("GG00201000-440118000000-001-01", {
      basicCode: "GG00201000",
      name: "门前三包责任书签订",
      itemType: "公共服务",
      statutoryDays: 0,
      promisedDays: 0,
      specialSteps: [],
      materials: [],
      lifeEvents: ["city-management"],
      result: { name: "门前三包责任书", kind: "other" },
    }),
  );
  expect(instant.statusCode, instant.body).toBe(201);
  instantId = json<{ id: string }>(instant).id;
  expect((await call(admin, "POST", `/api/services/items/${instantId}/publish`)).statusCode).toBe(200);
}, 90_000);
afterAll(async () => {
  await t?.close();
});

describe("item catalog (事项清单)", () => {
  it("a draft is not on the list; publishing puts it there, searchable in Chinese and by life event", async () => {
    expect((await call(null, "GET", `/api/services/${serviceId}`)).statusCode).toBe(404);
    expect(
      (await call(citizen, "POST", "/api/services/applications", { serviceId, data: {} })).statusCode,
    ).toBe(404);
    expect(
      (await call(strangerApprover, "POST", `/api/services/items/${serviceId}/publish`)).statusCode,
    ).toBe(403);
    const published = await call(admin, "POST", `/api/services/items/${serviceId}/publish`);
    expect(published.statusCode, published.body).toBe(200);
    expect(json(published)).toMatchObject({ status: "published", version: 1, result: { name: "营业执照" } });

    const found = json<{
      total: number;
      items: { id: string; name: string }[];
      facets: { lifeEvents: { key: string; name: string; count: number }[] };
    }>(await call(null, "GET", `/api/services?q=${encodeURIComponent("个体工商户 登记")}`));
    expect(found.items.map((i) => i.id)).toEqual([serviceId]);
    const browse = json<{
      total: number;
      facets: { lifeEvents: { key: string; name: string; count: number }[] };
    }>(await call(null, "GET", "/api/services?lifeEvent=start-business"));
    expect(browse.total).toBe(1);
    expect(browse.facets.lifeEvents).toContainEqual({ key: "start-business", name: "开办企业", count: 1 });
    expect(
      json<{ total: number }>(await call(null, "GET", `/api/services?q=${encodeURIComponent("结婚登记")}`))
        .total,
    ).toBe(0);
    const guide = json<{ materials: unknown[]; promisedDays: number; form?: unknown }>(
      await call(null, "GET", `/api/services/${serviceId}`),
    );
    expect(guide.materials).toHaveLength(3);
    expect(guide.form).toBeUndefined();
    const form = json<{ version: number; schema: { properties: object } }>(
      await call(null, "GET", `/api/services/${serviceId}/form`),
    );
    expect(form.version).toBe(1);
    expect(Object.keys(form.schema.properties)).toContain("businessName");
  });

  it("an item whose form is not valid JSON Schema, or whose promise exceeds the law, is refused field by field", async () => {
    const res = await call(
      admin,
      "POST",
      "/api/services/items",
      item("XK00101000-bad", {
        promisedDays: 30,
        form: { type: "object", properties: { a: { type: "strnig" } } },
      }),
    );
    expect(res.statusCode).toBe(400);
    const fields = json<{ errors: { field: string }[] }>(res).errors.map((e) => e.field);
    expect(fields).toEqual(expect.arrayContaining(["/body/promisedDays", "/body/form"]));
  });
});

describe("applying online", () => {
  let appId: string;

  it("pre-fills the form from the population base, naming the department, and audits the read", async () => {
    const res = await call(citizen, "GET", `/api/services/${serviceId}/prefill`);
    expect(res.statusCode, res.body).toBe(200);
    const body = json<{
      values: Record<string, unknown>;
      sources: Record<string, { departmentName: string }>;
      readOnly: string[];
    }>(res);
    expect(body.values).toEqual({ name: "王建国", idNumber: WANG, phone: "13800138000" });
    expect(body.sources.name!.departmentName).toMatch(/^测试bureau/);
    expect(body.readOnly.sort()).toEqual(["idNumber", "name"]);
    const [audit] = await rawQuery<{ n: number }>(
      t.platform.db,
      "select count(*)::int as n from audit.records where action = 'datahub.master.prefill'",
      [],
    );
    expect(audit!.n).toBeGreaterThan(0);
  });

  it("a draft keeps the pre-filled values it may not change, and lets a correctable one be changed", async () => {
    const res = await call(citizen, "POST", "/api/services/applications", {
      serviceId,
      data: { name: "别人", phone: "13900139000", businessName: "建国小吃店" },
    });
    expect(res.statusCode, res.body).toBe(201);
    const v = json<View>(res);
    appId = v.id;
    expect(v.status).toBe("draft");
    expect(v.data).toMatchObject({
      name: "王建国",
      idNumber: WANG,
      phone: "13900139000",
      businessName: "建国小吃店",
    });
    expect(v.readOnly.sort()).toEqual(["idNumber", "name"]);
    expect(v.receiptNo).toMatch(/^44012020261201\d{6}$/);
    expect(v.actions).toEqual(expect.arrayContaining(["update", "submit", "withdraw"]));
    // Someone else's application does not exist for them.
    expect((await call(neighbour, "GET", `/api/services/applications/${appId}`)).statusCode).toBe(404);
    expect((await call(neighbour, "POST", `/api/services/applications/${appId}/submit`)).statusCode).toBe(
      404,
    );
  });

  it("refuses to submit without the mandatory materials or with a form that breaks the schema, in Chinese", async () => {
    const missing = await call(citizen, "POST", `/api/services/applications/${appId}/submit`, undefined);
    expect(missing.statusCode).toBe(400);
    expect(json<{ errors: { field: string; message: string }[] }>(missing).errors).toContainEqual({
      field: "/data/staff",
      message: "请填写从业人数",
    });
    await call(citizen, "PATCH", `/api/services/applications/${appId}`, {
      data: { businessName: "建国小吃店", phone: "1390013", staff: 2 },
    });
    const bad = json<{ errors: { field: string; message: string }[] }>(
      await call(citizen, "POST", `/api/services/applications/${appId}/submit`),
    );
    expect(bad.errors).toEqual([{ field: "/data/phone", message: "联系电话的格式不正确" }]);
    await call(citizen, "PATCH", `/api/services/applications/${appId}`, {
      data: { businessName: "建国小吃店", phone: "13900139000", staff: 2 },
    });
    const noFiles = await call(citizen, "POST", `/api/services/applications/${appId}/submit`);
    expect(noFiles.statusCode).toBe(422);
    expect(
      json<{ errors: { field: string }[] }>(noFiles)
        .errors.map((e) => e.field)
        .sort(),
    ).toEqual(["/materials/id-card", "/materials/premises"]);
  });

  it("checks uploads by their content, size and a virus scan, and keeps the hash", async () => {
    expect((await upload(citizen, appId, "id-card", "plain text", "text/plain")).statusCode).toBe(422);
    const lying = await upload(citizen, appId, "id-card", PNG, "application/pdf");
    expect(lying.statusCode).toBe(422);
    expect(json<{ errors: { field: string }[] }>(lying).errors[0]!.field).toBe("/headers/content-type");
    expect(
      (await upload(citizen, appId, "id-card", Buffer.concat([PDF, Buffer.alloc(70_000)]))).statusCode,
    ).toBe(413);
    expect(
      (await upload(citizen, appId, "id-card", Buffer.concat([PDF, Buffer.from(EICAR)]))).statusCode,
    ).toBe(422);
    expect((await upload(citizen, appId, "no-such", PDF)).statusCode).toBe(422);
    expect((await upload(neighbour, appId, "id-card", PDF)).statusCode).toBe(404);
    const ok = await upload(citizen, appId, "id-card", PDF);
    expect(ok.statusCode, ok.body).toBe(201);
    expect(json<{ sha256: string }>(ok).sha256).toBe(createHash("sha256").update(PDF).digest("hex"));
    expect((await upload(citizen, appId, "premises", PNG, "image/png")).statusCode).toBe(201);
    const [infected] = await rawQuery<{ n: number }>(
      t.platform.db,
      "select count(*)::int as n from audit.records where action = 'services.material.infected' and outcome = 'denied'",
      [],
    );
    expect(infected!.n).toBe(1);
  });

  it("submits once, however often the button is pressed, and starts the process and the clock", async () => {
    const key = { "idempotency-key": `submit-${appId}` };
    const [a, b] = await Promise.all([
      call(citizen, "POST", `/api/services/applications/${appId}/submit`, undefined, key),
      call(citizen, "POST", `/api/services/applications/${appId}/submit`, undefined, key),
    ]);
    expect([a.statusCode, b.statusCode]).toEqual([200, 200]);
    expect(a.body).toBe(b.body);
    const again = await call(citizen, "POST", `/api/services/applications/${appId}/submit`);
    expect(again.statusCode).toBe(409);
    const v = json<View>(a);
    expect(v.status).toBe("submitted");
    // Three working days from Tuesday 1 December: due at the end of Friday 4 December.
    expect(v.deadline).toMatchObject({ dueAt: "2026-12-04T15:59:59.000Z", level: "normal", paused: false });
    const [instances] = await rawQuery<{ n: number }>(
      t.platform.db,
      "select count(*)::int as n from workflow.instances where business_key = $1",
      [appId],
    );
    expect(instances!.n).toBe(1);
    const mine = json<{ items: { id: string }[] }>(await call(citizen, "GET", "/api/services/applications"));
    expect(mine.items.map((i) => i.id)).toContain(appId);
  });

  it("a correction request stops the clock until the applicant resubmits", async () => {
    const desk = json<{ items: { id: string }[] }>(await call(clerk, "GET", "/api/services/desk?box=accept"));
    expect(desk.items.map((i) => i.id)).toContain(appId);
    expect((await call(citizen, "POST", `/api/services/applications/${appId}/accept`, {})).statusCode).toBe(
      403,
    );
    const unknownField = await call(clerk, "POST", `/api/services/applications/${appId}/request-correction`, {
      reason: "材料不清晰",
      items: [{ field: "nope", note: "x" }],
    });
    expect(unknownField.statusCode).toBe(400);
    const asked = await call(clerk, "POST", `/api/services/applications/${appId}/request-correction`, {
      reason: "经营场所证明不清晰",
      items: [
        { material: "premises", note: "请上传清晰的租赁合同" },
        { field: "businessName", note: "名称须含行业" },
      ],
    });
    expect(asked.statusCode, asked.body).toBe(200);
    expect(json<View>(asked)).toMatchObject({ status: "correction-requested", deadline: { paused: true } });
    // Two working days pass (Wed, Thu) before the applicant fixes it.
    await advance(2 * DAY);
    const view = json<View>(await call(citizen, "GET", `/api/services/applications/${appId}`));
    expect(view.actions).toEqual(expect.arrayContaining(["update", "submit"]));
    expect(view.deadline!.elapsedDays).toBe(0);
    await call(citizen, "PATCH", `/api/services/applications/${appId}`, {
      data: { businessName: "建国小吃餐饮店", phone: "13900139000", staff: 2 },
    });
    const re = await call(citizen, "POST", `/api/services/applications/${appId}/submit`);
    expect(re.statusCode, re.body).toBe(200);
    // The deadline moved by the two working days the clock stood still: Tuesday 8 December.
    expect(json<View>(re)).toMatchObject({
      status: "submitted",
      deadline: { dueAt: "2026-12-08T15:59:59.000Z", paused: false },
    });
  });

  it("the window accepts; only the implementing department decides, after its special step", async () => {
    const accepted = await call(clerk, "POST", `/api/services/applications/${appId}/accept`, {
      opinion: "材料齐全",
    });
    expect(accepted.statusCode, accepted.body).toBe(200);
    expect(json<View>(accepted).status).toBe("accepted");
    expect((await call(clerk, "POST", `/api/services/applications/${appId}/accept`, {})).statusCode).toBe(
      409,
    );
    expect(
      (
        await call(strangerApprover, "POST", `/api/services/applications/${appId}/decide`, {
          approved: true,
          opinion: "同意",
        })
      ).statusCode,
    ).toBe(404);
    const review = json<{ items: { id: string }[] }>(
      await call(approver, "GET", "/api/services/desk?box=review"),
    );
    expect(review.items.map((i) => i.id)).toContain(appId);
    const started = await call(approver, "POST", `/api/services/applications/${appId}/special-steps`, {
      kind: "site-inspection",
      reason: "核查经营场所",
    });
    expect(started.statusCode, started.body).toBe(200);
    const withStep = json<View>(started);
    expect(withStep.deadline!.paused).toBe(true);
    expect(withStep.actions).toEqual(["finish-special-step"]);
    expect(
      (
        await call(approver, "POST", `/api/services/applications/${appId}/decide`, {
          approved: true,
          opinion: "同意",
        })
      ).statusCode,
    ).toBe(409);
    const stepId = withStep.specialSteps[0]!.id;
    const finished = await call(
      approver,
      "POST",
      `/api/services/applications/${appId}/special-steps/${stepId}/finish`,
      { result: "场所与申报一致" },
    );
    expect(finished.statusCode, finished.body).toBe(200);
    const decided = await call(approver, "POST", `/api/services/applications/${appId}/decide`, {
      approved: true,
      opinion: "准予登记",
    });
    expect(decided.statusCode, decided.body).toBe(200);
    expect(json<View>(decided)).toMatchObject({ status: "approved", decision: { approved: true } });
    const delivered = await call(clerk, "POST", `/api/services/applications/${appId}/deliver`, {
      method: "online",
    });
    expect(delivered.statusCode, delivered.body).toBe(200);
    const v = json<View>(delivered);
    expect(v.status).toBe("delivered");
    expect(v.history.map((h) => h.action)).toEqual([
      "created",
      "submitted",
      "correction-requested",
      "resubmitted",
      "accepted",
      "special-step-started",
      "special-step-finished",
      "approved",
      "delivered",
    ]);
    expect(v.history.find((h) => h.action === "correction-requested")!.reason).toBe("经营场所证明不清晰");
    expect((await call(clerk, "GET", `/api/services/applications/${appId}`)).statusCode).toBe(200);
    const [read] = await rawQuery<{ n: number }>(
      t.platform.db,
      "select count(*)::int as n from audit.records where action = 'read' and resource_type = 'application' and resource_id = $1",
      [appId],
    );
    expect(read!.n).toBeGreaterThan(0);
  });

  it("the applicant rates once; a bad rating opens the department's rectification without naming the rater", async () => {
    const bad = await call(citizen, "POST", `/api/services/applications/${appId}/evaluation`, {
      rating: 2,
      indicators: { overall: 2, efficiency: 1 },
      comment: "等待时间太长",
    });
    expect(bad.statusCode, bad.body).toBe(200);
    expect(json<View>(bad).evaluation).toMatchObject({ rating: 2 });
    expect(
      (
        await call(citizen, "POST", `/api/services/applications/${appId}/evaluation`, {
          rating: 5,
          indicators: {},
        })
      ).statusCode,
    ).toBe(409);
    expect(
      (
        await call(citizen, "POST", `/api/services/applications/${appId}/evaluation`, {
          rating: 5,
          indicators: { attitude: 5 },
        })
      ).statusCode,
    ).not.toBe(200);
    const [instance] = await rawQuery<{ variables: Record<string, unknown> }>(
      t.platform.db,
      "select variables from workflow.instances where process_key = 'service-rectification'",
      [],
    );
    expect(instance!.variables).toMatchObject({ rating: 2, comment: "等待时间太长" });
    expect(JSON.stringify(instance!.variables)).not.toContain("王建国");
    expect(JSON.stringify(instance!.variables)).not.toContain(citizen.username);
    const stats = json<{ items: { key: string; count: number; bad: number }[] }>(
      await call(admin, "GET", "/api/services/evaluations/stats"),
    );
    expect(stats.items.find((i) => i.key === serviceId)).toMatchObject({ count: 1, bad: 1 });
    const metrics = json<{
      items: { key: string; fieldsPrefilled: number; materialsUploaded: number; visits: number }[];
    }>(await call(admin, "GET", "/api/services/metrics"));
    expect(metrics.items.find((i) => i.key === serviceId)).toMatchObject({
      fieldsPrefilled: 2,
      materialsUploaded: 2,
      visits: 0,
    });
  });

  it("anyone with the receipt follows the status by its code, without personal data", async () => {
    const v = json<View>(await call(citizen, "GET", `/api/services/applications/${appId}`));
    const res = await call(null, "GET", `/api/services/track/${v.receiptNo}?code=${v.trackingCode}`);
    expect(res.statusCode, res.body).toBe(200);
    expect(json(res)).toMatchObject({ status: "delivered", serviceName: "个体工商户设立登记" });
    expect(res.body).not.toContain("王建国");
    expect((await call(null, "GET", `/api/services/track/${v.receiptNo}?code=AAAAAAAA`)).statusCode).toBe(
      404,
    );
  });
});

describe("deadlines, the window and the list", () => {
  it("turns yellow at 80 % of the promised time and red when overdue, on the desk and the board", async () => {
    // A walk-in at the window: the clerk applies on 王建国's behalf for the licence.
    const walkIn = await call(clerk, "POST", "/api/services/applications", {
      serviceId,
      subject: WANG,
      data: { businessName: "王记早餐", staff: 1 },
    });
    expect(walkIn.statusCode, walkIn.body).toBe(201);
    const w = json<View & { onBehalf: boolean; channel: string }>(walkIn);
    expect(w).toMatchObject({
      onBehalf: true,
      channel: "window",
      data: { name: "王建国", phone: "13800138000" },
    });
    await upload(clerk, w.id, "id-card", PDF);
    await upload(clerk, w.id, "premises", PDF);
    const submitted = await call(clerk, "POST", `/api/services/applications/${w.id}/submit`);
    expect(submitted.statusCode, submitted.body).toBe(200);
    // The citizen finds it among their own.
    const mine = json<{ items: { id: string; onBehalf: boolean }[] }>(
      await call(citizen, "GET", "/api/services/applications"),
    );
    expect(mine.items.find((i) => i.id === w.id)?.onBehalf).toBe(true);

    const due = new Date(json<View>(submitted).deadline!.dueAt);
    await advance(due.getTime() - clock.now().getTime() - 6 * 3_600_000); // the last day: yellow
    expect(json<View>(await call(clerk, "GET", `/api/services/applications/${w.id}`)).deadline!.level).toBe(
      "yellow",
    );
    await advance(12 * 3_600_000); // past the deadline: red
    // The board compares with the database's own clock, so the test moves the deadline instead.
    await rawQuery(
      t.platform.db,
      "update services.applications set due_at = now() - interval '1 hour', warn_at = now() - interval '2 day' where id = $1",
      [w.id],
    );
    expect(json<View>(await call(clerk, "GET", `/api/services/applications/${w.id}`)).deadline!.level).toBe(
      "red",
    );
    const red = json<{ items: { id: string }[] }>(
      await call(clerk, "GET", "/api/services/desk?box=accept&level=red"),
    );
    expect(red.items.map((i) => i.id)).toEqual([w.id]);
    const board = json<{ totals: { red: number }; overdue: { id: string }[] }>(
      await call(admin, "GET", "/api/services/supervision"),
    );
    expect(board.totals.red).toBe(1);
    expect(board.overdue.map((o) => o.id)).toEqual([w.id]);
  });

  it("a task completed from the generic inbox moves the application too", async () => {
    const { items } = json<{ items: { id: string }[] }>(
      await call(clerk, "GET", "/api/services/desk?box=accept"),
    );
    const id = items[0]!.id;
    const [task] = await rawQuery<{ id: string }>(
      t.platform.db,
      `select t.id from workflow.tasks t join workflow.instances i on i.id = t.instance_id
        where i.business_key = $1 and t.state = 'open' and t.element_id = 'accept'`,
      [id],
    );
    const done = await call(clerk, "POST", `/api/workflow/tasks/${task!.id}/complete`, {
      variables: { decision: "accept", opinion: "窗口受理" },
    });
    expect(done.statusCode, done.body).toBe(200);
    await eventually(async () => {
      await drain();
      return json<View>(await call(clerk, "GET", `/api/services/applications/${id}`)).status === "accepted";
    });
    const history = json<View>(await call(clerk, "GET", `/api/services/applications/${id}`)).history;
    expect(history.filter((h) => h.action === "accepted")).toHaveLength(1);
  });

  it("即办件 are decided when the window accepts them", async () => {
    const res = await call(citizen, "POST", "/api/services/applications", {
      serviceId: instantId,
      data: { businessName: "建国小吃店", staff: 3 },
    });
    const id = json<View>(res).id;
    expect((await call(citizen, "POST", `/api/services/applications/${id}/submit`)).statusCode).toBe(200);
    const accepted = json<View>(await call(clerk, "POST", `/api/services/applications/${id}/accept`, {}));
    expect(accepted).toMatchObject({ status: "approved", decision: { approved: true } });
    expect(accepted.actions).toContain("deliver");
  });

  it("清单之外无审批: a withdrawn item takes no applications and none of it is accepted", async () => {
    const draft = json<View>(
      await call(citizen, "POST", "/api/services/applications", {
        serviceId,
        data: { businessName: "再开一家", staff: 1 },
      }),
    );
    await upload(citizen, draft.id, "id-card", PDF);
    await upload(citizen, draft.id, "premises", PDF);
    expect((await call(citizen, "POST", `/api/services/applications/${draft.id}/submit`)).statusCode).toBe(
      200,
    );
    const withdrawn = await call(admin, "POST", `/api/services/items/${serviceId}/withdraw`, {
      reason: "事项调整",
    });
    expect(withdrawn.statusCode, withdrawn.body).toBe(200);
    expect((await call(clerk, "POST", `/api/services/applications/${draft.id}/accept`, {})).statusCode).toBe(
      409,
    );
    expect(
      (await call(citizen, "POST", "/api/services/applications", { serviceId, data: {} })).statusCode,
    ).toBe(404);
    expect(
      json<{ total: number }>(await call(null, "GET", `/api/services?q=${encodeURIComponent("个体工商户")}`))
        .total,
    ).toBe(0);
    // The applicant can still withdraw what cannot be handled any more.
    expect(
      json<View>(
        await call(citizen, "POST", `/api/services/applications/${draft.id}/withdraw`, {
          reason: "改日再办",
        }),
      ).status,
    ).toBe("withdrawn");
  });
});

describe("enterprises", () => {
  it("an enterprise applies for a legal-person item; a citizen cannot", async () => {
    const legal = await call(
      admin,
      "POST",
      "/api/services/items",
      item("BA00301000-440118000000-001-01", {
        basicCode: "BA00301000",
        itemType: "行政备案",
        name: "单用途商业预付卡备案",
        applicantTypes: ["legal"],
        materials: [],
        form: {
          type: "object",
          additionalProperties: false,
          required: ["name", "uscc"],
          properties: {
            name: { type: "string", title: "企业名称", maxLength: 100, "x-prefill": "name" },
            uscc: { type: "string", title: "统一社会信用代码", maxLength: 18, "x-prefill": "uscc" },
            cardType: { type: "string", title: "预付卡类型", enum: ["记名卡", "不记名卡"] },
          },
        },
        uiSchema: { "ui:order": ["name", "uscc", "cardType"] },
      }),
    );
    expect(legal.statusCode, legal.body).toBe(201);
    const legalId = json<{ id: string }>(legal).id;
    await call(admin, "POST", `/api/services/items/${legalId}/publish`);
    const enterpriseId = newId();
    await rawQuery(
      t.platform.db,
      "insert into identity.enterprises (id, uscc, name, kind) values ($1, '91440101MA5CXXXX1X', '云溪星火餐饮有限公司', 'company')",
      [enterpriseId],
    );
    const company = await buildUser(t.platform, { roles: ["enterprise"] });
    await rawQuery(t.platform.db, "update identity.users set enterprise_id = $2 where id = $1", [
      company.id,
      enterpriseId,
    ]);
    tokens.set(company, await company.token(t.app));
    expect(
      (await call(citizen, "POST", "/api/services/applications", { serviceId: legalId, data: {} }))
        .statusCode,
    ).toBe(422);
    const res = await call(company, "POST", "/api/services/applications", {
      serviceId: legalId,
      data: { cardType: "记名卡" },
    });
    expect(res.statusCode, res.body).toBe(201);
    // The legal-person base does not know the company yet: nothing is pre-filled, the form asks for it.
    const v = json<View & { applicant: { kind: string; name: string } }>(res);
    expect(v.applicant).toMatchObject({ kind: "legal", name: "云溪星火餐饮有限公司" });
    expect(v.prefilled).toEqual({});
    const submit = await call(company, "POST", `/api/services/applications/${v.id}/submit`);
    expect(submit.statusCode).toBe(400);
    await call(company, "PATCH", `/api/services/applications/${v.id}`, {
      data: { name: "云溪星火餐饮有限公司", uscc: "91440101MA5CXXXX1X", cardType: "记名卡" },
    });
    expect((await call(company, "POST", `/api/services/applications/${v.id}/submit`)).statusCode).toBe(200);
    expect(
      json<{ items: { id: string }[] }>(await call(company, "GET", "/api/services/applications")).items.map(
        (i) => i.id,
      ),
    ).toEqual([v.id]);
  });
});

describe("随手拍", () => {
  it("a citizen reports a problem with a place and a photo; it is published for the operations network", async () => {
    const photo = Buffer.from([0xff, 0xd8, 0xff, 0xe0, 1, 2, 3, 4]).toString("base64");
    const noPlace = await call(citizen, "POST", "/api/services/reports", {
      category: "illegal-parking",
      description: "占用盲道",
    });
    expect(noPlace.statusCode).toBe(400);
    const res = await call(citizen, "POST", "/api/services/reports", {
      category: "illegal-parking",
      description: "占用盲道",
      address: "花城大道123号",
      location: { lng: 113.32, lat: 23.12 },
      photo,
    });
    expect(res.statusCode, res.body).toBe(201);
    const [event] = await rawQuery<{ payload: { category: string; hasPhoto: boolean } }>(
      t.platform.db,
      "select payload from platform.outbox where topic = 'services.city-report.submitted'",
      [],
    );
    expect(event!.payload).toMatchObject({ category: "illegal-parking", hasPhoto: true });
    expect(json<unknown[]>(await call(citizen, "GET", "/api/services/reports"))).toHaveLength(1);
    expect(
      (
        await call(clerk, "POST", "/api/services/reports", {
          category: "other",
          description: "x",
          address: "y",
        })
      ).statusCode,
    ).toBe(403);
  });
});
