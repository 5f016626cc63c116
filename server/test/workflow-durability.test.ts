import { randomBytes, randomInt } from "node:crypto";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { adminTokenFromFirstStart } from "./admin-session";
import { buildAdmin } from "./factories";
import { cloneDatabase, startTestApp } from "./harness";
import { freePort, type ServerProcess, startServer, waitReady } from "./process";

/**
 * The workflow engine against real server processes: SIGKILL between (and during) steps loses
 * nothing and repeats nothing; a timer due while the server is down fires once after the restart;
 * and, on PostgreSQL, two processes racing for the same tasks and timers never act twice.
 */

const TWO_TASKS = model(
  "kill-two-tasks",
  `<startEvent id="s"/><sequenceFlow id="f1" sourceRef="s" targetRef="first"/>
   <userTask id="first" camunda:candidateGroups="admin"/><sequenceFlow id="f2" sourceRef="first" targetRef="second"/>
   <userTask id="second" camunda:candidateGroups="admin"/><sequenceFlow id="f3" sourceRef="second" targetRef="e"/><endEvent id="e"/>`,
);
const TIMER = model(
  "kill-timer",
  `<startEvent id="s"/><sequenceFlow id="f1" sourceRef="s" targetRef="approve"/>
   <userTask id="approve" camunda:candidateGroups="admin"/><sequenceFlow id="f2" sourceRef="approve" targetRef="wait"/>
   <intermediateCatchEvent id="wait"><timerEventDefinition><timeDuration>PT2S</timeDuration></timerEventDefinition></intermediateCatchEvent>
   <sequenceFlow id="f3" sourceRef="wait" targetRef="archive"/><userTask id="archive" camunda:candidateGroups="admin"/>
   <sequenceFlow id="f4" sourceRef="archive" targetRef="e"/><endEvent id="e"/>`,
);

function model(id: string, body: string): string {
  return `<?xml version="1.0" encoding="UTF-8"?>
<definitions xmlns="http://www.omg.org/spec/BPMN/20100524/MODEL" xmlns:camunda="http://camunda.org/schema/1.0/bpmn"
  targetNamespace="t"><process id="${id}" isExecutable="true">${body}</process></definitions>`;
}

interface Client {
  url: string;
  token: string;
}

async function call(client: Client, method: string, url: string, body?: unknown, xml = false) {
  const res = await fetch(`${client.url}${url}`, {
    method,
    headers: {
      authorization: `Bearer ${client.token}`,
      ...(body === undefined ? {} : { "content-type": xml ? "application/xml" : "application/json" }),
    },
    ...(body === undefined ? {} : { body: xml ? String(body) : JSON.stringify(body) }),
  });
  const text = await res.text();
  return { status: res.status, body: text ? JSON.parse(text) : null };
}

async function openTasks(client: Client, processKey: string) {
  const items: { id: string; instanceId: string; elementId: string }[] = [];
  for (let page = 1; ; page++) {
    const res = await call(
      client,
      "GET",
      `/api/workflow/tasks?view=todo&processKey=${processKey}&pageSize=200&page=${page}`,
    );
    expect(res.status).toBe(200);
    items.push(...res.body.items);
    if (res.body.items.length < 200) return items;
  }
}

async function history(client: Client, instanceId: string) {
  const res = await call(client, "GET", `/api/workflow/instances/${instanceId}`);
  expect(res.status).toBe(200);
  return res.body as {
    state: string;
    activeElements: string[];
    history: { elementId: string; event: string }[];
  };
}

const count = (h: { elementId: string; event: string }[], elementId: string, event: string) =>
  h.filter((x) => x.elementId === elementId && x.event === event).length;

async function boot(env: Record<string, string>): Promise<ServerProcess> {
  const server = startServer({ ...env, PORT: String(await freePort()), JOB_POLL_INTERVAL_MS: "100" });
  await waitReady(server);
  return server;
}

async function stop(server: ServerProcess, signal: NodeJS.Signals = "SIGTERM") {
  server.child.kill(signal);
  await server.exited;
}

