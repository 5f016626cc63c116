import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  buildCitizen,
  buildDepartment,
  buildUser,
  type TestDepartment,
  type TestUser,
} from "../../../test/factories";
import { json, ManualClock, startTestApp, type TestApp } from "../../../test/harness";
import { rawQuery } from "../../kernel/db/db";
import { systemCtx } from "../../kernel/http/context";
import type { DataItem, ResourceInput } from "./catalog/catalog.types";

let t: TestApp;
let clock: ManualClock;
let provider: TestDepartment;
let consumer: TestDepartment;
let providerOfficer: TestUser;
let consumerOfficer: TestUser;
let bureauStaff: TestUser;
let outsider: TestUser;
let citizenUser: TestUser;
const tokens = new Map<TestUser, string>();
const as = (u: TestUser) => ({ authorization: `Bearer ${tokens.get(u)}` });
const DAY = 86_400_000;
const ID_NUMBER = "440105199003071234";

const item = (name: string, title: string, extra: Partial<DataItem> = {}): DataItem => ({
  name,
  title,
  type: "string",
  length: 100,
  grade: "general",
  personal: false,
  sensitive: false,
  mask: "none",
  baseField: null,
  ...extra,
});
const population: ResourceInput = {
  name: "人口基本信息",
  summary: "全区户籍和常住人口的基本身份信息，供各部门核验身份、户籍使用。",
  categoryCode: "101",
  format: "数据库",
  sharingType: "conditional",
  sharingCondition: "仅限依法履职核验身份时使用",
  sharingBasis: "《中华人民共和国个人信息保护法》第十三条",
  sharingMethod: "api",
  openType: "closed",
  updateCycle: "daily",
  keyItem: "idNumber",
  items: [
    item("idNumber", "公民身份号码", {
      grade: "important",
      personal: true,
      mask: "id",
      baseField: "person.idNumber",
    }),
    item("name", "姓名", { personal: true, mask: "name", baseField: "person.name" }),
    item("phone", "联系电话", { personal: true, mask: "phone" }),
    item("disability", "残疾等级", { personal: true, sensitive: true, mask: "all" }),
    item("watchFlag", "重点人员标识", { grade: "core", personal: true, sensitive: true, mask: "all" }),
  ],
};

async function post(u: TestUser | null, url: string, payload: unknown) {
  return t.app.inject({ method: "POST", url, headers: u ? as(u) : {}, payload: payload as object });
}
async function get(u: TestUser, url: string) {
  return t.app.inject({ method: "GET", url, headers: as(u) });
}
async function drain() {
  while ((await t.platform.jobs.runDue()) > 0) {}
}
/** Completes the request's open task as a user (the inbox's own route). */
async function act(u: TestUser, requestId: string, variables: Record<string, unknown>) {
  const request = json<{ openTaskId: string | null }>(await get(u, `/api/datahub/requests/${requestId}`));
  expect(request.openTaskId, `${u.username} has no task on ${requestId}`).toBeTruthy();
  const done = await post(u, `/api/workflow/tasks/${request.openTaskId}/complete`, { variables });
  expect(done.statusCode, done.body).toBe(200);
  await drain();
}

async function registerResource(input: ResourceInput = population) {
  const res = await post(providerOfficer, "/api/datahub/resources", input);
  expect(res.statusCode, res.body).toBe(201);
  return json<{ id: string; code: string; version: number; grade: string }>(res);
}

async function exchangeToken(clientId: string, secret: string) {
  const res = await t.app.inject({
    method: "POST",
    url: "/exchange/oauth/token",
    headers: {
      "content-type": "application/x-www-form-urlencoded",
      authorization: `Basic ${Buffer.from(`${clientId}:${secret}`).toString("base64")}`,
    },
    payload: "grant_type=client_credentials",
  });
  expect(res.statusCode, res.body).toBe(200);
  return json<{ access_token: string }>(res).access_token;
}

const call = (token: string, code: string, query: string) =>
  t.app.inject({
    method: "GET",
    url: `/exchange/v1/${code}?${query}`,
    headers: { authorization: `Bearer ${token}` },
  });

