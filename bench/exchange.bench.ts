import { type ChildProcess, spawn } from "node:child_process";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import type { Actor } from "../server/src/kernel/access/actor";
import { createPlatform } from "../server/src/kernel/bootstrap";
import { loadConfig } from "../server/src/kernel/config/config";
import { openDatabase, rawQuery } from "../server/src/kernel/db/db";
import { newId } from "../server/src/kernel/db/ids";
import type { Ctx } from "../server/src/kernel/http/context";
import { hashPassword, randomToken } from "../server/src/kernel/identity/passwords";
import { tokenHash } from "../server/src/kernel/identity/sessions";
import { createLogger } from "../server/src/kernel/log";
import { createResource } from "../server/src/modules/datahub/catalog/catalog.service";
import type { ResourceInput } from "../server/src/modules/datahub/catalog/catalog.types";
import { DEMO_RESOURCES } from "../server/src/modules/datahub/demo-catalog";
import { dataKeysFrom } from "../server/src/modules/datahub/records/protection";
import { putResourceRecords } from "../server/src/modules/datahub/records/records.service";
import { createSharingRequest } from "../server/src/modules/datahub/sharing/sharing.service";
import { freePort, ROOT, startServer, waitReady } from "../server/test/process";
import { type Benchmark, figure, load, percentile, scratchDatabase } from "./harness";

const CLIENTS = 50;
const DURATION_MS = Number(process.env.BENCH_DURATION_MS ?? 10_000);
const RECORDS = 10_000;
const CATALOG = 10_000;
const SECRET = "bench-client-secret-0123456789";
const QUERIES = [
  "人口 信息",
  "企业登记",
  "许可证",
  "社会保险 参保",
  "不动产",
  "医疗",
  "执法 案件",
  "学籍",
  "排污",
  "信用",
];

/** A citizen-like record: ID number, name, phone, address, and one sensitive item (sealed with SM4). */
function person(i: number) {
  const id = `440105${String(19600101 + (i % 400)).padStart(8, "0")}${String(i).padStart(4, "0").slice(-4)}`;
  return {
    idNumber: id.slice(0, 18),
    name: `测试${["张", "王", "李", "陈"][i % 4]}${i}`,
    phone: `138${String(i).padStart(8, "0")}`,
    address: `广州市云溪区测试路${i}号`,
    disability: ["无", "一级", "二级", "三级"][i % 4],
  };
}

const RESOURCE: ResourceInput = {
  name: "压测人口基本信息",
  summary: "压测用人口基本信息",
  categoryCode: "101",
  format: "数据库",
  sharingType: "unconditional",
  sharingMethod: "api",
  openType: "closed",
  updateCycle: "daily",
  keyItem: "idNumber",
  items: [
    {
      name: "idNumber",
      title: "公民身份号码",
      type: "string",
      length: 18,
      grade: "important",
      personal: true,
      sensitive: false,
      mask: "id",
      baseField: "person.idNumber",
    },
    {
      name: "name",
      title: "姓名",
      type: "string",
      length: 50,
      grade: "general",
      personal: true,
      sensitive: false,
      mask: "name",
      baseField: "person.name",
    },
    {
      name: "phone",
      title: "联系电话",
      type: "string",
      length: 20,
      grade: "general",
      personal: true,
      sensitive: false,
      mask: "phone",
      baseField: null,
    },
    {
      name: "address",
      title: "住址",
      type: "string",
      length: 200,
      grade: "general",
      personal: true,
      sensitive: false,
      mask: "address",
      baseField: null,
    },
    {
      name: "disability",
      title: "残疾等级",
      type: "string",
      length: 10,
      grade: "important",
      personal: true,
      sensitive: true,
      mask: "all",
      baseField: null,
    },
  ],
};

interface Prepared {
  dataDir: string;
  databaseUrl: string | null;
  resourceId: string;
  code: string;
  clientId: string;
  staffToken: string;
  keys: string[];
  dispose: () => Promise<void>;
}

