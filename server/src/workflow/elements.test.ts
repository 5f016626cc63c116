import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { bearer, buildAdmin, buildDepartment, buildUser, type TestUser } from "../../test/factories";
import { json, ManualClock, startTestApp, type TestApp } from "../../test/harness";
import { rawQuery } from "../kernel/db/db";

/**
 * The BPMN elements and deadline behaviour one by one, through the HTTP API on a real database:
 * sequential countersign, non-interrupting timers and escalations, timer and message start events,
 * deadline reminders and escalation events, incidents, the instance list and 抄送.
 */

let t: TestApp;
let clock: ManualClock;
let admin: string;
let clerk: TestUser;
let officer: TestUser;
let outsider: TestUser;
let failures = 0;
const tokens = new Map<string, string>();

const tokenOf = async (user: TestUser) => {
  if (!tokens.has(user.username)) tokens.set(user.username, await user.token(t.app));
  return tokens.get(user.username)!;
};
const call = async (who: string, method: "GET" | "POST", url: string, payload?: unknown) =>
  t.app.inject({
    method,
    url,
    headers: bearer(who),
    ...(payload === undefined ? {} : { payload: payload as object }),
  });
const deploy = async (xml: string) => {
  const res = await t.app.inject({
    method: "POST",
    url: "/api/workflow/processes",
    headers: { ...bearer(admin), "content-type": "application/xml" },
    payload: xml,
  });
  expect(res.statusCode, res.body).toBe(201);
};
const start = async (
  user: TestUser,
  key: string,
  variables: Record<string, unknown> = {},
  businessKey?: string,
) => {
  const res = await call(await tokenOf(user), "POST", `/api/workflow/processes/${key}/instances`, {
    variables,
    ...(businessKey ? { businessKey } : {}),
  });
  expect(res.statusCode, res.body).toBe(201);
  return json<{ id: string }>(res).id;
};
const todo = async (user: TestUser, instanceId: string) =>
  json<{ items: { id: string; elementId: string; dueAt: string | null; overdue: boolean }[] }>(
    await call(await tokenOf(user), "GET", `/api/workflow/tasks?instanceId=${instanceId}`),
  ).items;
const complete = async (user: TestUser, taskId: string, variables: Record<string, unknown> = {}) =>
  (await call(await tokenOf(user), "POST", `/api/workflow/tasks/${taskId}/complete`, { variables }))
    .statusCode;
const instance = async (id: string) =>
  json<{
    state: string;
    activeElements: string[];
    history: { elementId: string; event: string }[];
    incidents: { elementId: string; message: string }[];
  }>(await call(admin, "GET", `/api/workflow/instances/${id}`));
const topics = async (instanceOrTask: string) =>
  (
    await rawQuery<{ topic: string }>(
      t.platform.db,
      `select topic from platform.outbox where payload->>'instanceId' = $1 or payload->>'taskId' = $1 order by id`,
      [instanceOrTask],
    )
  ).map((r) => r.topic);

function model(id: string, body: string, extra = ""): string {
  return `<?xml version="1.0" encoding="UTF-8"?>
<definitions xmlns="http://www.omg.org/spec/BPMN/20100524/MODEL" xmlns:camunda="http://camunda.org/schema/1.0/bpmn"
  xmlns:flowable="http://flowable.org/bpmn" xmlns:fourfold="https://fourfold.dev/schema/bpmn"
  xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" targetNamespace="t">${extra}<process id="${id}" isExecutable="true">${body}</process></definitions>`;
}

beforeAll(async () => {
  clock = new ManualClock(new Date("2026-12-04T01:00:00.000Z")); // Friday 09:00 in Guangzhou
  t = await startTestApp({ clock, env: { TOKEN_TTL_SECONDS: String(30 * 86_400) } });
  t.platform.workflow.registerHandler("test.always-fails", async () => {
    failures++;
    throw new Error("the courier API is down");
  });
  admin = (await buildAdmin(t.platform, t.app)).token;
  const bureau = await buildDepartment(t.platform, "bureau");
  clerk = await buildUser(t.platform, { roles: ["clerk"], department: bureau });
  officer = await buildUser(t.platform, { roles: ["officer"], department: bureau });
  outsider = await buildUser(t.platform, {
    roles: ["clerk"],
    department: await buildDepartment(t.platform, "bureau"),
  });
}, 60_000);
afterAll(async () => t?.close());

