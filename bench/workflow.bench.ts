import { EventEmitter } from "node:events";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { Engine } from "bpmn-engine";
import type { Actor } from "../server/src/kernel/access/actor";
import { createPlatform } from "../server/src/kernel/bootstrap";
import { loadConfig } from "../server/src/kernel/config/config";
import { openDatabase, rawQuery } from "../server/src/kernel/db/db";
import { newId } from "../server/src/kernel/db/ids";
import type { Ctx } from "../server/src/kernel/http/context";
import { createLogger } from "../server/src/kernel/log";
import { searchTasks } from "../server/src/workflow/workflow.service";
import { type Benchmark, figure, percentile, scratchDatabase } from "./harness";

const DURATION_MS = Number(process.env.BENCH_DURATION_MS ?? 10_000);
const INBOX_INSTANCES = Number(process.env.BENCH_INBOX_INSTANCES ?? 100_000);
const POSTGRES = Boolean(process.env.DATABASE_URL);
// PGlite runs one statement at a time; more clients only queue. PostgreSQL gets a pool's worth.
const CLIENTS = POSTGRES ? 16 : 4;

const MODEL = `<?xml version="1.0" encoding="UTF-8"?>
<definitions xmlns="http://www.omg.org/spec/BPMN/20100524/MODEL" xmlns:camunda="http://camunda.org/schema/1.0/bpmn" targetNamespace="bench">
  <process id="bench" name="基准流程" isExecutable="true">
    <startEvent id="s"/><sequenceFlow id="f1" sourceRef="s" targetRef="u"/>
    <userTask id="u" name="审批" camunda:candidateGroups="approver"/><sequenceFlow id="f2" sourceRef="u" targetRef="e"/>
    <endEvent id="e"/>
  </process>
</definitions>`;

/** Runs `op` from `clients` concurrent loops for the duration; returns completed ops per second. */
async function rate(clients: number, durationMs: number, op: (client: number) => Promise<unknown>) {
  let done = 0;
  const until = performance.now() + durationMs;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: clients }, async (_, c) => {
      while (performance.now() < until) {
        await op(c);
        done++;
      }
    }),
  );
  return done / ((performance.now() - started) / 1000);
}

async function platformOnFreshDatabase() {
  const scratch = await scratchDatabase("wf");
  const config = loadConfig({
    DATA_DIR: mkdtempSync(path.join(tmpdir(), "bench-wf-")),
    DEMO: "false",
    LOG_LEVEL: "warn",
    ...(scratch.url ? { DATABASE_URL: scratch.url } : {}),
  });
  const database = await openDatabase({
    databaseUrl: config.databaseUrl,
    pgliteDir: config.databaseUrl ? null : `${config.dataDir}/pg`,
    poolSize: 20,
  });
  const platform = await createPlatform({ config, log: createLogger("warn"), database });
  // PGlite: the scratch handle would be a second opener of the folder; it is never used.
  return { platform, dispose: () => scratch.close() };
}

/** The reference: bpmn-engine in memory, its state saved to the same database at each wait state and at the end. */
async function bpmnEngineRate(): Promise<number> {
  const db = await scratchDatabase("bpmnengine");
  await db.query(
    "create table engine_states (id text primary key, state jsonb not null, updated_at timestamptz not null default now())",
  );
  let n = 0;
  const once = async () => {
    const id = `i${n++}`;
    const listener = new EventEmitter();
    const engine = new Engine({ name: id, source: MODEL });
    const waiting = new Promise<{ id: string }>((resolve) => listener.once("wait", resolve));
    const execution = await engine.execute({ listener });
    const task = await waiting;
    await db.query("insert into engine_states (id, state) values ($1, $2)", [
      id,
      JSON.stringify(await engine.getState()),
    ]);
    const ended = engine.waitFor("end");
    execution.signal({ id: task.id });
    await ended;
    await db.query("update engine_states set state = $2, updated_at = now() where id = $1", [
      id,
      JSON.stringify(await engine.getState()),
    ]);
  };
  await rate(CLIENTS, 1000, once);
  const result = await rate(CLIENTS, DURATION_MS, once);
  await db.close();
  return result;
}

/**
 * The baseline the target names: per instance, the same number of raw single-row writes as the
 * engine makes (counted in this run), in the same two transactions, with no engine logic at all.
 */
async function rawSameWritesRate(writes: { start: number; complete: number }): Promise<number> {
  const db = await scratchDatabase("raw2");
  await db.query("create table raw_rows (id uuid primary key, kind text not null, data jsonb not null)");
  const once = async () => {
    const ids = Array.from({ length: writes.start }, () => newId());
    await db.transaction(async (query) => {
      for (const id of ids)
        await query("insert into raw_rows (id, kind, data) values ($1, 'row', '{}')", [id]);
    });
    await db.transaction(async (query) => {
      for (let i = 0; i < writes.complete; i++) {
        if (i < ids.length)
          await query("update raw_rows set data = '{\"done\":true}' where id = $1", [ids[i]]);
        else await query("insert into raw_rows (id, kind, data) values ($1, 'row', '{}')", [newId()]);
      }
    });
  };
  await rate(CLIENTS, 1000, once);
  const result = await rate(CLIENTS, DURATION_MS, once);
  await db.close();
  return result;
}