/** The fixture, written through the module's own use cases: two bureaus, a resource, records, a grant, a 10k catalog. */
async function prepare(): Promise<Prepared> {
  const scratch = process.env.DATABASE_URL ? await scratchDatabase("exchange") : null;
  const dataDir = mkdtempSync(path.join(tmpdir(), "bench-exchange-"));
  const config = loadConfig({
    DATA_DIR: dataDir,
    DEMO: "false",
    LOG_LEVEL: "warn",
    DATAHUB_RATE_LIMIT_PER_MINUTE: "1000000",
    ...(scratch?.url ? { DATABASE_URL: scratch.url } : {}),
  });
  const database = await openDatabase({
    databaseUrl: config.databaseUrl,
    pgliteDir: config.databaseUrl ? null : `${config.dataDir}/pg`,
  });
  const platform = await createPlatform({ config, log: createLogger("warn"), database });
  const { db } = platform;
  const [government, provider, consumer] = [newId(), newId(), newId()];
  await rawQuery(
    db,
    `insert into identity.departments (id, code, name, kind, parent_id, path) values
       ($1, 'BENCH-GOV', '压测区政府', 'government', null, $4),
       ($2, 'BENCH-P', '压测提供局', 'bureau', $1, $5),
       ($3, 'BENCH-C', '压测使用局', 'bureau', $1, $6)`,
    [
      government,
      provider,
      consumer,
      `/${government}/`,
      `/${government}/${provider}/`,
      `/${government}/${consumer}/`,
    ],
  );
  const actor = (id: string, department: string, roles: Actor["roles"]): Actor => ({
    id,
    username: `bench-${id.slice(-6)}`,
    kind: "staff",
    displayName: "压测",
    roles,
    departmentId: department,
    departmentPath: `/${government}/${department}/`,
    citizenId: null,
    enterpriseId: null,
  });
  const bureau = actor(newId(), provider, ["databureau"]);
  const officer = actor(newId(), consumer, ["dataofficer"]);
  const staffToken = randomToken("ffb_");
  await rawQuery(
    db,
    `insert into identity.users (id, kind, username, display_name, password_hash, roles, department_id) values
       ($1, 'staff', $2, '压测', 'x', '{databureau}', $3), ($4, 'staff', $5, '压测', 'x', '{dataofficer}', $6)`,
    [bureau.id, bureau.username, provider, officer.id, officer.username, consumer],
  );
  await rawQuery(
    db,
    "insert into identity.sessions (token_hash, user_id, kind, expires_at) values ($1, $2, 'bearer', now() + interval '1 day')",
    [tokenHash(staffToken), officer.id],
  );
  const ctxOf = (tx: typeof db, who: Actor): Ctx => ({
    actor: who,
    requestId: "bench",
    ip: null,
    tx,
    clock: platform.clock,
    log: platform.log,
  });
  const keys = dataKeysFrom(config.datahub.dataKeys, platform.masterKey);
  const resource = await db.transaction((tx) =>
    createResource(ctxOf(tx, bureau), { ...RESOURCE, providerDepartmentId: provider }),
  );
  const people = Array.from({ length: RECORDS }, (_, i) => person(i));
  for (let start = 0; start < RECORDS; start += 1000) {
    await db.transaction((tx) =>
      putResourceRecords(ctxOf(tx, bureau), keys, resource.id, people.slice(start, start + 1000), {
        skipAccessCheck: true,
      }),
    );
  }
  const today = new Date().toISOString().slice(0, 10);
  await db.transaction((tx) =>
    createSharingRequest(ctxOf(tx, officer), platform.workflow, config.datahub, {
      resourceId: resource.id,
      fields: ["idNumber", "name", "phone", "address", "disability"],
      clearFields: ["name"],
      purposeCode: "bench",
      purpose: "压测",
      legalBasis: "压测",
      periodFrom: today,
      periodTo: "2099-12-31",
      expectedDailyVolume: 1_000_000,
    }),
  );
  const clientId = "cli_bench_client";
  await rawQuery(
    db,
    "insert into datahub.clients (client_id, name, department_id, secret_hash, created_at) values ($1, '压测系统', $2, $3, now())",
    [clientId, consumer, await hashPassword(SECRET)],
  );
  // 10,000 catalog resources: the demo district's resources, each under many providers' names and years.
  await db.transaction(async (tx) => {
    for (let i = 0; i < CATALOG; i++) {
      const { provider: _p, ...spec } = DEMO_RESOURCES[i % DEMO_RESOURCES.length]!;
      await createResource(ctxOf(tx, bureau), {
        ...spec,
        name: `${spec.name}（${2000 + (i % 27)}年第${Math.floor(i / DEMO_RESOURCES.length) + 1}批）`,
        providerDepartmentId: i % 2 ? provider : consumer,
      });
    }
  });
  await platform.stop();
  return {
    dataDir,
    databaseUrl: scratch?.url ?? null,
    resourceId: resource.id,
    code: resource.code,
    clientId,
    staffToken,
    keys: people.map((p) => p.idNumber),
    dispose: async () => {
      await scratch?.close();
    },
  };
}

