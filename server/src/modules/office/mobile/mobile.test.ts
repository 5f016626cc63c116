import { randomUUID } from "node:crypto";
import { readFileSync } from "node:fs";
import { createServer } from "node:net";
import path from "node:path";
import { fileURLToPath } from "node:url";
import Fastify from "fastify";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  bearer,
  buildAdmin,
  buildDepartment,
  buildUser,
  type TestDepartment,
  type TestUser,
} from "../../../../test/factories";
import { eventually, json, ManualClock, startTestApp, type TestApp } from "../../../../test/harness";
import { rawQuery } from "../../../kernel/db/db";
import { mobileSettings, simulatorOf } from "./mobile";
import { signedHeaders } from "./signature";
import { MobileAppSimulator } from "./simulator/simulator";
import { registerSimulatorRoutes, SIMULATOR_PATH } from "./simulator/simulator.routes";

/**
 * The 粤政易 adapter against the real application listening on a port: webhooks travel over HTTP
 * to the built-in simulator, and the simulator's actions come back over HTTP. The simulator is the
 * one fake here — it stands for the provincial app, which tests cannot reach.
 */

const here = path.dirname(fileURLToPath(import.meta.url));
const leaveRequest = readFileSync(path.join(here, "../../../workflow/library/leave-request.bpmn"), "utf8");

let t: TestApp;
let clock: ManualClock;
let base: string;
let sim: MobileAppSimulator;
let admin: string;
let bureau: TestDepartment;
let approver1: TestUser;
let approver2: TestUser;
let approver3: TestUser; // not linked
let clerk: TestUser;
let outsider: TestUser; // another bureau, not a candidate
const tokens = new Map<string, string>();

const openId = (user: TestUser) => `yzy-${user.username}`;
const tokenOf = async (user: TestUser) => {
  if (!tokens.has(user.id)) tokens.set(user.id, await user.token(t.app));
  return tokens.get(user.id)!;
};
const call = async (
  who: TestUser | string,
  method: "GET" | "POST" | "PUT" | "DELETE",
  url: string,
  payload?: object,
) =>
  t.app.inject({
    method,
    url,
    headers: bearer(typeof who === "string" ? who : await tokenOf(who)),
    ...(payload ? { payload } : {}),
  });
const deploy = async (app: TestApp, token: string, xml: string) => {
  const res = await app.app.inject({
    method: "POST",
    url: "/api/workflow/processes",
    headers: { ...bearer(token), "content-type": "application/xml" },
    payload: xml,
  });
  expect(res.statusCode).toBe(201);
};

/** Relays events and runs due jobs until the condition holds (with NATS, events arrive on their own). */
async function settle(app: TestApp, until: () => boolean | Promise<boolean>) {
  await eventually(async () => {
    await app.platform.events.relayPending();
    await app.platform.jobs.runDue();
    return (await until()) || undefined;
  });
}
const hasCard = (user: TestUser, id: string) => sim.cardsOf(openId(user)).some((c) => c.id === id);

/** Starts a leave request as the clerk and returns the instance and its 科室负责人审批 task. */
async function startLeave(reason = "家中有事"): Promise<{ instanceId: string; taskId: string }> {
  const started = await call(clerk, "POST", "/api/workflow/processes/leave-request/instances", {
    variables: { days: 2, reason, signers: [] },
  });
  expect(started.statusCode).toBe(201);
  const instanceId = json<{ id: string }>(started).id;
  const todo = json<{ items: { id: string }[] }>(
    await call(approver1, "GET", `/api/workflow/tasks?view=todo&instanceId=${instanceId}`),
  );
  return { instanceId, taskId: todo.items[0]!.id };
}

async function taskState(taskId: string) {
  return json<{ state: string; assignee: { username: string } | null }>(
    await call(admin, "GET", `/api/workflow/tasks/${taskId}`),
  );
}
async function count(query: string, params: unknown[]): Promise<number> {
  const [row] = await rawQuery<{ n: number }>(t.platform.db, query, params);
  return row?.n ?? 0;
}

