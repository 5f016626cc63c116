import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import iconv from "iconv-lite";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  buildCitizen,
  buildDepartment,
  buildUser,
  type TestDepartment,
  type TestUser,
} from "../../../../test/factories";
import { json, ManualClock, startTestApp, type TestApp } from "../../../../test/harness";
import { rawQuery } from "../../../kernel/db/db";
import { citizenIdCheckChar } from "../../../kernel/identity/identifiers";

let t: TestApp;
let clock: ManualClock;
let police: TestDepartment;
let civil: TestDepartment;
let policeOfficer: TestUser;
let civilOfficer: TestUser;
let bureau: TestUser;
let outsider: TestUser;
let citizenUser: TestUser;
const tokens = new Map<TestUser, string>();
const as = (u: TestUser) => ({ authorization: `Bearer ${tokens.get(u)}` });

/** A valid citizen ID number with this region, birth date and sequence. */
const id = (birth: string, seq: string) => {
  const first = `440120${birth}${seq}`;
  return first + citizenIdCheckChar(first);
};
const WANG = id("19850312", "123"); // 王建国
const LI = id("19900705", "246"); // 李秀英
const CHEN = id("19780101", "357"); // 陈伟明 (traditional 陳偉明 in one source)
const ZHAO = id("19920220", "468"); // 赵敏, only in the police file's first load
const OLD = "440120560101123"; // a 15-digit legacy ID of 刘德, born 1956-01-01
const CHEN_TYPO = `${CHEN.slice(0, 14)}${CHEN[15]}${CHEN[14]}${CHEN.slice(16)}`; // two digits swapped

const POLICE_CSV = [
  "记录编号,姓名,公民身份号码,性别,出生日期,联系电话,户籍地址",
  `P1,王建国,${WANG},男,1985-03-12,13800138000,广东省广州市云溪区花城街道花城大道123号4栋501房`,
  `P2,李秀英,${LI},女,1990/7/5,+86 139-0013-9000,广州市云溪区江畔街道滨江路8号2栋1201`,
  `P3,陳偉明,${CHEN},男,19780101,13700137000,广州市云溪区花城街道花城大道200号`,
  `P4,赵敏,${ZHAO},女,1992年2月20日,13600136000,广州市云溪区江畔街道滨江路9号`,
  `P5,刘德,${OLD},男,1956-01-01,,广州市云溪区老城街道中山路1号`,
  "P6,缺一列,440120",
  ",无编号,,,,,",
].join("\n");

// Civil affairs: no ID for some people, a typo in one name, a newer phone for 王建国, GBK-encoded.
const CIVIL_CSV = [
  "档案号,姓名,身份证号,出生日期,手机,现住址",
  `C1,王建囯,,1985-03-12,13800138000,广州市云溪区花城街道花城大道123号4栋501房`,
  `C2,李秀英,${LI},1990-07-05,13900139001,广州市云溪区江畔街道滨江路8号2栋1201`,
  `C3,陈伟明,${CHEN_TYPO},1978-01-01,,广州市云溪区花城街道花城大道200号`,
  `C4,张三丰,,1960-10-10,13500135000,广州市云溪区北岭街道岭南路66号`,
].join("\n");

async function post(u: TestUser, url: string, payload: unknown) {
  return t.app.inject({ method: "POST", url, headers: as(u), payload: payload as object });
}
async function get(u: TestUser, url: string) {
  return t.app.inject({ method: "GET", url, headers: as(u) });
}
async function load(u: TestUser, source: string, body: string | Buffer, type = "text/csv", mode = "full") {
  return t.app.inject({
    method: "POST",
    url: `/api/datahub/master/imports?source=${source}&mode=${mode}`,
    headers: { ...as(u), "content-type": type },
    payload: body,
  });
}
interface Report {
  status: string;
  rowsRead: number;
  rowsRejected: number;
  inserted: number;
  changed: number;
  unchanged: number;
  deleted: number;
  linkedExact: number;
  linkedFuzzy: number;
  newEntities: number;
  toReview: number;
  invalidValues: number;
  encoding: string;
  problems: { line: number; reason: string; column?: string }[];
}
interface Golden {
  id: string;
  version: number;
  sources: number;
  fields: Record<
    string,
    { value: unknown; source: string; departmentName: string; rule: string; masked: boolean }
  >;
}
const record = async (u: TestUser, key: string, base = "population") =>
  json<Golden>(await get(u, `/api/datahub/registries/${base}/records/${key}`));