/**
 * The baseline: a bare node:http server in a process of its own that reads the same record from the
 * same database by the same key and answers it as JSON — no token, grant, fields, masking or audit.
 */
const BARE_SERVER = `
import http from "node:http";
const [port, dir, url, resourceId] = process.argv.slice(1);
let query;
if (url) {
  const pg = (await import("pg")).default;
  const pool = new pg.Pool({ connectionString: url, max: 10 });
  query = (text, params) => pool.query(text, params);
} else {
  const { PGlite } = await import("@electric-sql/pglite");
  const db = await PGlite.create({ dataDir: dir });
  query = (text, params) => db.query(text, params);
}
http.createServer(async (req, res) => {
  const key = new URL(req.url, "http://x").searchParams.get("key");
  const { rows } = await query("select data from datahub.records where resource_id = $1 and record_key = $2", [resourceId, key]);
  res.setHeader("content-type", "application/json");
  res.end(JSON.stringify({ records: rows.map((r) => r.data) }));
}).listen(Number(port), "127.0.0.1", () => process.send?.("ready"));`;

async function bareRate(prepared: Prepared): Promise<number> {
  const port = await freePort();
  const child: ChildProcess = spawn(
    process.execPath,
    [
      "--input-type=module",
      "-e",
      BARE_SERVER,
      String(port),
      `${prepared.dataDir}/pg`,
      prepared.databaseUrl ?? "",
      prepared.resourceId,
    ],
    { cwd: ROOT, stdio: ["ignore", "ignore", "inherit", "ipc"] },
  );
  await new Promise((resolve) => child.once("message", resolve));
  const url = `http://127.0.0.1:${port}`;
  const request = (client: number, i: number) => ({
    method: "GET",
    path: `/?key=${prepared.keys[(client * 7919 + i) % RECORDS]}`,
  });
  await load({ url, clients: CLIENTS, durationMs: 2000, request, ok: (s) => s === 200 });
  const result = await load({
    url,
    clients: CLIENTS,
    durationMs: DURATION_MS,
    request,
    ok: (s) => s === 200,
  });
  child.kill();
  await new Promise((r) => child.once("exit", r));
  return result.rate;
}