/** Rows the engine writes for one instance: inserted rows counted per table, plus its 3 updates/deletes. */
async function countWrites(
  db: Awaited<ReturnType<typeof platformOnFreshDatabase>>["platform"]["db"],
  engine: Awaited<ReturnType<typeof platformOnFreshDatabase>>["platform"]["workflow"],
  ctx: (tx: Awaited<ReturnType<typeof platformOnFreshDatabase>>["platform"]["db"]) => Ctx,
): Promise<{ start: number; complete: number }> {
  const rows = async () => {
    const [r] = await rawQuery<{ n: number }>(
      db,
      `select ((select count(*) from workflow.instances) + (select count(*) from workflow.tasks)
        + (select count(*) from workflow.history) + (select count(*) from audit.records)
        + (select count(*) from platform.outbox) + (select count(*) from workflow.tokens))::int as n`,
      [],
    );
    return r!.n;
  };
  const before = await rows();
  const instance = await db.transaction((tx) => engine.start(ctx(tx), "bench", {}));
  const afterStart = await rows();
  const [task] = await rawQuery<{ id: string }>(db, "select id from workflow.tasks where instance_id = $1", [
    instance.id,
  ]);
  await db.transaction((tx) =>
    engine.withInstance(
      ctx(tx),
      instance.id,
      { taskId: task!.id, audit: completionAudit(task!.id) },
      (step, row) => engine.completeTask(ctx(tx), row!, step, {}),
    ),
  );
  const afterComplete = await rows();
  // Completing also updates the instance and the task and deletes the token (−1 row counted above).
  return { start: afterStart - before, complete: afterComplete - afterStart + 1 + 2 + 1 };
}

/** The audit record completeTask writes (the service adds it; the bench calls the engine directly). */
const completionAudit = (taskId: string) => () => [
  {
    action: "workflow.task.completed",
    resourceType: "task",
    resourceId: taskId,
    details: { variables: ["approved"] },
  },
];

function actorFor(row: { id: string; username: string; path: string }): Actor {
  return {
    id: row.id,
    username: row.username,
    kind: "staff",
    displayName: "审批人",
    roles: ["approver"],
    departmentId: null,
    departmentPath: row.path,
    citizenId: null,
    enterpriseId: null,
  };
}