beforeAll(async () => {
  clock = new ManualClock(new Date("2026-12-01T02:00:00.000Z"));
  t = await startTestApp({ clock });
  const government = await buildDepartment(t.platform, "government");
  police = await buildDepartment(t.platform, "bureau", government);
  civil = await buildDepartment(t.platform, "bureau", government);
  const dataBureau = await buildDepartment(t.platform, "bureau", government);
  policeOfficer = await buildUser(t.platform, { roles: ["dataofficer"], department: police });
  civilOfficer = await buildUser(t.platform, { roles: ["dataofficer"], department: civil });
  bureau = await buildUser(t.platform, { roles: ["databureau"], department: dataBureau });
  outsider = await buildUser(t.platform, {
    roles: ["clerk"],
    department: await buildDepartment(t.platform, "bureau", government),
  });
  const citizen = await buildCitizen(t.platform, { idNumber: LI, name: "李秀英" });
  citizenUser = await buildUser(t.platform, { roles: ["citizen"], citizenId: citizen.id });
  for (const u of [policeOfficer, civilOfficer, bureau, outsider, citizenUser])
    tokens.set(u, await u.token(t.app));
  // The responsibility list: the police are the source of identity, civil affairs of the phone.
  for (const [field, dept] of [
    ["name", police],
    ["idNumber", police],
    ["birthDate", police],
    ["gender", police],
    ["householdAddress", police],
    ["phone", civil],
  ] as const) {
    const res = await post(bureau, "/api/datahub/responsibilities", {
      base: "population",
      field,
      title: field,
      departmentId: dept.id,
    });
    expect(res.statusCode, res.body).toBe(201);
  }
}, 60_000);
afterAll(async () => {
  await t?.close();
});