export const exchange: Benchmark = {
  name: "exchange",
  description: `Exchange gateway: ${CLIENTS} clients each reading one record (${RECORDS.toLocaleString("en")} people, one SM4-sealed item) with a client-credentials token — authenticate, authorise against the grant, read, mask, audit, respond; baseline: a bare node:http route reading the same record from the same database. Catalog search: ${QUERIES.length} Chinese queries over ${CATALOG.toLocaleString("en")} resources`,
  async run() {
    const prepared = await prepare();
    const port = await freePort();
    const server = startServer(
      {
        DATA_DIR: prepared.dataDir,
        PORT: String(port),
        DEMO: "false",
        LOG_LEVEL: "warn",
        ...(prepared.databaseUrl ? { DATABASE_URL: prepared.databaseUrl } : {}),
      },
      [],
      // BENCH_PROFILE=dir writes the server's CPU profile there, to see where a call's time goes.
      process.env.BENCH_PROFILE ? ["--cpu-prof", `--cpu-prof-dir=${process.env.BENCH_PROFILE}`] : [],
    );
    await waitReady(server, 120_000);
    const tokenRes = await fetch(`${server.url}/exchange/oauth/token`, {
      method: "POST",
      headers: {
        "content-type": "application/x-www-form-urlencoded",
        authorization: `Basic ${Buffer.from(`${prepared.clientId}:${SECRET}`).toString("base64")}`,
      },
      body: "grant_type=client_credentials",
    });
    const { access_token: token } = (await tokenRes.json()) as { access_token: string };
    const headers = { authorization: `Bearer ${token}` };
    const request = (client: number, i: number) => ({
      method: "GET",
      path: `/exchange/v1/${prepared.code}?purpose=bench&key=${prepared.keys[(client * 7919 + i) % RECORDS]}`,
      headers,
    });
    const probe = await fetch(`${server.url}${request(0, 0).path}`, { headers });
    const probeBody = (await probe.json()) as { records: { idNumber: string }[] };
    if (probe.status !== 200 || !probeBody.records[0]?.idNumber.includes("****"))
      throw new Error(
        `the gateway did not answer a masked record: ${probe.status} ${JSON.stringify(probeBody)}`,
      );
    await load({ url: server.url, clients: CLIENTS, durationMs: 2000, request, ok: (s) => s === 200 });
    const gateway = await load({
      url: server.url,
      clients: CLIENTS,
      durationMs: DURATION_MS,
      request,
      ok: (s) => s === 200,
    });

    // Catalog search, one query at a time as a person searches (plus one warm-up round).
    const latencies: number[] = [];
    for (let round = 0; round < 11; round++) {
      for (const q of QUERIES) {
        const t0 = performance.now();
        const res = await fetch(`${server.url}/api/datahub/resources?q=${encodeURIComponent(q)}`, {
          headers: { authorization: `Bearer ${prepared.staffToken}` },
        });
        await res.arrayBuffer();
        if (res.status !== 200) throw new Error(`search failed: ${res.status}`);
        if (round > 0) latencies.push(performance.now() - t0);
      }
    }
    latencies.sort((a, b) => a - b);
    server.child.kill("SIGTERM");
    await server.exited;

    // Every answered call left its audit record.
    const database = await openDatabase({
      databaseUrl: prepared.databaseUrl,
      pgliteDir: prepared.databaseUrl ? null : `${prepared.dataDir}/pg`,
    });
    const [audited] = await rawQuery<{ n: number }>(
      database.db,
      "select count(*)::int as n from audit.records where action = 'datahub.exchange.called' and outcome = 'success'",
      [],
    );
    await database.close();
    const answered = gateway.count - gateway.errors;
    const bare = await bareRate(prepared);
    await prepared.dispose();
    const baseline = { metric: "bare route reading the same record", value: Math.round(bare), unit: "req/s" };
    return [
      figure("gateway call throughput", gateway.rate, "req/s", baseline, {
        text: "≥ 3,000 req/s and ≥ 0.4 × bare route",
        met: gateway.rate >= 3000 && gateway.rate >= 0.4 * bare,
      }),
      figure("gateway call p99 latency", gateway.p99, "ms", null, { text: "< 20 ms", met: gateway.p99 < 20 }),
      figure("gateway call p50 latency", gateway.p50, "ms"),
      figure("gateway errors", gateway.errors, "requests", null, { text: "0", met: gateway.errors === 0 }),
      figure("audit records of answered calls", audited!.n, "records", null, {
        text: "≥ calls answered in the measured run",
        met: audited!.n >= answered,
      }),
      figure(
        `catalog search p95 (${CATALOG.toLocaleString("en")} resources)`,
        percentile(latencies, 95),
        "ms",
        null,
        {
          text: "< 20 ms",
          met: percentile(latencies, 95) < 20,
        },
      ),
      figure("catalog search p50", percentile(latencies, 50), "ms"),
    ];
  },
};