export const workflow: Benchmark = {
  name: "workflow",
  description: `Process instances through the engine: start, complete one user task, end — two durable steps, ${CLIENTS} concurrent clients; the inbox query among ${INBOX_INSTANCES.toLocaleString("en")} completed instances`,
  async run() {
    const { platform, dispose } = await platformOnFreshDatabase();
    const { db, workflow: engine, clock, log } = platform;
    const ctx = (tx: typeof db, actor: Actor | null = null): Ctx => ({
      actor,
      requestId: "bench",
      ip: null,
      tx,
      clock,
      log,
    });
    await db.transaction((tx) => engine.deploy(ctx(tx), MODEL));
    const writes = await countWrites(db, engine, ctx);
    const raw = await rawSameWritesRate(writes);
    const reference = await bpmnEngineRate();

    const once = async () => {
      const instance = await db.transaction((tx) =>
        engine.start(ctx(tx), "bench", { variables: { amount: 1 } }),
      );
      const [task] = await rawQuery<{ id: string }>(
        db,
        "select id from workflow.tasks where instance_id = $1",
        [instance.id],
      );
      await db.transaction((tx) =>
        engine.withInstance(
          ctx(tx),
          instance.id,
          { taskId: task!.id, audit: completionAudit(task!.id) },
          (step, row) => engine.completeTask(ctx(tx), row!, step, { approved: true }),
        ),
      );
    };
    await rate(CLIENTS, 1000, once);
    const ours = await rate(CLIENTS, DURATION_MS, once);
    const [{ done }] = (await rawQuery<{ done: number }>(
      db,
      "select count(*)::int as done from workflow.instances where state = 'completed'",
      [],
    )) as [{ done: number }];

    // The inbox at scale: 100,000 completed instances (as the engine leaves them), 200 approvers.
    const [definition] = await rawQuery<{ id: string }>(
      db,
      "select id from workflow.definitions where key = 'bench'",
      [],
    );
    const department = newId();
    await rawQuery(
      db,
      `insert into identity.departments (id, code, name, kind, parent_id, path) values ($1, 'BENCH', '基准局', 'bureau', null, $2)`,
      [department, `/${department}/`],
    );
    await rawQuery(
      db,
      `insert into identity.users (id, kind, username, display_name, password_hash, roles, department_id)
       select gen_random_uuid(), 'staff', 'bench' || g, '审批人' || g, 'x', '{approver}', $1 from generate_series(1, 200) g`,
      [department],
    );
    const users = await rawQuery<{ id: string; username: string; path: string }>(
      db,
      "select u.id, u.username, d.path from identity.users u join identity.departments d on d.id = u.department_id where u.username like 'bench%' order by u.username",
      [],
    );
    const started = performance.now();
    for (let offset = 0; offset < INBOX_INSTANCES; offset += 20_000) {
      const size = Math.min(20_000, INBOX_INSTANCES - offset);
      await rawQuery(
        db,
        `with i as (
           insert into workflow.instances (id, definition_id, process_key, version, business_key, state, variables, started_by, started_at, ended_at)
           select gen_random_uuid(), $1, 'bench', 1, 'BK-' || ($2 + g), 'completed', '{"amount": 1}', null,
                  now() - interval '30 days' + g * interval '1 second', now() - interval '29 days' + g * interval '1 second'
           from generate_series(1, $3) g returning id, started_at, business_key),
         k as (
           insert into workflow.tasks (id, instance_id, token_id, process_key, process_name, element_id, name, business_key, state,
             assignee, candidate_groups, candidate_users, created_at, completed_at, completed_by, local, priority)
           select gen_random_uuid(), i.id, gen_random_uuid(), 'bench', '基准流程', 'u', '审批', i.business_key, 'completed',
             null, '{approver}', '{}', i.started_at, i.started_at + interval '1 hour',
             ($4::uuid[])[1 + (abs(hashtext(i.id::text)) % array_length($4::uuid[], 1))], '{}', 50
           from i returning instance_id)
         insert into workflow.history (id, instance_id, element_id, element_type, element_name, event, at)
         select gen_random_uuid(), i.id, e.id, e.type, null, e.event, i.started_at
         from i cross join (values ('s', 'startEvent', 'completed'), ('u', 'userTask', 'started'),
                                   ('u', 'userTask', 'completed'), ('e', 'endEvent', 'completed')) as e(id, type, event)`,
        [definition!.id, offset, size, users.map((u) => u.id)],
      );
    }
    // Twenty open tasks waiting for the approvers, through the engine.
    for (let i = 0; i < 20; i++) await db.transaction((tx) => engine.start(ctx(tx), "bench", {}));
    await rawQuery(db, "analyze", []);
    const loadSeconds = (performance.now() - started) / 1000;
    const me = actorFor(users[7]!);
    const timings: Record<"todo" | "done", number[]> = { todo: [], done: [] };
    for (let i = 0; i < 300; i++) {
      for (const view of ["todo", "done"] as const) {
        const t0 = performance.now();
        const page = await searchTasks(ctx(db, me), engine, { view }, 1, 20);
        timings[view].push(performance.now() - t0);
        if (view === "todo" && page.total < 20) throw new Error(`the inbox lost tasks: ${page.total}`);
        if (view === "done" && page.total === 0) throw new Error("no completed tasks for the user");
      }
    }
    for (const list of Object.values(timings)) list.sort((a, b) => a - b);
    await platform.stop();
    await dispose();

    const baseline = {
      metric: `the same ${writes.start} + ${writes.complete} raw single-row writes per instance in two transactions, same database`,
      value: Math.round(raw),
      unit: "instances/s",
    };
    return [
      figure("instances started, task completed, ended", ours, "instances/s", baseline, {
        text: POSTGRES ? "≥ 300/s and ≥ 0.5 × baseline" : "≥ 0.5 × baseline",
        met: ours >= 0.5 * raw && (!POSTGRES || ours >= 300),
      }),
      figure(
        "instances vs bpmn-engine in memory, state saved at each wait state",
        ours,
        "instances/s",
        {
          metric: "bpmn-engine 25 + state saved to the same database",
          value: Math.round(reference),
          unit: "instances/s",
        },
        { text: "≥ 1 × bpmn-engine", met: ours >= reference },
      ),
      figure("instances completed during the run", done, "instances"),
      figure(
        `inbox (待办) query p95 among ${INBOX_INSTANCES.toLocaleString("en")} completed instances`,
        percentile(timings.todo, 95),
        "ms",
        null,
        {
          text: "< 50 ms",
          met: percentile(timings.todo, 95) < 50,
        },
      ),
      figure("inbox done-by-me (已办) query p95", percentile(timings.done, 95), "ms", null, {
        text: "< 50 ms",
        met: percentile(timings.done, 95) < 50,
      }),
      figure("bulk load of the completed instances", loadSeconds, "s"),
    ];
  },
};