describe("multi-instance and assignment", () => {
  it("runs a sequential countersign one signer after the other, assigned by flowable: attributes", async () => {
    await deploy(
      model(
        "sequential-sign",
        `<startEvent id="s"/><sequenceFlow id="f1" sourceRef="s" targetRef="sign"/>
         <userTask id="sign" flowable:assignee="\${signer}">
           <multiInstanceLoopCharacteristics isSequential="true" flowable:collection="signers" flowable:elementVariable="signer"/>
         </userTask>
         <sequenceFlow id="f2" sourceRef="sign" targetRef="e"/><endEvent id="e"/>`,
      ),
    );
    const id = await start(clerk, "sequential-sign", { signers: [officer.username, clerk.username] });
    expect(await todo(clerk, id)).toEqual([]);
    const [first] = await todo(officer, id);
    expect(await complete(officer, first!.id)).toBe(200);
    const [second] = await todo(clerk, id);
    expect(second!.elementId).toBe("sign");
    expect(await complete(clerk, second!.id)).toBe(200);
    expect((await instance(id)).state).toBe("completed");
  });

  it("offers a task to the standard potentialOwner's users and groups", async () => {
    await deploy(
      model(
        "potential-owner",
        `<startEvent id="s"/><sequenceFlow id="f1" sourceRef="s" targetRef="u"/>
         <userTask id="u"><potentialOwner><resourceAssignmentExpression><formalExpression>user(${officer.username}), group(approver)</formalExpression></resourceAssignmentExpression></potentialOwner></userTask>
         <sequenceFlow id="f2" sourceRef="u" targetRef="e"/><endEvent id="e"/>`,
      ),
    );
    const id = await start(clerk, "potential-owner");
    expect(await todo(clerk, id)).toEqual([]);
    expect((await todo(officer, id)).map((x) => x.elementId)).toEqual(["u"]);
  });
});