beforeAll(async () => {
  clock = new ManualClock(new Date("2026-12-01T02:00:00.000Z")); // Tuesday 10:00 in Guangzhou
  t = await startTestApp({ clock, env: { TOKEN_TTL_SECONDS: String(30 * 86_400) } });
  const government = await buildDepartment(t.platform, "government");
  provider = await buildDepartment(t.platform, "bureau", government);
  consumer = await buildDepartment(t.platform, "bureau", government);
  const dataBureau = await buildDepartment(t.platform, "bureau", government);
  providerOfficer = await buildUser(t.platform, { roles: ["dataofficer"], department: provider });
  consumerOfficer = await buildUser(t.platform, { roles: ["officer", "dataofficer"], department: consumer });
  bureauStaff = await buildUser(t.platform, { roles: ["databureau"], department: dataBureau });
  outsider = await buildUser(t.platform, {
    roles: ["dataofficer"],
    department: await buildDepartment(t.platform, "bureau", government),
  });
  const citizen = await buildCitizen(t.platform, {
    idNumber: ID_NUMBER,
    name: "王小明",
    phone: "13812345678",
  });
  citizenUser = await buildUser(t.platform, { roles: ["citizen"], citizenId: citizen.id });
  await t.platform.db.transaction((tx) =>
    t.platform.workflow.deployLibrary(systemCtx(tx, t.platform.clock, t.platform.log, "test")),
  );
  for (const u of [providerOfficer, consumerOfficer, bureauStaff, outsider, citizenUser])
    tokens.set(u, await u.token(t.app));
}, 60_000);
afterAll(async () => {
  await t?.close();
});

describe("catalog (政务数据资源目录)", () => {
  it("registers a resource with a code in its category, finds it by Chinese words in any order, counts facets, keeps versions", async () => {
    const created = await registerResource({ ...population, name: "户籍人口基本信息" });
    expect(created.code).toMatch(/^101\/\d{6}$/);
    expect(created.grade).toBe("core"); // 就高从严: the highest grade of its items
    const found = json<{
      items: { id: string }[];
      total: number;
      facets: Record<string, { value: string; count: number }[]>;
    }>(await get(consumerOfficer, `/api/datahub/resources?q=${encodeURIComponent("身份 户籍")}`));
    expect(found.items.map((i) => i.id)).toContain(created.id);
    expect(found.facets.sharingType!.find((f) => f.value === "conditional")!.count).toBeGreaterThan(0);
    const none = json<{ total: number }>(
      await get(consumerOfficer, `/api/datahub/resources?q=${encodeURIComponent("气象卫星")}`),
    );
    expect(none.total).toBe(0);

    const updated = await t.app.inject({
      method: "PUT",
      url: `/api/datahub/resources/${created.id}`,
      headers: as(providerOfficer),
      payload: { ...population, name: "户籍人口基本信息（2027版）", code: created.code },
    });
    expect(updated.statusCode, updated.body).toBe(200);
    expect(json<{ version: number }>(updated).version).toBe(2);
    const foreign = await t.app.inject({
      method: "PUT",
      url: `/api/datahub/resources/${created.id}`,
      headers: as(outsider),
      payload: population,
    });
    expect(foreign.statusCode).toBe(403);
  });

  it("refuses a conditional resource without its basis, naming the field", async () => {
    const res = await post(providerOfficer, "/api/datahub/resources", { ...population, sharingBasis: null });
    expect(res.statusCode).toBe(400);
    expect(json<{ errors: { field: string }[] }>(res).errors.map((e) => e.field)).toContain(
      "/body/sharingBasis",
    );
  });

  it("exports the catalog as DCAT-AP JSON-LD and as Turtle", async () => {
    const ld = await t.app.inject({ method: "GET", url: "/datahub/catalog.jsonld" });
    expect(ld.statusCode).toBe(200);
    expect(ld.headers["content-type"]).toContain("application/ld+json");
    expect(ld.body).toContain("dcat:Dataset");
    const ttl = await t.app.inject({
      method: "GET",
      url: "/datahub/catalog.jsonld",
      headers: { accept: "text/turtle" },
    });
    expect(ttl.headers["content-type"]).toContain("text/turtle");
    expect(ttl.body).toContain("dcat:Catalog");
  });
});