/** An action as the app sends it, signed with the given secret and time (for the refusal cases). */
async function postAction(body: Record<string, unknown>, options: { secret?: string; now?: Date } = {}) {
  const settings = mobileSettings(t.app, t.platform)!;
  const text = JSON.stringify(body);
  const res = await fetch(`${base}/api/office/mobile/actions`, {
    method: "POST",
    headers: signedHeaders(
      { appId: settings.appId, secret: options.secret ?? settings.secret, now: options.now ?? clock.now() },
      text,
    ),
    body: text,
  });
  return {
    status: res.status,
    type: res.headers.get("content-type") ?? "",
    replayed: res.headers.get("idempotent-replayed"),
    body: (await res.json()) as Record<string, unknown> & { code?: string; errors?: { field: string }[] },
  };
}

beforeAll(async () => {
  clock = new ManualClock(new Date("2026-12-01T02:00:00.000Z")); // a Tuesday, 10:00 in Guangzhou
  t = await startTestApp({ clock, env: { TOKEN_TTL_SECONDS: String(30 * 86_400) } });
  base = await t.app.listen({ port: 0, host: "127.0.0.1" });
  // Consumers of NATS JetStream when NATS_URL is set (in-process, the relay also runs on its own).
  await t.platform.events.start();
  sim = simulatorOf(t.app)!;
  admin = (await buildAdmin(t.platform, t.app)).token;
  await deploy(t, admin, leaveRequest);
  bureau = await buildDepartment(t.platform, "bureau");
  approver1 = await buildUser(t.platform, { roles: ["approver"], department: bureau });
  approver2 = await buildUser(t.platform, { roles: ["approver"], department: bureau });
  approver3 = await buildUser(t.platform, { roles: ["approver"], department: bureau });
  clerk = await buildUser(t.platform, { roles: ["clerk"], department: bureau });
  outsider = await buildUser(t.platform, { roles: ["officer"] });
  for (const user of [approver1, clerk, outsider]) {
    const res = await call(user, "PUT", `/api/office/mobile/accounts/${user.id}`, { openId: openId(user) });
    expect(res.statusCode).toBe(200);
  }
  const byAdmin = await call(admin, "PUT", `/api/office/mobile/accounts/${approver2.id}`, {
    openId: openId(approver2),
  });
  expect(byAdmin.statusCode).toBe(200);
}, 120_000);
afterAll(async () => {
  await t?.close();
});