describe("timers, escalations and start events", () => {
  it("reminds without interrupting (a cycle), and escalates from a subprocess without stopping it", async () => {
    await deploy(
      model(
        "reminders",
        `<startEvent id="s"/><sequenceFlow id="f1" sourceRef="s" targetRef="work"/>
         <subProcess id="work">
           <startEvent id="ws"/><sequenceFlow id="w1" sourceRef="ws" targetRef="raise"/>
           <intermediateThrowEvent id="raise"><escalationEventDefinition escalationRef="late"/></intermediateThrowEvent>
           <sequenceFlow id="w2" sourceRef="raise" targetRef="do"/>
           <userTask id="do" camunda:candidateGroups="clerk"/>
           <sequenceFlow id="w3" sourceRef="do" targetRef="we"/><endEvent id="we"/>
         </subProcess>
         <boundaryEvent id="notify" attachedToRef="work" cancelActivity="false"><escalationEventDefinition escalationRef="late"/></boundaryEvent>
         <sequenceFlow id="f2" sourceRef="notify" targetRef="told"/><userTask id="told" camunda:candidateGroups="officer"/>
         <sequenceFlow id="f3" sourceRef="told" targetRef="te"/><endEvent id="te"/>
         <boundaryEvent id="nudge" attachedToRef="work" cancelActivity="false"><timerEventDefinition><timeCycle>R2/PT1H</timeCycle></timerEventDefinition></boundaryEvent>
         <sequenceFlow id="f4" sourceRef="nudge" targetRef="nudged"/><endEvent id="nudged"/>
         <sequenceFlow id="f5" sourceRef="work" targetRef="e"/><endEvent id="e"/>`,
        `<escalation id="late" escalationCode="LATE"/>`,
      ),
    );
    const id = await start(clerk, "reminders");
    // The escalation started the officer's task; the clerk's task inside the subprocess goes on.
    expect((await todo(officer, id)).map((x) => x.elementId)).toEqual(["told"]);
    const [task] = await todo(clerk, id);
    expect(task!.elementId).toBe("do");
    for (let hour = 0; hour < 3; hour++) {
      clock.advance(3_600_000 + 1000);
      await t.platform.jobs.runDue();
    }
    const h = await instance(id);
    expect(h.history.filter((x) => x.elementId === "nudge" && x.event === "triggered")).toHaveLength(2);
    expect(h.activeElements).toEqual(expect.arrayContaining(["work", "do", "told"]));
    expect(await complete(clerk, task!.id)).toBe(200);
    const [told] = await todo(officer, id);
    expect(await complete(officer, told!.id)).toBe(200);
    expect((await instance(id)).state).toBe("completed");
  });

  it("starts instances from a timer start event and from a message start event", async () => {
    const at = new Date(clock.now().getTime() + 60_000).toISOString();
    await deploy(
      model(
        "nightly",
        `<startEvent id="tick"><timerEventDefinition><timeDate>${at}</timeDate></timerEventDefinition></startEvent>
         <sequenceFlow id="f1" sourceRef="tick" targetRef="check"/><userTask id="check" camunda:candidateGroups="officer"/>
         <sequenceFlow id="f2" sourceRef="check" targetRef="e"/><endEvent id="e"/>`,
      ),
    );
    const count = async (key: string) =>
      json<{ total: number }>(await call(admin, "GET", `/api/workflow/instances?processKey=${key}`)).total;
    await t.platform.jobs.runDue();
    expect(await count("nightly")).toBe(0);
    clock.advance(61_000);
    await t.platform.jobs.runDue();
    await t.platform.jobs.runDue();
    expect(await count("nightly")).toBe(1);
    // Starting it by hand is refused: it has no none start event.
    expect(
      (await call(await tokenOf(officer), "POST", "/api/workflow/processes/nightly/instances", {}))
        .statusCode,
    ).toBe(422);

    await deploy(
      model(
        "on-report",
        `<startEvent id="s"><messageEventDefinition messageRef="m"/></startEvent>
         <sequenceFlow id="f1" sourceRef="s" targetRef="triage"/><userTask id="triage" camunda:candidateGroups="officer"/>
         <sequenceFlow id="f2" sourceRef="triage" targetRef="e"/><endEvent id="e"/>`,
        `<message id="m" name="citizen-report"/>`,
      ),
    );
    const res = await call(admin, "POST", "/api/workflow/messages", {
      messageName: "citizen-report",
      businessKey: "12345-0001",
      variables: { where: "东街" },
    });
    expect(json(res)).toMatchObject({ started: true, instanceIds: [expect.any(String)] });
    const started = json<{ items: { businessKey: string; state: string }[] }>(
      await call(
        admin,
        "GET",
        "/api/workflow/instances?processKey=on-report&state=active&businessKey=12345-0001",
      ),
    );
    expect(started.items).toHaveLength(1);
  });
});

describe("who may start a process", () => {
  it("lets only candidate starters start it, and says so in the process list", async () => {
    await deploy(
      model(
        "officers-only",
        `<startEvent id="s"/><sequenceFlow id="f1" sourceRef="s" targetRef="e"/><endEvent id="e"/>`,
      ).replace('isExecutable="true"', 'isExecutable="true" camunda:candidateStarterGroups="officer"'),
    );
    const listed = async (user: TestUser) =>
      Object.fromEntries(
        json<{ items: { key: string; startable: boolean }[] }>(
          await call(await tokenOf(user), "GET", "/api/workflow/processes"),
        ).items.map((p) => [p.key, p.startable]),
      );
    expect(await listed(clerk)).toMatchObject({
      "officers-only": false,
      nightly: false,
      "sequential-sign": true,
    });
    expect(await listed(officer)).toMatchObject({ "officers-only": true });
    expect(
      (await call(await tokenOf(clerk), "POST", "/api/workflow/processes/officers-only/instances", {}))
        .statusCode,
    ).toBe(403);
    expect(
      (await call(await tokenOf(officer), "POST", "/api/workflow/processes/officers-only/instances", {}))
        .statusCode,
    ).toBe(201);
  });
});