describe("sharing and the exchange gateway", () => {
  let resourceId: string;
  let code: string;
  let token: string;
  let credentials: [string, string];

  it("runs a conditional request through check and approval, provisions the grant, and the gateway serves masked fields", async () => {
    const resource = await registerResource();
    resourceId = resource.id;
    code = resource.code;
    const loaded = await post(providerOfficer, `/api/datahub/resources/${resourceId}/records`, {
      records: [
        { idNumber: ID_NUMBER, name: "王小明", phone: "13812345678", disability: "二级", watchFlag: "是" },
      ],
    });
    expect(loaded.statusCode, loaded.body).toBe(200);
    // Sensitive items are sealed at rest: the plain value is nowhere in the stored row.
    const [stored] = await rawQuery<{ data: unknown; sealed: Buffer | null }>(
      t.platform.db,
      "select data, sealed from datahub.records where resource_id = $1",
      [resourceId],
    );
    expect(JSON.stringify(stored!.data)).not.toContain("二级");
    expect(stored!.sealed).not.toBeNull();
    expect(Buffer.from(stored!.sealed!).toString("utf8")).not.toContain("二级");

    const coreClear = await post(consumerOfficer, "/api/datahub/requests", {
      resourceId,
      fields: ["name", "watchFlag"],
      clearFields: ["watchFlag"],
      purposeCode: "assistance-check",
      purpose: "核验社会救助申请人身份",
      legalBasis: "《社会救助暂行办法》第十一条",
      periodFrom: "2026-12-01",
      periodTo: "2026-12-31",
      expectedDailyVolume: 100,
    });
    expect(coreClear.statusCode).toBe(400);
    expect(coreClear.body).toContain("/body/clearFields/0");

    const created = await post(consumerOfficer, "/api/datahub/requests", {
      resourceId,
      fields: ["idNumber", "name", "phone", "disability", "watchFlag"],
      clearFields: ["name"],
      purposeCode: "assistance-check",
      purpose: "核验社会救助申请人身份",
      legalBasis: "《社会救助暂行办法》第十一条",
      periodFrom: "2026-12-01",
      periodTo: "2026-12-31",
      expectedDailyVolume: 100,
    });
    expect(created.statusCode, created.body).toBe(201);
    const request = json<{ id: string; status: string }>(created);
    expect(request.status).toBe("checking");
    await act(bureauStaff, request.id, { approved: true, opinion: "用途明确，依据充分" });
    expect(
      json<{ status: string }>(await get(consumerOfficer, `/api/datahub/requests/${request.id}`)).status,
    ).toBe("provider-review");
    await act(providerOfficer, request.id, { approved: true, opinion: "同意", rateLimitPerMinute: 5 });
    const granted = json<{ status: string; grantId: string; history: { step: string }[] }>(
      await get(consumerOfficer, `/api/datahub/requests/${request.id}`),
    );
    expect(granted.status).toBe("granted");
    expect(granted.history.map((h) => h.step)).toEqual(["提出申请", "合规审核", "提供方审核", "授权"]);

    const client = await post(consumerOfficer, "/api/datahub/clients", { name: "社会救助审核系统" });
    expect(client.statusCode, client.body).toBe(201);
    const { clientId, clientSecret } = json<{ clientId: string; clientSecret: string }>(client);
    credentials = [clientId, clientSecret];
    token = await exchangeToken(clientId, clientSecret);
    const res = await call(token, code, `purpose=assistance-check&key=${ID_NUMBER}`);
    expect(res.statusCode, res.body).toBe(200);
    const body = json<{ records: Record<string, string>[] }>(res);
    expect(body.records).toEqual([
      {
        idNumber: "440105********1234",
        name: "王小明",
        phone: "138****5678",
        disability: "******",
        watchFlag: "******",
      },
    ]);
    // Audited with hashed record keys, counted, and visible to the citizen whose data it was.
    const [audit] = await rawQuery<{ details: { keys: string[]; purpose: string } | string }>(
      t.platform.db,
      "select details from audit.records where action = 'datahub.exchange.called' and outcome = 'success' order by id desc limit 1",
      [],
    );
    const details = typeof audit!.details === "string" ? JSON.parse(audit!.details) : audit!.details;
    expect(details.purpose).toBe("assistance-check");
    expect(JSON.stringify(details)).not.toContain(ID_NUMBER);
    const usage = json<{ total: { calls: number } }>(await get(consumerOfficer, "/api/datahub/usage"));
    expect(usage.total.calls).toBe(1);
    const uses = json<{ items: { departmentName: string; fields: string[]; purpose: string }[] }>(
      await get(citizenUser, "/api/datahub/my-data-uses"),
    );
    expect(uses.items[0]!.fields).toContain("公民身份号码");
    expect(uses.items[0]!.purpose).toBe("assistance-check");
  });

  it("refuses calls without purpose, outside the fields, with a forged token, over the rate, audited and without data", async () => {
    const before = await rawQuery<{ n: number }>(
      t.platform.db,
      "select count(*)::int as n from audit.records where action = 'datahub.exchange.called' and outcome = 'denied'",
      [],
    );
    const cases: [string, string, number, string][] = [
      [token, `key=${ID_NUMBER}`, 400, "PURPOSE_REQUIRED"],
      [token, `purpose=other-purpose&key=${ID_NUMBER}`, 403, "NO_GRANT"],
      [token, `purpose=assistance-check&key=${ID_NUMBER}&fields=name,address`, 403, "FIELD_NOT_GRANTED"],
      [`${token.slice(0, -4)}AAAA`, `purpose=assistance-check&key=${ID_NUMBER}`, 401, "INVALID_TOKEN"],
    ];
    for (const [tok, query, status, problem] of cases) {
      const res = await call(tok, code, query);
      expect(res.statusCode, res.body).toBe(status);
      expect(json<{ code: string }>(res).code).toBe(problem);
      expect(res.body).not.toContain("王小明");
    }
    // The grant allows 5 calls a minute; one was made above.
    const statuses: number[] = [];
    for (let i = 0; i < 5; i++)
      statuses.push((await call(token, code, `purpose=assistance-check&key=${ID_NUMBER}`)).statusCode);
    expect(statuses).toEqual([200, 200, 200, 200, 429]);
    const after = await rawQuery<{ n: number }>(
      t.platform.db,
      "select count(*)::int as n from audit.records where action = 'datahub.exchange.called' and outcome = 'denied'",
      [],
    );
    expect(after[0]!.n - before[0]!.n).toBe(5);
  });

  it("answers concurrent calls, read together, each with its own records and fields only", async () => {
    clock.advance(61_000); // a new rate window
    const second = "11010519491231002X";
    const loaded = await post(providerOfficer, `/api/datahub/resources/${resourceId}/records`, {
      records: [
        { idNumber: second, name: "李华", phone: "13900001111", disability: "一级", watchFlag: "否" },
      ],
    });
    expect(loaded.statusCode, loaded.body).toBe(200);
    const [first, other, both, unknown] = await Promise.all([
      call(token, code, `purpose=assistance-check&key=${ID_NUMBER}&fields=name`),
      call(token, code, `purpose=assistance-check&key=${second}`),
      call(token, code, `purpose=assistance-check&keys=${ID_NUMBER},${second}&fields=phone`),
      call(token, code, "purpose=assistance-check&key=110105194912310011"),
    ]);
    const records = (res: typeof first) => {
      expect(res.statusCode, res.body).toBe(200);
      return json<{ records: Record<string, string>[] }>(res).records;
    };
    expect(records(first)).toEqual([{ name: "王小明" }]);
    expect(records(other)).toEqual([
      {
        idNumber: "110105********002X",
        name: "李华",
        phone: "139****1111",
        disability: "******",
        watchFlag: "******",
      },
    ]);
    expect(records(both)).toEqual([{ phone: "138****5678" }, { phone: "139****1111" }]);
    expect(records(unknown)).toEqual([]);
  });

  it("stops at once when the grant is revoked, and a 不予共享 resource cannot be requested", async () => {
    clock.advance(61_000); // a new rate window
    const grants = json<{ id: string }[]>(await get(providerOfficer, "/api/datahub/grants?box=provider"));
    const revoked = await post(providerOfficer, `/api/datahub/grants/${grants[0]!.id}/revoke`, {
      reason: "用途已完成",
    });
    expect(revoked.statusCode, revoked.body).toBe(200);
    const res = await call(token, code, `purpose=assistance-check&key=${ID_NUMBER}`);
    expect(res.statusCode).toBe(403);

    const secret = await registerResource({
      ...population,
      name: "重点人员管控信息",
      sharingType: "none",
      sharingBasis: "涉及工作秘密",
    });
    const asked = await post(consumerOfficer, "/api/datahub/requests", {
      resourceId: secret.id,
      fields: ["name"],
      purposeCode: "assistance-check",
      purpose: "核验",
      legalBasis: "无",
      periodFrom: "2026-12-01",
      periodTo: "2026-12-31",
      expectedDailyVolume: 1,
    });
    expect(asked.statusCode).toBe(422);
    expect(json<{ code: string }>(asked).code).toBe("RESOURCE_NOT_SHAREABLE");
    const direct = await call(token, secret.code, `purpose=assistance-check&key=${ID_NUMBER}`);
    expect(direct.statusCode).toBe(422);
  });

  it("grants an unconditional resource at once and stops serving it after expiry", async () => {
    const open = await registerResource({
      ...population,
      name: "企业登记基本信息",
      categoryCode: "102",
      sharingType: "unconditional",
      sharingCondition: null,
      sharingBasis: null,
    });
    const asked = await post(consumerOfficer, "/api/datahub/requests", {
      resourceId: open.id,
      fields: ["name"],
      purposeCode: "licence-check",
      purpose: "核验许可申请人",
      legalBasis: "《政务数据共享条例》",
      periodFrom: "2026-12-01",
      periodTo: "2026-12-02",
      expectedDailyVolume: 10,
    });
    expect(asked.statusCode, asked.body).toBe(201);
    expect(json<{ status: string }>(asked).status).toBe("granted");
    await post(providerOfficer, `/api/datahub/resources/${open.id}/records`, {
      records: [{ idNumber: ID_NUMBER, name: "王小明" }],
    });
    expect((await call(token, open.code, `purpose=licence-check&key=${ID_NUMBER}`)).statusCode).toBe(200);
    clock.advance(2 * DAY); // past 2026-12-02 in China
    token = await exchangeToken(...credentials); // the earlier token expired meanwhile
    expect((await call(token, open.code, `purpose=licence-check&key=${ID_NUMBER}`)).statusCode).toBe(403);
    await drain();
    const grants = json<{ status: string; resourceId: string }[]>(
      await get(consumerOfficer, "/api/datahub/grants?box=consumer"),
    );
    expect(grants.find((g) => g.resourceId === open.id)!.status).toBe("expired");
  });

  it("a refusal gives reasons, the consumer disputes it, and the data bureau's decision grants", async () => {
    const created = await post(consumerOfficer, "/api/datahub/requests", {
      resourceId,
      fields: ["name"],
      purposeCode: "resident-survey",
      purpose: "人口抽样调查",
      legalBasis: "《全国人口普查条例》",
      periodFrom: "2026-12-01",
      periodTo: "2027-06-30",
      expectedDailyVolume: 10,
    });
    const id = json<{ id: string }>(created).id;
    await act(bureauStaff, id, { approved: true, opinion: "合规" });
    await act(providerOfficer, id, { approved: false, opinion: "用途超出共享条件" });
    const refused = json<{ status: string; refusal: { reason: string } }>(
      await get(consumerOfficer, `/api/datahub/requests/${id}`),
    );
    expect(refused.status).toBe("refused");
    expect(refused.refusal.reason).toBe("用途超出共享条件");
    const outsiderDispute = await post(outsider, `/api/datahub/requests/${id}/dispute`, { reason: "x" });
    expect(outsiderDispute.statusCode).toBe(404);
    const disputed = await post(consumerOfficer, `/api/datahub/requests/${id}/dispute`, {
      reason: "属于法定职责范围",
    });
    expect(disputed.statusCode, disputed.body).toBe(200);
    await drain();
    expect(json<{ status: string }>(await get(consumerOfficer, `/api/datahub/requests/${id}`)).status).toBe(
      "disputed",
    );
    await act(bureauStaff, id, { approved: true, opinion: "协调后准予共享" });
    expect(json<{ status: string }>(await get(consumerOfficer, `/api/datahub/requests/${id}`)).status).toBe(
      "granted",
    );
  });

  it("escalates a provider review that runs past its working-day deadline", async () => {
    const created = await post(consumerOfficer, "/api/datahub/requests", {
      resourceId,
      fields: ["name"],
      purposeCode: "late-review",
      purpose: "测试超时",
      legalBasis: "无",
      periodFrom: "2026-12-01",
      periodTo: "2027-06-30",
      expectedDailyVolume: 10,
    });
    const id = json<{ id: string }>(created).id;
    await act(bureauStaff, id, { approved: true, opinion: "合规" });
    clock.advance(10 * DAY);
    await drain();
    const late = json<{ escalated: boolean; status: string }>(
      await get(consumerOfficer, `/api/datahub/requests/${id}`),
    );
    expect(late.escalated).toBe(true);
    expect(late.status).toBe("provider-review");
  });
});