describe("pushing tasks to 粤政易", () => {
  it("delivers a task to every linked candidate, signed, with no personal data in the card or the logs", async () => {
    const { taskId } = await startLeave("家中有事需要处理");
    await settle(t, () => hasCard(approver1, taskId) && hasCard(approver2, taskId));
    const card = sim.cardsOf(openId(approver1)).find((c) => c.id === taskId)!;
    expect(card).toMatchObject({
      kind: "task",
      title: "科室负责人审批",
      subtitle: "请假申请",
      link: `${t.config.publicUrl}/office/tasks?task=${taskId}`,
      claimable: true,
      state: "open",
    });
    expect(card.dueAt).not.toBeNull();
    expect(card.actions.map((a) => [a.label, a.variables])).toEqual([
      ["同意", { approved: true }],
      ["退回", { approved: false }],
    ]);
    // Not a candidate, or not linked: nothing.
    expect(hasCard(outsider, taskId) || hasCard(clerk, taskId)).toBe(false);
    const deliveries = await rawQuery<{ id: string; status: string; payload: unknown; open_id: string }>(
      t.platform.db,
      "select id, status, payload, open_id from office.mobile_deliveries where subject_id = $1 order by open_id",
      [taskId],
    );
    expect(deliveries.map((d) => [d.open_id, d.status])).toEqual(
      [openId(approver1), openId(approver2)].sort().map((o) => [o, "delivered"]),
    );
    const sent = JSON.stringify(deliveries.map((d) => d.payload));
    expect(sent).not.toContain("家中有事");
    expect(sent).not.toContain(clerk.username);
    // Each delivery reached the app once; the simulator checks each signature and refuses a bad one.
    const receipts = sim.receipts.filter((r) => deliveries.some((d) => d.id === r.deliveryId));
    expect(receipts.map((r) => [r.event, r.duplicate])).toEqual([
      ["task.created", false],
      ["task.created", false],
    ]);
    const forged = await fetch(`${base}${SIMULATOR_PATH}/webhook`, {
      method: "POST",
      headers: signedHeaders({ appId: "fourfold", secret: "not-the-shared-secret", now: clock.now() }, "{}"),
      body: "{}",
    });
    expect(forged.status).toBe(401);
    expect(t.logs.some((line) => line.includes(openId(approver1)) || line.includes("家中有事"))).toBe(false);
  });

  it("completes a task from the app as the linked user, and withdraws its cards", async () => {
    const { instanceId, taskId } = await startLeave();
    await settle(t, () => hasCard(approver1, taskId));
    const result = await sim.tap(openId(approver1), "task", taskId, "approve", "同意，注意安全");
    expect(result.status).toBe(200);
    expect(result.body).toMatchObject({
      outcome: "applied",
      type: "complete_task",
      task: { id: taskId, state: "completed" },
    });
    const instance = json<{ state: string; variables: { approved: boolean } }>(
      await call(admin, "GET", `/api/workflow/instances/${instanceId}`),
    );
    expect(instance).toMatchObject({ state: "completed", variables: { approved: true } });
    expect(
      await count(
        "select count(*)::int as n from audit.records where action = 'workflow.task.completed' and resource_id = $1 and actor_id = $2",
        [taskId, approver1.id],
      ),
    ).toBe(1);
    expect(
      await count(
        `select count(*)::int as n from audit.records where action = 'office.mobile.action.applied'
         and resource_id = $1 and actor_id = $2 and details->>'comment' = '同意，注意安全'`,
        [taskId, approver1.id],
      ),
    ).toBe(1);
    await settle(t, () => !hasCard(approver1, taskId) && !hasCard(approver2, taskId));
  });

  it("applies an action sent twice once, answering the same both times", async () => {
    const { taskId } = await startLeave();
    await settle(t, () => hasCard(approver2, taskId));
    const action = {
      actionId: `act-${randomUUID()}`,
      openId: openId(approver2),
      type: "complete_task" as const,
      taskId,
      variables: { approved: false },
    };
    const first = await sim.sendAction(action);
    const second = await sim.sendAction(action);
    expect(first.status).toBe(200);
    expect(second).toEqual(first);
    const third = await postAction(action);
    expect(third).toMatchObject({ status: 200, replayed: "true", body: first.body });
    expect(
      await count(
        "select count(*)::int as n from audit.records where action = 'workflow.task.completed' and resource_id = $1",
        [taskId],
      ),
    ).toBe(1);
    expect(
      await count("select count(*)::int as n from office.mobile_actions where action_id = $1", [
        action.actionId,
      ]),
    ).toBe(1);
    const reused = await postAction({ ...action, variables: { approved: true } });
    expect(reused).toMatchObject({ status: 422, body: { code: "MOBILE_ACTION_ID_REUSED" } });
  });

  it("refuses a forged signature, a stale timestamp, an unknown open id and someone else's task, changing nothing", async () => {
    const { taskId } = await startLeave();
    await settle(t, () => hasCard(approver1, taskId));
    const deniedBefore = await count(
      "select count(*)::int as n from audit.records where action = 'office.mobile.action.refused' and outcome = 'denied'",
      [],
    );
    const action = (user: string, type = "complete_task") => ({
      actionId: `act-${randomUUID()}`,
      openId: user,
      type,
      taskId,
      ...(type === "complete_task" ? { variables: { approved: true } } : {}),
    });

    const forged = await postAction(action(openId(approver1)), { secret: "someone-elses-secret-0000" });
    expect(forged).toMatchObject({ status: 401, body: { code: "MOBILE_SIGNATURE_INVALID" } });
    expect(forged.type).toContain("application/problem+json");
    expect(forged.body.errors?.[0]?.field).toBe("/headers/x-fourfold-signature");
    const stale = await postAction(action(openId(approver1)), {
      now: new Date(clock.now().getTime() - 6 * 60_000),
    });
    expect(stale).toMatchObject({ status: 401, body: { code: "MOBILE_TIMESTAMP_STALE" } });
    const unknown = await postAction(action("yzy-nobody-at-all"));
    expect(unknown).toMatchObject({ status: 403, body: { code: "MOBILE_ACCOUNT_NOT_LINKED" } });
    const notOffered = await postAction(action(openId(outsider)));
    expect(notOffered).toMatchObject({ status: 404, body: { code: "TASK_NOT_FOUND" } });
    expect(
      await count(
        `select count(*)::int as n from audit.records where action = 'office.mobile.action.refused'
         and outcome = 'denied' and actor_id = $1 and resource_id = $2 and details->>'reason' = 'TASK_NOT_FOUND'`,
        [outsider.id, taskId],
      ),
    ).toBe(1);

    // Claimed in the app by one candidate, the task is no longer another's to complete.
    const claimed = await postAction(action(openId(approver1), "claim_task"));
    expect(claimed).toMatchObject({
      status: 200,
      body: { task: { assignee: approver1.username, state: "open" } },
    });
    const taken = await postAction(action(openId(approver2)));
    expect(taken).toMatchObject({ status: 403, body: { code: "TASK_NOT_YOURS" } });

    expect(await taskState(taskId)).toMatchObject({
      state: "open",
      assignee: { username: approver1.username },
    });
    const deniedAfter = await count(
      "select count(*)::int as n from audit.records where action = 'office.mobile.action.refused' and outcome = 'denied'",
      [],
    );
    expect(deniedAfter - deniedBefore).toBe(5);
    // The other candidate's card is withdrawn once the task is claimed.
    await settle(t, () => !hasCard(approver2, taskId) && hasCard(approver1, taskId));

    const incomplete = await postAction({
      actionId: `act-${randomUUID()}`,
      openId: openId(approver1),
      type: "complete_task",
    });
    expect(incomplete.status).toBe(400);
    expect(incomplete.body.errors?.map((e) => e.field)).toEqual(["/body/taskId"]);
  });
});