describe("master data: sources, loads, resolution, golden records", () => {
  it("a data officer defines the police source; a wrong mapping names its column; others cannot define it", async () => {
    const wrong = await post(policeOfficer, "/api/datahub/master/sources", {
      code: "ps-household",
      name: "公安户籍人口",
      base: "population",
      mapping: { 姓名: "name", 血型: "bloodType" },
      keyColumn: "记录编号",
    });
    expect(wrong.statusCode).toBe(400);
    expect(json<{ errors: { field: string }[] }>(wrong).errors[0]!.field).toBe("/body/mapping/血型");

    const res = await post(policeOfficer, "/api/datahub/master/sources", {
      code: "ps-household",
      name: "公安户籍人口",
      base: "population",
      mapping: {
        姓名: "name",
        公民身份号码: "idNumber",
        性别: "gender",
        出生日期: "birthDate",
        联系电话: "phone",
        户籍地址: "householdAddress",
      },
      keyColumn: "记录编号",
      updateCycleDays: 1,
    });
    expect(res.statusCode, res.body).toBe(201);
    expect(json(res)).toMatchObject({ code: "ps-household", departmentId: police.id, records: 0 });

    const civilDef = await post(civilOfficer, "/api/datahub/master/sources", {
      code: "ca-residents",
      name: "民政居民档案",
      base: "population",
      mapping: {
        姓名: "name",
        身份证号: "idNumber",
        出生日期: "birthDate",
        手机: "phone",
        现住址: "address",
      },
      keyColumn: "档案号",
    });
    expect(civilDef.statusCode, civilDef.body).toBe(201);

    // The civil affairs officer cannot redefine (or load) the police's source; a clerk cannot define any.
    const hijack = await post(civilOfficer, "/api/datahub/master/sources", {
      code: "ps-household",
      name: "x",
      base: "population",
      mapping: { 姓名: "name" },
      keyColumn: "记录编号",
    });
    expect(hijack.statusCode).toBe(403);
    expect((await load(civilOfficer, "ps-household", POLICE_CSV)).statusCode).toBe(403);
    const clerk = await post(outsider, "/api/datahub/master/sources", {
      code: "x-source",
      name: "x",
      base: "population",
      mapping: { a: "name" },
      keyColumn: "id",
    });
    expect(clerk.statusCode).toBe(403);
  });

  it("loads a CSV: bad rows are reported by line, values standardised, invalid ones kept and counted", async () => {
    const res = await load(policeOfficer, "ps-household", POLICE_CSV);
    expect(res.statusCode, res.body).toBe(200);
    const report = json<Report>(res);
    expect(report).toMatchObject({
      status: "completed",
      encoding: "utf-8",
      rowsRead: 7,
      rowsRejected: 2,
      inserted: 5,
      newEntities: 5,
    });
    expect(report.problems.map((p) => p.line)).toEqual([7, 8]);
    expect(report.problems[0]!.reason).toMatch(/columns/);
    expect(report.problems[1]!.reason).toMatch(/key column/);

    const chen = await record(bureau, CHEN);
    expect(chen.fields.name!.value).toBe("陈伟明"); // traditional → simplified
    expect(chen.fields.birthDate!.value).toBe("1978-01-01");
    const li = await record(bureau, LI);
    expect(li.fields.phone!.value).toBe("13900139000");
    expect(li.fields.birthDate!.value).toBe("1990-07-05");
    // The legacy 15-digit number became the 18-digit one.
    const liu = await record(bureau, `44012019560101123${citizenIdCheckChar("44012019560101123")}`);
    expect(liu.fields.name!.value).toBe("刘德");
  });

  it("loading the same file again changes nothing", async () => {
    const before = await record(bureau, WANG);
    const report = json<Report>(await load(policeOfficer, "ps-household", POLICE_CSV));
    expect(report).toMatchObject({ status: "completed", inserted: 0, changed: 0, unchanged: 5, deleted: 0 });
    expect((await record(bureau, WANG)).version).toBe(before.version);
  });

  it("links a GBK file without IDs or with a mistyped one to the same people, and queues the unsure", async () => {
    clock.advance(60_000);
    const gbk = iconv.encode(CIVIL_CSV, "gbk");
    const res = await load(civilOfficer, "ca-residents", gbk);
    expect(res.statusCode, res.body).toBe(200);
    const report = json<Report>(res);
    expect(report.encoding).toBe("gb18030");
    expect(report).toMatchObject({ rowsRead: 4, rowsRejected: 0, inserted: 4, linkedExact: 1 });
    // 王建囯 (a typo, no ID) and 陈伟明 (a mistyped ID) join their golden records; 张三丰 is new.
    expect(report.linkedFuzzy).toBe(2);
    expect(report.newEntities).toBe(1);

    const wang = await record(bureau, WANG);
    expect(wang.sources).toBe(2);
    // The police are the authority for the name: their 王建国 stands, not the newer typo.
    expect(wang.fields.name).toMatchObject({ value: "王建国", rule: "authority" });
    const li = await record(bureau, LI);
    // Civil affairs are the authority for the phone: their newer number wins.
    expect(li.fields.phone).toMatchObject({ value: "13900139001", rule: "authority" });
    expect(li.fields.address!.value).toBe("广州市云溪区江畔街道滨江路8号2栋1201");
    const chen = await record(bureau, CHEN);
    expect(chen.sources).toBe(2);
    // The mistyped ID is kept on the record, flagged, and not the golden record's.
    expect(chen.fields.idNumber!.value).toBe(CHEN);

    const links = await get(bureau, "/api/datahub/master/links?source=ca-residents&pageSize=2");
    expect(links.statusCode).toBe(200);
    expect(links.headers["x-total-count"]).toBe("4");
    const page = json<{ source: string; sourceRecordId: string; goldenId: string }[]>(links);
    expect(page).toEqual([
      expect.objectContaining({ source: "ca-residents", sourceRecordId: "C1", goldenId: wang.id }),
      expect.objectContaining({ source: "ca-residents", sourceRecordId: "C2", goldenId: li.id }),
    ]);
  });

  it("masks personal fields for a department that is not their source, and audits the read", async () => {
    const seen = await record(outsider, WANG);
    expect(seen.fields.idNumber).toMatchObject({ masked: true });
    expect(String(seen.fields.idNumber!.value)).toMatch(/^440120\*+\d{3}[\dX]$/);
    expect(seen.fields.name!.value).toBe("王*国");
    const own = await record(policeOfficer, WANG);
    expect(own.fields.idNumber).toMatchObject({ value: WANG, masked: false });
    expect(own.fields.phone!.masked).toBe(true);
    const search = json<{ total: number; items: Golden[] }>(
      await get(outsider, `/api/datahub/registries/population/records?q=${encodeURIComponent("王")}`),
    );
    expect(search.total).toBe(1);
    const [audit] = await rawQuery<{ n: number }>(
      t.platform.db,
      "select count(*)::int as n from audit.records where action = 'datahub.master.record.read'",
      [],
    );
    expect(audit!.n).toBeGreaterThanOrEqual(2);
    expect(
      json(await post(outsider, "/api/datahub/registries/population/exists", { identifier: LI })),
    ).toEqual({
      exists: true,
    });
    expect(
      json(
        await post(outsider, "/api/datahub/registries/population/exists", {
          identifier: id("20000101", "999"),
        }),
      ),
    ).toEqual({ exists: false });
  });

  it("a changed record updates its golden record with history; a record gone from a full load leaves", async () => {
    clock.advance(60_000);
    const before = await record(bureau, ZHAO);
    const wangId = (await record(bureau, WANG)).id;
    const changed = POLICE_CSV.replace("13600136000", "13600136999")
      .split("\n")
      .filter((l) => !l.startsWith("P1,"))
      .join("\n");
    const report = json<Report>(await load(policeOfficer, "ps-household", changed));
    expect(report).toMatchObject({ changed: 1, unchanged: 3, deleted: 1, inserted: 0 });
    const zhao = await record(bureau, ZHAO);
    expect(zhao.id).toBe(before.id);
    expect(zhao.version).toBe(before.version + 1);
    expect(zhao.fields.phone!.value).toBe("13600136999");
    // Its history gives every version whole: the phone before and after, and what changed it.
    const zhaoHistory = json<{
      history: { version: number; reason: string; changes: Record<string, unknown> }[];
    }>(await get(bureau, `/api/datahub/registries/population/records/${ZHAO}/explanation`)).history;
    expect(zhaoHistory.map((h) => [h.version, h.changes.phone, h.changes.name])).toEqual([
      [zhao.version, "13600136999", "赵敏"],
      [before.version, "13600136000", "赵敏"],
    ]);
    expect(zhaoHistory[0]!.reason).toBe("ps-household changed");
    // 王建国 keeps the civil affairs record only, and with it no valid ID number: found by id now.
    expect((await get(bureau, `/api/datahub/registries/population/records/${WANG}`)).statusCode).toBe(404);
    const wang = await record(bureau, wangId);
    expect(wang.sources).toBe(1);
    expect(wang.fields.name!.value).toBe("王建囯");

    const explained = json<{
      history: { version: number; reason: string }[];
      explanation: { field: string; candidates: { source: string }[]; authority: string | null }[];
    }>(await get(bureau, `/api/datahub/registries/population/records/${LI}/explanation`));
    const phone = explained.explanation.find((e) => e.field === "phone")!;
    expect(phone.candidates.map((c) => c.source).sort()).toEqual(["ca-residents", "ps-household"]);
    expect(phone.authority).toMatch(/测试bureau/);
    expect(explained.history.length).toBeGreaterThanOrEqual(2);
    expect(explained.history.at(-1)!.reason).toMatch(/ps-household joined/);
  });

  it("reviews: a match moves the record, undo moves it back, and a distinct decision is remembered", async () => {
    // A record close to 李秀英 but not close enough: same name and birth, different phone and address.
    const res = await post(civilOfficer, "/api/datahub/master/sources", {
      code: "ca-survey",
      name: "网格入户调查",
      base: "population",
      mapping: { name: "name", birth: "birthDate", phone: "phone", addr: "address" },
      keyColumn: "no",
    });
    expect(res.statusCode, res.body).toBe(201);
    const lines = [
      "no,name,birth,phone,addr",
      "S1,李秀英,1990-07-05,13111112222,广州市云溪区北岭街道岭南路1号",
    ];
    const report = json<Report>(await load(civilOfficer, "ca-survey", lines.join("\n")));
    expect(report).toMatchObject({ newEntities: 1, toReview: 1 });
    const queue = json<{
      total: number;
      items: { id: string; recordId: string; score: number; recordName: string; candidateName: string }[];
    }>(await get(civilOfficer, "/api/datahub/master/reviews?base=population"));
    const pair = queue.items.find((i) => i.recordId === "S1")!;
    expect([pair.recordName, pair.candidateName]).toEqual(["李秀英", "李秀英"]);
    expect(pair.score).toBeGreaterThanOrEqual(0.65);
    expect(pair.score).toBeLessThan(0.85);
    const detail = json<{ record: { values: { name: string } }; candidate: { fields: { name: string } } }>(
      await get(civilOfficer, `/api/datahub/master/reviews/${pair.id}`),
    );
    expect(detail.record.values.name).toBe("李秀英");
    expect(detail.candidate.fields.name).toBe("李秀英");

    const li = await record(bureau, LI);
    const match = await post(civilOfficer, `/api/datahub/master/reviews/${pair.id}/decision`, {
      decision: "match",
    });
    expect(match.statusCode, match.body).toBe(200);
    expect((await record(bureau, LI)).sources).toBe(li.sources + 1);
    expect(
      (await post(civilOfficer, `/api/datahub/master/reviews/${pair.id}/decision`, { decision: "distinct" }))
        .statusCode,
    ).toBe(409);

    const undo = await post(civilOfficer, `/api/datahub/master/reviews/${pair.id}/undo`, {});
    expect(undo.statusCode, undo.body).toBe(200);
    expect((await record(bureau, LI)).sources).toBe(li.sources);

    expect(
      (await post(civilOfficer, `/api/datahub/master/reviews/${pair.id}/decision`, { decision: "distinct" }))
        .statusCode,
    ).toBe(200);
    // Loaded again with a change, the record is not queued again nor linked: the decision stands.
    const again = json<Report>(
      await load(
        civilOfficer,
        "ca-survey",
        [lines[0], lines[1]!.replace("岭南路1号", "岭南路3号")].join("\n"),
      ),
    );
    expect(again).toMatchObject({ changed: 1, toReview: 0, linkedFuzzy: 0 });
    expect((await record(bureau, LI)).sources).toBe(li.sources);
  });

  it("the authoritative department updates a field; another department is refused naming the field", async () => {
    const refused = await t.app.inject({
      method: "PATCH",
      url: `/api/datahub/registries/population/records/${ZHAO}`,
      headers: as(policeOfficer),
      payload: { fields: { phone: "13611112222" }, reason: "群众来电更正" },
    });
    expect(refused.statusCode).toBe(403);
    expect(json<{ errors: { field: string }[] }>(refused).errors[0]!.field).toBe("/body/fields/phone");
    clock.advance(60_000);
    const ok = await t.app.inject({
      method: "PATCH",
      url: `/api/datahub/registries/population/records/${ZHAO}`,
      headers: as(civilOfficer),
      payload: { fields: { phone: "13611112222" }, reason: "群众来电更正" },
    });
    expect(ok.statusCode, ok.body).toBe(200);
    expect(json<Golden>(ok).fields.phone).toMatchObject({ value: "13611112222", rule: "authority" });
  });

  it("pre-fills a citizen's own form with each value's department, under a consent receipt", async () => {
    const res = await post(citizenUser, "/api/datahub/registries/population/prefill", {
      subject: LI,
      fields: ["name", "phone", "address"],
      purpose: "居住证申领",
    });
    expect(res.statusCode, res.body).toBe(200);
    const body = json<{
      consentId: string;
      values: Record<string, { value: unknown; departmentName: string }>;
    }>(res);
    expect(body.values.name).toMatchObject({ value: "李秀英" });
    expect(body.values.phone!.departmentName).toMatch(/测试bureau/);
    expect(body.consentId).toMatch(/^[0-9a-f-]{36}$/);
    const uses = json<{ items: { channel: string; purpose: string }[] }>(
      await get(citizenUser, "/api/datahub/my-data-uses"),
    );
    expect(uses.items.some((u) => u.channel === "prefill" && u.purpose === "居住证申领")).toBe(true);
    const other = await post(citizenUser, "/api/datahub/registries/population/prefill", {
      subject: WANG,
      fields: ["name"],
      purpose: "居住证申领",
    });
    expect(other.statusCode).toBe(403);
  });

  it("scores quality per source and field and lists the failing records", async () => {
    const board = json<{
      sources: {
        code: string;
        scores: Record<string, number>;
        fields: { field: string; scores: Record<string, number> }[];
      }[];
      departments: { departmentId: string }[];
    }>(await get(bureau, "/api/datahub/master/quality?base=population"));
    const civilScores = board.sources.find((s) => s.code === "ca-residents")!;
    const idField = civilScores.fields.find((f) => f.field === "idNumber")!;
    expect(idField.scores.completeness).toBeCloseTo(2 / 4, 3);
    expect(idField.scores.validity).toBeCloseTo(1 / 2, 3);
    expect(civilScores.scores.timeliness).toBe(1);
    expect(board.departments.map((d) => d.departmentId)).toContain(civil.id);
    const failures = json<{ total: number; items: { recordId: string; reason: string }[] }>(
      await get(
        bureau,
        "/api/datahub/master/quality/failures?source=ca-residents&field=idNumber&rule=validity",
      ),
    );
    expect(failures.items).toEqual([expect.objectContaining({ recordId: "C3", reason: "checksum" })]);
  });

  it("loads a file with a missing and an extra column, noting the missing one, and strips control characters", async () => {
    const csv = [
      "档案号,姓名,出生日期,备注",
      "C20,何\u0000晓东,1970-05-05,无",
      "C21,钱\u0007多多,1971-06-06,",
    ].join("\n");
    const res = await load(civilOfficer, "ca-residents", csv, "text/csv", "delta");
    const report = json<Report>(res);
    expect(report).toMatchObject({ status: "completed", inserted: 2, rowsRejected: 0 });
    expect(report.problems.map((p) => `${p.line}:${p.column}`).sort()).toEqual(
      ["1:手机", "1:现住址", "1:身份证号"].sort(),
    );
    const found = json<{ items: Golden[] }>(
      await get(bureau, `/api/datahub/registries/population/records?q=${encodeURIComponent("何晓东")}`),
    );
    expect(found.items.map((g) => g.fields.name!.value)).toEqual(["何晓东"]);
  });

  it("takes a dataset over a real socket, streamed in chunks", async () => {
    const address = await t.app.listen({ port: 0, host: "127.0.0.1" });
    const rows = Array.from({ length: 2500 }, (_, i) => `R${i},居民${i},1980-01-01`);
    const body = Buffer.from(["档案号,姓名,出生日期", ...rows].join("\n"));
    const res = await fetch(`${address}/api/datahub/master/imports?source=ca-residents&mode=delta`, {
      method: "POST",
      headers: { ...as(civilOfficer), "content-type": "text/csv; charset=utf-8" },
      body: new ReadableStream({
        start(controller) {
          for (let i = 0; i < body.length; i += 4096) controller.enqueue(body.subarray(i, i + 4096));
          controller.close();
        },
      }),
      duplex: "half",
    } as RequestInit);
    expect(res.status).toBe(200);
    const report = (await res.json()) as Report & { bytesRead: number };
    expect(report).toMatchObject({ status: "completed", rowsRead: 2500, inserted: 2500 });
    expect(report.bytesRead).toBe(body.length);
  });

  it("a batch that fails leaves nothing of itself; the batches before it stay, and loading again completes", async () => {
    // A real failure inside the database: a trigger refuses one record of the second batch.
    await rawQuery(
      t.platform.db,
      `create or replace function public.refuse_b1200() returns trigger language plpgsql as $$
       begin if new.record_id = 'B1200' then raise exception 'disk full'; end if; return new; end $$`,
      [],
    );
    await rawQuery(
      t.platform.db,
      "create trigger refuse_b1200 before insert on datahub.master_records for each row execute function public.refuse_b1200()",
      [],
    );
    const rows = Array.from({ length: 1500 }, (_, i) => `B${i},批次${i},1975-03-03`);
    const csv = ["档案号,姓名,出生日期", ...rows].join("\n");
    const failed = await load(civilOfficer, "ca-residents", csv, "text/csv", "delta");
    expect(failed.statusCode).toBe(422);
    const count = async () =>
      (
        await rawQuery<{ n: number }>(
          t.platform.db,
          "select count(*)::int as n from datahub.master_records where source_code = 'ca-residents' and record_id like 'B%'",
          [],
        )
      )[0]!.n;
    expect(await count()).toBe(1000);
    const loads = json<{ items: { status: string; inserted: number; error: string }[] }>(
      await get(civilOfficer, "/api/datahub/master/loads?source=ca-residents&pageSize=1"),
    );
    expect(loads.items[0]).toMatchObject({ status: "failed", inserted: 1000 });
    expect(loads.items[0]!.error).not.toMatch(/disk full/); // the cause stays in the server log

    await rawQuery(t.platform.db, "drop trigger refuse_b1200 on datahub.master_records", []);
    const again = json<Report>(await load(civilOfficer, "ca-residents", csv, "text/csv", "delta"));
    expect(again).toMatchObject({ status: "completed", inserted: 500, unchanged: 1000 });
    expect(await count()).toBe(1500);
  });

  it("refuses what is not a dataset, with a reason, and loads JSON lines", async () => {
    const notCsv = await load(policeOfficer, "ps-household", '{"hello": "world"}');
    expect(notCsv.statusCode).toBe(422);
    expect(json<{ detail: string }>(notCsv).detail).toMatch(/key column/);
    const binary = await load(policeOfficer, "ps-household", "x", "image/png");
    expect(binary.statusCode).toBe(415);
    const ndjson = [
      JSON.stringify({ 档案号: "C9", 姓名: "周杰", 身份证号: id("19880808", "111"), 出生日期: "1988-08-08" }),
      "not json",
      JSON.stringify(["an", "array"]),
    ].join("\n");
    const report = json<Report>(
      await load(civilOfficer, "ca-residents", ndjson, "application/x-ndjson", "delta"),
    );
    expect(report).toMatchObject({ status: "completed", inserted: 1, deleted: 0, rowsRejected: 2 });
    expect(report.problems.map((p) => p.line)).toEqual([2, 3]);
  });

  it("pulls a source from a department's JSON API on its schedule", async () => {
    const server: Server = createServer((_req, res) => {
      res.setHeader("content-type", "application/json");
      res.end(
        JSON.stringify([
          { id: "A1", name: "孙丽", idNumber: id("19951111", "222"), birthDate: "1995-11-11" },
        ]),
      );
    });
    await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
    try {
      const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/people`;
      const res = await post(civilOfficer, "/api/datahub/master/sources", {
        code: "ca-api",
        name: "民政接口",
        base: "population",
        mapping: { name: "name", idNumber: "idNumber", birthDate: "birthDate" },
        keyColumn: "id",
        pullUrl: url,
        pullEveryMinutes: 60,
      });
      expect(res.statusCode, res.body).toBe(201);
      await t.platform.jobs.runDue();
      const sun = await record(bureau, id("19951111", "222"));
      expect(sun.fields.name!.value).toBe("孙丽");
      const loads = json<{ items: { source: string; status: string }[] }>(
        await get(civilOfficer, "/api/datahub/master/loads?source=ca-api"),
      );
      expect(loads.items[0]).toMatchObject({ source: "ca-api", status: "completed" });
    } finally {
      server.close();
    }
  });
});