describe("responsibility list and error reports (数源责任清单, 数据纠错)", () => {
  it("names one authoritative department per field, refuses a conflict, and routes an error report to it", async () => {
    const assigned = await post(bureauStaff, "/api/datahub/responsibilities", {
      base: "population",
      field: "name",
      title: "姓名",
      departmentId: provider.id,
    });
    expect(assigned.statusCode, assigned.body).toBe(201);
    const conflict = await post(bureauStaff, "/api/datahub/responsibilities", {
      base: "population",
      field: "name",
      title: "姓名",
      departmentId: consumer.id,
    });
    expect(conflict.statusCode).toBe(409);
    expect(json<{ code: string }>(conflict).code).toBe("RESPONSIBILITY_CONFLICT");
    const notBureau = await post(providerOfficer, "/api/datahub/responsibilities", {
      base: "population",
      field: "phone",
      title: "电话",
      departmentId: provider.id,
    });
    expect(notBureau.statusCode).toBe(403);

    const resources = json<{ items: { id: string }[] }>(
      await get(consumerOfficer, "/api/datahub/resources?q=%E4%BA%BA%E5%8F%A3"),
    );
    const report = await post(consumerOfficer, "/api/datahub/error-reports", {
      resourceId: resources.items[0]!.id,
      recordKey: ID_NUMBER,
      item: "name",
      correctValue: "王晓明",
      reason: "与户口簿不一致",
    });
    expect(report.statusCode, report.body).toBe(201);
    const reportId = json<{ id: string }>(report).id;
    const assignedToProvider = json<{ id: string; taskId: string }[]>(
      await get(providerOfficer, "/api/datahub/error-reports?box=assigned"),
    );
    const mine = assignedToProvider.find((r) => r.id === reportId)!;
    expect(mine.taskId).toBeTruthy();
    const done = await post(providerOfficer, `/api/workflow/tasks/${mine.taskId}/complete`, {
      variables: { accepted: true, reply: "已核实更正" },
    });
    expect(done.statusCode, done.body).toBe(200);
    await drain();
    const outcome = json<{ id: string; status: string; reply: string }[]>(
      await get(consumerOfficer, "/api/datahub/error-reports?box=mine"),
    );
    expect(outcome.find((r) => r.id === reportId)).toMatchObject({ status: "accepted", reply: "已核实更正" });
  });
});