describe("cards of tasks that end without an event of their own", () => {
  it("are withdrawn when the instance moves on (a countersign interrupted by its timeout)", async () => {
    const started = await call(clerk, "POST", "/api/workflow/processes/leave-request/instances", {
      variables: { days: 5, reason: "探亲", signers: [approver1.username] },
    });
    const instanceId = json<{ id: string }>(started).id;
    const todo = async (user: TestUser) =>
      json<{ items: { id: string; elementId: string }[] }>(
        await call(user, "GET", `/api/workflow/tasks?view=todo&instanceId=${instanceId}`),
      ).items;
    const [approve] = await todo(approver2);
    await call(approver2, "POST", `/api/workflow/tasks/${approve!.id}/complete`, {
      variables: { approved: true },
    });
    const [countersign] = await todo(approver1);
    expect(countersign?.elementId).toBe("countersign");
    await settle(t, () => hasCard(approver1, countersign!.id));
    expect(
      sim
        .cardsOf(openId(approver1))
        .find((c) => c.id === countersign!.id)
        ?.actions.map((a) => a.label),
    ).toEqual(["同意", "退回"]);
    clock.advance(3 * 86_400_000 + 1000); // 会签超时: the countersign is cancelled, the leader decides
    await settle(t, () => !hasCard(approver1, countersign!.id));
    expect((await taskState(countersign!.id)).state).toBe("cancelled");
  });
});

describe("notices in 粤政易", () => {
  it("pushes a department notice to that department's linked staff only, and reads it from the app", async () => {
    const published = await call(admin, "POST", "/api/office/notices", {
      audience: "department",
      departmentId: bureau.id,
      title: "关于开展年度考核的通知",
      body: "请于12月20日前完成自评。",
    });
    expect(published.statusCode).toBe(201);
    const { id } = json<{ id: string }>(published);
    await settle(t, () => [approver1, approver2, clerk].every((u) => hasCard(u, id)));
    expect(hasCard(outsider, id)).toBe(false);
    const card = sim.cardsOf(openId(clerk)).find((c) => c.id === id)!;
    expect(card).toMatchObject({ kind: "notice", title: "关于开展年度考核的通知", subtitle: "announcement" });
    const read = await sim.tap(openId(clerk), "notice", id, "read");
    expect(read).toMatchObject({ status: 200, body: { notice: { id } } });
    const mine = json<{ items: { id: string; readAt: string | null }[] }>(
      await call(clerk, "GET", "/api/office/notices"),
    );
    expect(mine.items.find((n) => n.id === id)?.readAt).not.toBeNull();
  });
});