describe(`workflow durability (${process.env.DATABASE_URL ? "PostgreSQL" : "PGlite"})`, () => {
  it("loses no acknowledged step and repeats none across 5 SIGKILLs, and fires a timer due while down once", {
    timeout: 300_000,
  }, async () => {
    const cloned = process.env.DATABASE_URL ? await cloneDatabase() : null;
    const env: Record<string, string> = {
      DATA_DIR: mkdtempSync(path.join(tmpdir(), "fourfold-wf-kill-")),
      DEMO: "false",
      ...(cloned?.url ? { DATABASE_URL: cloned.url } : {}),
    };
    let server = await boot(env);
    const token = await adminTokenFromFirstStart(server);
    let client: Client = { url: server.url, token };
    expect((await call(client, "POST", "/api/workflow/processes", TWO_TASKS, true)).status).toBe(201);
    expect((await call(client, "POST", "/api/workflow/processes", TIMER, true)).status).toBe(201);

    const started: string[] = [];
    const completed = new Map<string, string>(); // task id → instance id
    for (let round = 0; round < 5; round++) {
      let killed = false;
      const known = await openTasks(client, "kill-two-tasks");
      const worker = async () => {
        while (!killed) {
          try {
            const next = known.pop();
            if (next && randomInt(2) === 0) {
              const res = await call(client, "POST", `/api/workflow/tasks/${next.id}/complete`, {
                variables: { round },
              });
              if (res.status === 200) completed.set(next.id, next.instanceId);
              else if (!killed && res.status !== 409)
                throw new Error(`complete: ${res.status} ${JSON.stringify(res.body)}`);
            } else {
              const res = await call(client, "POST", "/api/workflow/processes/kill-two-tasks/instances", {
                businessKey: `R${round}`,
              });
              if (res.status === 201) started.push(res.body.id);
              else if (!killed) throw new Error(`start: ${res.status}`);
            }
          } catch (e) {
            if (!killed) throw e;
          }
        }
      };
      const workers = Array.from({ length: 20 }, () => worker().catch((e) => e));
      // The last round leaves a timer due while the server is down.
      let timerInstance = "";
      if (round === 4) {
        const res = await call(client, "POST", "/api/workflow/processes/kill-timer/instances", {});
        timerInstance = res.body.id;
        const [task] = (await openTasks(client, "kill-timer")).filter((t) => t.instanceId === timerInstance);
        expect((await call(client, "POST", `/api/workflow/tasks/${task!.id}/complete`, {})).status).toBe(200);
      }
      await new Promise((r) => setTimeout(r, 500 + randomInt(1000)));
      killed = true;
      await stop(server, "SIGKILL");
      const failures = (await Promise.all(workers)).filter(
        (e) => e instanceof Error && !/fetch failed|ECONNRESET|socket|other side closed/i.test(e.message),
      );
      expect(failures).toEqual([]);
      if (round === 4) await new Promise((r) => setTimeout(r, 2500)); // the timer falls due while down

      server = await boot(env);
      client = { url: server.url, token };
      if (round === 4) {
        const fired = await waitFor(async () => {
          const h = await history(client, timerInstance);
          return h.activeElements.includes("archive") ? h : null;
        });
        expect(count(fired.history, "wait", "completed")).toBe(1);
      }
    }

    // Every acknowledged start and completion survived; no element ran twice in any instance.
    for (const id of started) {
      const h = await history(client, id);
      for (const element of ["s", "first", "second"]) {
        expect(count(h.history, element, "completed"), `${id} ${element}`).toBeLessThanOrEqual(1);
      }
      expect(count(h.history, "first", "started")).toBe(1);
    }
    for (const [taskId, instanceId] of completed) {
      const h = await history(client, instanceId);
      expect(
        count(h.history, "first", "completed") + count(h.history, "second", "completed"),
        taskId,
      ).toBeGreaterThanOrEqual(1);
      const task = await call(client, "GET", `/api/workflow/tasks/${taskId}`);
      expect(task.body.state, taskId).toBe("completed");
    }
    expect(started.length).toBeGreaterThan(50);
    expect(completed.size).toBeGreaterThan(10);
    console.info(
      `workflow durability: ${started.length} starts and ${completed.size} completions acknowledged, 5 SIGKILLs, 0 lost, 0 repeated`,
    );
    await stop(server);
    await cloned?.close();
  });
});