describe("deadlines in working days", () => {
  it("counts working days over the weekend, reminds before the deadline and escalates after it", async () => {
    await deploy(
      model(
        "deadline",
        `<startEvent id="s"/><sequenceFlow id="f1" sourceRef="s" targetRef="u"/>
         <userTask id="u" camunda:candidateGroups="clerk" camunda:dueDate="\${workingDays(1)}"/>
         <sequenceFlow id="f2" sourceRef="u" targetRef="wait"/>
         <intermediateCatchEvent id="wait"><timerEventDefinition><timeDate xsi:type="tFormalExpression">\${workingDays(2)}</timeDate></timerEventDefinition></intermediateCatchEvent>
         <sequenceFlow id="f3" sourceRef="wait" targetRef="e"/><endEvent id="e"/>`,
      ),
    );
    const now = clock.now(); // a Friday (or later): the next working day is after the weekend
    const id = await start(clerk, "deadline");
    const [task] = await todo(clerk, id);
    const due = new Date(task!.dueAt!);
    // The end of the next working day in China time: never a Saturday or Sunday.
    const day = new Date(due.getTime() + 8 * 3_600_000).getUTCDay();
    expect([0, 6]).not.toContain(day);
    expect(due.getTime() - now.getTime()).toBeGreaterThan(24 * 3_600_000);
    clock.advance(due.getTime() - clock.now().getTime() - 3_600_000);
    await t.platform.jobs.runDue();
    expect(await topics(task!.id)).toContain("workflow.task.due-soon");
    expect(await topics(task!.id)).not.toContain("workflow.task.overdue");
    clock.advance(2 * 3_600_000);
    await t.platform.jobs.runDue();
    expect(await topics(task!.id)).toContain("workflow.task.overdue");
    const [late] = await todo(clerk, id);
    expect(late!.overdue).toBe(true);
    expect(await complete(clerk, late!.id)).toBe(200);
    expect((await instance(id)).activeElements).toEqual(["wait"]);
    clock.advance(10 * 86_400_000);
    await t.platform.jobs.runDue();
    expect((await instance(id)).state).toBe("completed");
  });
});

describe("incidents, visibility and 抄送", () => {
  it("retries a failing service task and shows an incident once the attempts are spent", async () => {
    await deploy(
      model(
        "courier",
        `<startEvent id="s"/><sequenceFlow id="f1" sourceRef="s" targetRef="ship"/>
         <serviceTask id="ship" fourfold:handler="test.always-fails"/><sequenceFlow id="f2" sourceRef="ship" targetRef="e"/><endEvent id="e"/>`,
      ),
    );
    const id = await start(clerk, "courier");
    for (let i = 0; i < 12; i++) {
      clock.advance(3_700_000);
      await t.platform.jobs.runDue();
    }
    expect(failures).toBe(10);
    const h = await instance(id);
    expect(h.state).toBe("active");
    expect(h.incidents).toEqual([
      expect.objectContaining({ elementId: "ship", message: "the courier API is down" }),
    ]);
  });

  it("hides an instance from outsiders until it is copied to them", async () => {
    const id = await start(clerk, "sequential-sign", { signers: [officer.username] }, "CC-1");
    const outsiderToken = await tokenOf(outsider);
    expect((await call(outsiderToken, "GET", `/api/workflow/instances/${id}`)).statusCode).toBe(404);
    expect(json<{ total: number }>(await call(outsiderToken, "GET", "/api/workflow/instances")).total).toBe(
      0,
    );
    const copied = await call(await tokenOf(clerk), "POST", `/api/workflow/instances/${id}/cc`, {
      usernames: [outsider.username],
    });
    expect(json(copied)).toEqual({ added: 1 });
    expect(
      (
        await call(await tokenOf(clerk), "POST", `/api/workflow/instances/${id}/cc`, {
          usernames: ["nobody-here"],
        })
      ).statusCode,
    ).toBe(422);
    expect((await call(outsiderToken, "GET", `/api/workflow/instances/${id}`)).statusCode).toBe(200);
    const cc = json<{ items: { instanceId: string }[] }>(
      await call(outsiderToken, "GET", "/api/workflow/tasks?view=cc"),
    );
    expect(cc.items.map((x) => x.instanceId)).toEqual([id]);
    // Only the starter (or an administrator) may withdraw it.
    expect(
      (await call(outsiderToken, "POST", `/api/workflow/instances/${id}/cancel`, { reason: "x" })).statusCode,
    ).toBe(403);
    const mine = json<{ items: { id: string }[] }>(
      await call(await tokenOf(clerk), "GET", "/api/workflow/instances?mine=true&state=active"),
    );
    expect(mine.items.map((x) => x.id)).toContain(id);
  });
});