describe("the simulated phone screen", () => {
  it("asks to sign in, then shows the person's cards with 同意/退回 that act through a signed action", async () => {
    const anonymous = await t.app.inject({ method: "GET", url: SIMULATOR_PATH });
    expect(anonymous.statusCode).toBe(200);
    expect(anonymous.body).toContain("请先在本站以工作人员账号登录");
    const { instanceId, taskId } = await startLeave();
    await settle(t, () => hasCard(approver1, taskId));
    const page = await call(approver1, "GET", SIMULATOR_PATH);
    expect(page.headers["content-type"]).toContain("text/html");
    expect(page.body).toContain("科室负责人审批");
    expect(page.body).toContain(`/cards/task/${taskId}`);
    expect(page.body).toMatch(/<button name="choice" value="reject" class="reject">退回<\/button>/);
    const english = await call(approver1, "GET", `${SIMULATOR_PATH}?lang=en`);
    expect(english.body).toContain("Yuezhengyi (simulator)");

    const form = (origin: string) =>
      tokenOf(approver1).then((token) =>
        t.app.inject({
          method: "POST",
          url: `${SIMULATOR_PATH}/cards/task/${taskId}`,
          headers: {
            ...bearer(token),
            "content-type": "application/x-www-form-urlencoded",
            origin,
            host: "localhost:80",
          },
          payload: "choice=reject&comment=",
        }),
      );
    expect((await form("https://elsewhere.example")).statusCode).toBe(403);
    expect((await taskState(taskId)).state).toBe("open");
    const tapped = await form("http://localhost:80");
    expect(tapped.statusCode).toBe(303);
    expect(tapped.headers.location).toBe(SIMULATOR_PATH);
    expect((await taskState(taskId)).state).toBe("completed");
    const instance = json<{ variables: { approved: boolean } }>(
      await call(admin, "GET", `/api/workflow/instances/${instanceId}`),
    );
    expect(instance.variables.approved).toBe(false);
  });
});

describe("linking accounts", () => {
  it("is for the person or an administrator, one open id per account, audited", async () => {
    const others = await call(approver3, "PUT", `/api/office/mobile/accounts/${approver1.id}`, {
      openId: "yzy-hijack",
    });
    expect(others.statusCode).toBe(403);
    const taken = await call(approver3, "PUT", `/api/office/mobile/accounts/${approver3.id}`, {
      openId: openId(approver1),
    });
    expect(taken.statusCode).toBe(409);
    const bad = await call(approver3, "PUT", `/api/office/mobile/accounts/${approver3.id}`, {
      openId: "x y",
    });
    expect(json<{ errors: { field: string }[] }>(bad).errors[0]?.field).toBe("/body/openId");
    expect((await call(approver3, "GET", `/api/office/mobile/accounts/${approver3.id}`)).statusCode).toBe(
      404,
    );
    const seen = await call(admin, "GET", `/api/office/mobile/accounts/${approver2.id}`);
    expect(json(seen)).toMatchObject({ userId: approver2.id, openId: openId(approver2) });
    expect(
      await count(
        "select count(*)::int as n from audit.records where action = 'office.mobile-account.linked' and resource_id = $1",
        [approver2.id],
      ),
    ).toBe(1);
  });

  it("withdraws the app's cards when an account is unlinked", async () => {
    const { taskId } = await startLeave();
    await settle(t, () => hasCard(approver2, taskId));
    const res = await call(approver2, "DELETE", `/api/office/mobile/accounts/${approver2.id}`);
    expect(res.statusCode).toBe(204);
    await settle(t, () => sim.cardsOf(openId(approver2)).length === 0);
    expect(hasCard(approver1, taskId)).toBe(true);
  });
});

describe("a newly linked account", () => {
  it("gets what already waits for the person: open tasks and unread notices", async () => {
    const { taskId } = await startLeave();
    const published = await call(admin, "POST", "/api/office/notices", {
      audience: "department",
      departmentId: bureau.id,
      title: "关于调整午休时间的通知",
      body: "自下周一起执行。",
    });
    const noticeId = json<{ id: string }>(published).id;
    // The events are handled before the link, so only linking can bring these to the new phone.
    await settle(t, () => hasCard(approver1, taskId) && hasCard(approver1, noticeId));
    expect(sim.cardsOf(openId(approver3))).toEqual([]);
    const res = await call(approver3, "PUT", `/api/office/mobile/accounts/${approver3.id}`, {
      openId: openId(approver3),
    });
    expect(res.statusCode).toBe(200);
    await settle(t, () => hasCard(approver3, taskId) && hasCard(approver3, noticeId));
  });
});