/**
 * Two servers on one database. On PostgreSQL: two real processes. PGlite allows one process per
 * folder, so there: two complete platforms (HTTP, job runners) in this process on one database.
 */
async function twoServers(): Promise<{ clients: Client[]; stop(): Promise<void> }> {
  if (process.env.DATABASE_URL) {
    const cloned = await cloneDatabase();
    const env = {
      DATA_DIR: mkdtempSync(path.join(tmpdir(), "fourfold-wf-two-")),
      DEMO: "false",
      DATABASE_URL: cloned.url!,
    };
    const a = await boot(env);
    const token = await adminTokenFromFirstStart(a);
    const b = await boot(env);
    return {
      clients: [a, b].map((s) => ({ url: s.url, token })),
      async stop() {
        await Promise.all([stop(a), stop(b)]);
        await cloned.close();
      },
    };
  }
  const database = await cloneDatabase();
  // One installation: the same master key opens the same sealed signing keys.
  const env = { JOB_POLL_INTERVAL_MS: "50", MASTER_KEY: randomBytes(16).toString("hex") };
  const a = await startTestApp({ database: { ...database, close: async () => {} }, env });
  const b = await startTestApp({ database, env });
  const { token } = await buildAdmin(a.platform, a.app);
  const clients: Client[] = [];
  for (const t of [a, b]) {
    t.platform.startWorkers();
    clients.push({ url: await t.app.listen({ port: 0, host: "127.0.0.1" }), token });
  }
  return {
    clients,
    async stop() {
      await a.close();
      await b.close();
    },
  };
}

describe(`two servers on one ${process.env.DATABASE_URL ? "PostgreSQL (two processes)" : "PGlite (two platforms in one process)"}`, () => {
  it("never completes a task twice or fires a timer twice", { timeout: 120_000 }, async () => {
    const { clients, stop: stopAll } = await twoServers();
    const [a, b] = clients as [Client, Client];
    expect((await call(a, "POST", "/api/workflow/processes", TIMER, true)).status).toBe(201);
    const ids: string[] = [];
    for (let i = 0; i < 30; i++) {
      const res = await call(i % 2 ? a : b, "POST", "/api/workflow/processes/kill-timer/instances", {});
      expect(res.status).toBe(201);
      ids.push(res.body.id);
    }
    // Both servers complete every task at the same moment: one wins, the other is told it is done.
    const tasks = await openTasks(a, "kill-timer");
    expect(tasks).toHaveLength(30);
    const outcomes = await Promise.all(
      tasks.map(async (task) => {
        const [x, y] = await Promise.all(
          [a, b].map((c) => call(c, "POST", `/api/workflow/tasks/${task.id}/complete`, { variables: {} })),
        );
        return [x!.status, y!.status].sort().join(",");
      }),
    );
    expect(new Set(outcomes)).toEqual(new Set(["200,409"]));
    // Both job runners poll; each instance's timer fires exactly once.
    await waitFor(async () => ((await openTasks(b, "kill-timer")).length === 30 ? true : null), 30_000);
    for (const id of ids) {
      const h = await history(a, id);
      expect(count(h.history, "wait", "completed"), id).toBe(1);
      expect(count(h.history, "approve", "completed"), id).toBe(1);
      expect(count(h.history, "archive", "started"), id).toBe(1);
    }
    await stopAll();
  });
});

async function waitFor<T>(check: () => Promise<T | null>, timeoutMs = 20_000): Promise<T> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value) return value;
    if (Date.now() > until) throw new Error("condition not met in time");
    await new Promise((r) => setTimeout(r, 100));
  }
}