describe("a real app endpoint that is down", () => {
  it("loses nothing: the delivery is retried with back-off and arrives once per delivery id", async () => {
    const port = await freePort();
    const url = `http://127.0.0.1:${port}${SIMULATOR_PATH}/webhook`;
    const secret = "a-provincial-shared-secret-2026";
    const clock2 = new ManualClock(new Date("2026-12-01T02:00:00.000Z"));
    const t2 = await startTestApp({
      clock: clock2,
      env: {
        MOBILE_APP_WEBHOOK_URL: url,
        MOBILE_APP_SECRET: secret,
        MOBILE_APP_ID: "yunxi-district",
        TOKEN_TTL_SECONDS: String(30 * 86_400),
      },
    });
    const outside = Fastify();
    try {
      await t2.platform.events.start();
      expect(simulatorOf(t2.app)).toBeUndefined(); // a real URL: no simulator on the server
      const adminToken = (await buildAdmin(t2.platform, t2.app)).token;
      await deploy(t2, adminToken, leaveRequest);
      const department = await buildDepartment(t2.platform, "bureau");
      const approver = await buildUser(t2.platform, { roles: ["approver"], department });
      const starter = await buildUser(t2.platform, { roles: ["clerk"], department });
      const approverToken = await approver.token(t2.app);
      await t2.app.inject({
        method: "PUT",
        url: `/api/office/mobile/accounts/${approver.id}`,
        headers: bearer(approverToken),
        payload: { openId: "yzy-real-approver" },
      });
      const started = await t2.app.inject({
        method: "POST",
        url: "/api/workflow/processes/leave-request/instances",
        headers: bearer(await starter.token(t2.app)),
        payload: { variables: { days: 1, reason: "体检", signers: [] } },
      });
      expect(started.statusCode).toBe(201);

      // The app is down: the first attempt fails and is kept, with the reason, for a retry.
      const failed = await eventually(async () => {
        await t2.platform.events.relayPending();
        await t2.platform.jobs.runDue();
        const [job] = await rawQuery<{ attempts: number; last_error: string | null; status: string }>(
          t2.platform.db,
          "select attempts, last_error, status from platform.jobs where kind = 'office.mobile.deliver'",
          [],
        );
        return job && job.attempts >= 1 ? job : undefined;
      });
      expect(failed).toMatchObject({ attempts: 1, status: "pending" });
      expect(failed.last_error).toMatch(/fetch failed|ECONNREFUSED/);
      const [pending] = await rawQuery<{ id: string; status: string; payload: unknown }>(
        t2.platform.db,
        "select id, status, payload from office.mobile_deliveries",
        [],
      );
      expect(pending?.status).toBe("pending");
      expect(await t2.platform.jobs.runDue()).toBe(0); // not before its back-off

      // The app comes up; after the back-off the same delivery arrives, once.
      const app = new MobileAppSimulator({
        appId: "yunxi-district",
        secret,
        clock: clock2,
        stateFile: null,
        platformUrl: () => "http://127.0.0.1:1",
      });
      registerSimulatorRoutes(outside, app, async () => null);
      await outside.listen({ port, host: "127.0.0.1" });
      clock2.advance(3000);
      expect(await t2.platform.jobs.runDue()).toBe(1);
      expect(app.receipts).toEqual([
        { deliveryId: pending!.id, event: "task.created", openId: "yzy-real-approver", duplicate: false },
      ]);
      expect(app.cardsOf("yzy-real-approver")).toHaveLength(1);
      const [delivered] = await rawQuery<{ status: string; attempts: number }>(
        t2.platform.db,
        "select status, attempts from office.mobile_deliveries where id = $1",
        [pending!.id],
      );
      expect(delivered).toEqual({ status: "delivered", attempts: 2 });

      // Had the acknowledgement been lost, the platform would send it again: the app keeps one copy.
      const body = JSON.stringify({
        deliveryId: pending!.id,
        appId: "yunxi-district",
        ...(typeof pending!.payload === "string" ? JSON.parse(pending!.payload) : pending!.payload),
      });
      const again = await fetch(url, {
        method: "POST",
        headers: signedHeaders(
          { appId: "yunxi-district", secret, now: clock2.now(), deliveryId: pending!.id },
          body,
        ),
        body,
      });
      expect(await again.json()).toEqual({ received: true, duplicate: true });
      expect(app.cardsOf("yzy-real-approver")).toHaveLength(1);
    } finally {
      await outside.close();
      await t2.close();
    }
  });
});

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      server.close(() => resolve(typeof address === "object" && address ? address.port : 0));
    });
  });
}
