import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { bearer, buildAdmin, buildDepartment, buildUser, type TestUser } from "../../test/factories";
import { fixturesDir } from "../../test/fixtures";
import { json, ManualClock, startTestApp, type TestApp } from "../../test/harness";
import { rawQuery } from "../kernel/db/db";
import { BpmnError } from "./engine";

const here = path.dirname(fileURLToPath(import.meta.url));
const library = (name: string) => readFileSync(path.join(here, "library", name), "utf8");
const MIWG = path.join(fixturesDir(), "bpmn-miwg");

let t: TestApp;
let clock: ManualClock;
let admin: string;
let clerk: TestUser;
let approver: TestUser;
let leader: TestUser;
let signerA: TestUser;
let signerB: TestUser;
const tokens = new Map<string, string>();
const idempotencyKeys: string[] = [];

const inject = async (
  who: string,
  method: "GET" | "POST",
  url: string,
  payload?: unknown,
  headers: Record<string, string> = {},
) =>
  t.app.inject({
    method,
    url,
    headers: { ...bearer(who), ...headers },
    ...(payload === undefined ? {} : { payload: payload as object }),
  });
const deploy = (xml: string) =>
  t.app.inject({
    method: "POST",
    url: "/api/workflow/processes",
    headers: { ...bearer(admin), "content-type": "application/xml" },
    payload: xml,
  });
const tokenOf = async (user: TestUser) => {
  if (!tokens.has(user.username)) tokens.set(user.username, await user.token(t.app));
  return tokens.get(user.username)!;
};
async function todo(user: TestUser, instanceId: string) {
  const res = await inject(
    await tokenOf(user),
    "GET",
    `/api/workflow/tasks?view=todo&instanceId=${instanceId}`,
  );
  expect(res.statusCode).toBe(200);
  return json<{
    items: {
      id: string;
      elementId: string;
      name: string;
      assignee: { username: string } | null;
      dueAt: string | null;
    }[];
  }>(res).items;
}
async function complete(user: TestUser, taskId: string, variables: Record<string, unknown> = {}) {
  return inject(await tokenOf(user), "POST", `/api/workflow/tasks/${taskId}/complete`, { variables });
}
async function instance(id: string) {
  const res = await inject(admin, "GET", `/api/workflow/instances/${id}`);
  expect(res.statusCode).toBe(200);
  return json<{
    state: string;
    labels: Record<string, string>;
    activeElements: string[];
    variables: Record<string, unknown>;
    history: { elementId: string; event: string; actor: { name: string } | null }[];
    version: number;
  }>(res);
}
async function start(
  user: TestUser | string,
  key: string,
  variables: Record<string, unknown> = {},
  businessKey?: string,
) {
  const who = typeof user === "string" ? user : await tokenOf(user);
  return inject(who, "POST", `/api/workflow/processes/${key}/instances`, {
    variables,
    ...(businessKey ? { businessKey } : {}),
  });
}

beforeAll(async () => {
  clock = new ManualClock(new Date("2026-12-01T02:00:00.000Z")); // a Tuesday, 10:00 in Guangzhou
  // The test moves the clock by days (timers); sessions must outlive that.
  t = await startTestApp({ clock, env: { TOKEN_TTL_SECONDS: String(30 * 86_400) } });
  t.platform.workflow.registerHandler("test.compute-fee", async ({ variables, idempotencyKey }) => {
    idempotencyKeys.push(idempotencyKey);
    if (variables.amount === -1) throw new BpmnError("INVALID_AMOUNT");
    return { fee: Number(variables.amount) * 2 };
  });
  admin = (await buildAdmin(t.platform, t.app)).token;
  const bureau = await buildDepartment(t.platform, "bureau");
  clerk = await buildUser(t.platform, { roles: ["clerk"], department: bureau });
  approver = await buildUser(t.platform, { roles: ["approver"], department: bureau });
  leader = await buildUser(t.platform, { roles: ["leader"], department: bureau });
  signerA = await buildUser(t.platform, { roles: ["officer"], department: bureau });
  signerB = await buildUser(t.platform, { roles: ["officer"], department: bureau });
  for (const file of ["leave-request.bpmn", "approval-with-correction.bpmn", "parallel-review.bpmn"]) {
    expect((await deploy(library(file))).statusCode).toBe(201);
  }
}, 60_000);
afterAll(async () => {
  if (process.env.WF_DEBUG)
    for (const l of t.logs) if (l.includes('"level":50')) console.log(l.slice(0, 1500));
  await t?.close();
});

describe("deploying models", () => {
  it("refuses malformed XML, unsupported elements, unknown handlers and wait-free cycles, naming the element", async () => {
    const cases: [string, RegExp][] = [
      ["<definitions><oops", /Not a BPMN 2.0 document/],
      [
        model(`<startEvent id="s"/><sequenceFlow id="f" sourceRef="s" targetRef="x"/><scriptTask id="x"/>`),
        /x: script tasks/,
      ],
      [
        model(
          `<startEvent id="s"/><sequenceFlow id="f" sourceRef="s" targetRef="x"/><serviceTask id="x" fourfold:handler="nope"/>`,
        ),
        /x: unknown service handler "nope"/,
      ],
      [
        model(`<startEvent id="s"/><sequenceFlow id="f1" sourceRef="s" targetRef="g"/><exclusiveGateway id="g"/>
          <sequenceFlow id="f2" sourceRef="g" targetRef="t"/><task id="t"/><sequenceFlow id="f3" sourceRef="t" targetRef="g"/>`),
        /cycle through this element has no wait state/,
      ],
      [
        model(
          `<startEvent id="s"/><sequenceFlow id="f" sourceRef="s" targetRef="e"><conditionExpression>\${a &gt;}</conditionExpression></sequenceFlow><endEvent id="e"/>`,
        ),
        /f: invalid expression/,
      ],
      [
        model(`<startEvent id="s"/><sequenceFlow id="f1" sourceRef="s" targetRef="c"/><callActivity id="c" calledElement="nowhere"/>
          <sequenceFlow id="f2" sourceRef="c" targetRef="e"/><endEvent id="e"/>`),
        /c: calls process "nowhere", which is not deployed/,
      ],
    ];
    for (const [xml, message] of cases) {
      const res = await deploy(xml);
      expect(res.statusCode, xml).toBe(422);
      const problem = json<{
        code: string;
        detail: string;
        errors: { field: string }[];
        problems: { elementId: string | null }[];
      }>(res);
      expect(problem.code).toBe("PROCESS_MODEL_INVALID");
      expect(problem.detail).toMatch(message);
      expect(problem.errors[0]!.field).toBe("/body");
    }
    const list = json<{ items: { key: string }[] }>(await inject(admin, "GET", "/api/workflow/processes"));
    expect(list.items.map((p) => p.key).sort()).toEqual([
      "generic-approval",
      "leave-request",
      "parallel-review",
    ]);
  });

  it("is admin-only, and the same model again makes no new version", async () => {
    const res = await t.app.inject({
      method: "POST",
      url: "/api/workflow/processes",
      headers: { ...bearer(await tokenOf(clerk)), "content-type": "application/xml" },
      payload: library("parallel-review.bpmn"),
    });
    expect(res.statusCode).toBe(403);
    // Hand-written models get a laid-out diagram, so the inbox can draw them.
    const stored = json<{ xml: string }>(
      await inject(admin, "GET", "/api/workflow/processes/parallel-review"),
    );
    expect(stored.xml).toContain("BPMNShape");
    const shipped = await t.platform.db.transaction((tx) =>
      t.platform.workflow.deployLibrary({
        actor: null,
        requestId: "test",
        ip: null,
        tx,
        clock,
        log: t.platform.log,
      }),
    );
    // The three deployed in beforeAll are unchanged; the other templates (library.test.ts) are new.
    expect(shipped.filter((p) => p.unchanged).map((p) => p.key)).toEqual([
      "generic-approval",
      "leave-request",
      "parallel-review",
    ]);
    expect(shipped.filter((p) => !p.unchanged).map((p) => p.key)).toEqual(
      expect.arrayContaining(["seal-request", "vehicle-request"]),
    );
    const again = json<{ version: number; processes: { unchanged: boolean }[] }>(
      await deploy(library("parallel-review.bpmn")),
    );
    expect(again).toMatchObject({ version: 1, processes: [{ unchanged: true }] });
  });

  it("validates without deploying, listing each problem with its element", async () => {
    const res = await t.app.inject({
      method: "POST",
      url: "/api/workflow/processes/validate",
      headers: { ...bearer(admin), "content-type": "application/xml" },
      payload: model(
        `<startEvent id="s"/><sequenceFlow id="f" sourceRef="s" targetRef="x"/><complexGateway id="x"/>`,
      ),
    });
    expect(json(res)).toMatchObject({ valid: false, errors: [{ elementId: "x" }] });
  });

  it("reports an element written without its id instead of failing (found by the fuzz test)", async () => {
    const res = await t.app.inject({
      method: "POST",
      url: "/api/workflow/processes/validate",
      headers: { ...bearer(admin), "content-type": "application/xml" },
      payload: model(
        `<startEvent id="s"/><sequenceFlow id="f" sourceRef="s" targetRef="u"/><userTask "u" name="审核"/>`,
      ),
    });
    expect(res.statusCode, res.body).toBe(200);
    expect(json<{ valid: boolean; errors: { elementId: string | null }[] }>(res).errors).toContainEqual(
      expect.objectContaining({ elementId: null }),
    );
  });
});

describe("leave request: countersign and timeout escalation", () => {
  it("validates the start form and runs a long leave through the countersign", async () => {
    const bad = await start(clerk, "leave-request", { days: "five" });
    expect(bad.statusCode).toBe(422);
    const fields = json<{ errors: { field: string }[] }>(bad).errors.map((e) => e.field);
    expect(fields).toEqual(expect.arrayContaining(["/body/variables/days", "/body/variables/reason"]));

    const res = await start(clerk, "leave-request", {
      days: 5,
      reason: "探亲",
      signers: [signerA.username, signerB.username],
    });
    expect(res.statusCode).toBe(201);
    const { id } = json<{ id: string }>(res);
    expect(await todo(clerk, id)).toEqual([]);
    const [approve] = await todo(approver, id);
    expect(approve).toMatchObject({ elementId: "approve", name: "科室负责人审批" });
    // Two working days from Tuesday: the end of Thursday, China time.
    expect(approve!.dueAt).toBe("2026-12-03T15:59:59.000Z");

    expect((await complete(clerk, approve!.id, { approved: true })).statusCode).toBe(403);
    expect((await complete(approver, approve!.id, { approved: "yes" })).statusCode).toBe(422);
    expect((await complete(approver, approve!.id, { approved: true })).statusCode).toBe(200);
    expect((await complete(approver, approve!.id, { approved: true })).statusCode).toBe(409);

    const a = await todo(signerA, id);
    const b = await todo(signerB, id);
    expect(a.map((x) => x.assignee?.username)).toEqual([signerA.username]);
    expect(b.map((x) => x.assignee?.username)).toEqual([signerB.username]);
    expect((await complete(signerA, a[0]!.id, { approved: true })).statusCode).toBe(200);
    expect((await instance(id)).state).toBe("active");
    expect((await complete(signerB, b[0]!.id, { approved: true })).statusCode).toBe(200);
    const done = await instance(id);
    expect(done.state).toBe("completed");
    expect(done.labels).toMatchObject({ days: "请假天数", reason: "事由", approved: "同意" });
    expect(done.history.filter((h) => h.event === "completed").map((h) => h.elementId)).toEqual(
      expect.arrayContaining(["approve", "countersign", "approvedEnd"]),
    );
    expect(
      done.history.find((h) => h.elementId === "approve" && h.event === "completed")?.actor?.name,
    ).toBeTruthy();
  });

  it("ends the countersign at the first rejection", async () => {
    const { id } = json<{ id: string }>(
      await start(clerk, "leave-request", {
        days: 10,
        reason: "婚假",
        signers: [signerA.username, signerB.username],
      }),
    );
    const [approve] = await todo(approver, id);
    await complete(approver, approve!.id, { approved: true });
    const [a] = await todo(signerA, id);
    expect((await complete(signerA, a!.id, { approved: false })).statusCode).toBe(200);
    expect(await todo(signerB, id)).toEqual([]);
    const done = await instance(id);
    expect(done.state).toBe("completed");
    expect(done.history.some((h) => h.elementId === "rejectedEnd")).toBe(true);
  });

  it("escalates a countersign nobody finished in three days to the leader", async () => {
    const { id } = json<{ id: string }>(
      await start(clerk, "leave-request", { days: 4, reason: "病假", signers: [signerA.username] }),
    );
    const [approve] = await todo(approver, id);
    await complete(approver, approve!.id, { approved: true });
    expect(await todo(signerA, id)).toHaveLength(1);
    clock.advance(3 * 86_400_000 + 1000);
    await t.platform.jobs.runDue();
    expect(await todo(signerA, id)).toEqual([]);
    const [escalated] = await todo(leader, id);
    expect(escalated).toMatchObject({ elementId: "leaderDecides" });
    await complete(leader, escalated!.id);
    expect((await instance(id)).state).toBe("completed");
  });
});

describe("generic approval with a correction loop", () => {
  it("goes back to the applicant for correction and on to approval", async () => {
    const { id } = json<{ id: string }>(await start(clerk, "generic-approval", {}, "SQ-2026-0001"));
    const [review] = await todo(approver, id);
    expect((await complete(approver, review!.id, { decision: "maybe" })).statusCode).toBe(422);
    await complete(approver, review!.id, { decision: "correct" });
    const [correction] = await todo(clerk, id);
    expect(correction).toMatchObject({ elementId: "correct", assignee: { username: clerk.username } });
    await complete(clerk, correction!.id);
    const [again] = await todo(approver, id);
    await complete(approver, again!.id, { decision: "approve" });
    const done = await instance(id);
    expect(done.state).toBe("completed");
    expect(done.history.filter((h) => h.elementId === "review" && h.event === "completed")).toHaveLength(2);
    const mine = json<{ items: { instanceId: string }[] }>(
      await inject(await tokenOf(clerk), "GET", "/api/workflow/tasks?view=started&q=SQ-2026"),
    );
    expect(mine.items.map((i) => i.instanceId)).toEqual([id]);
    const doneByApprover = json<{ items: { instanceId: string }[] }>(
      await inject(await tokenOf(approver), "GET", `/api/workflow/tasks?view=done&instanceId=${id}`),
    );
    expect(doneByApprover.items).toHaveLength(2);
  });
});

describe("seal and vehicle requests from the library", () => {
  it("sends a leader's seal to the leader and a routine one straight to the office", async () => {
    expect((await deploy(library("seal-request.bpmn"))).statusCode).toBe(201);
    expect((await deploy(library("vehicle-request.bpmn"))).statusCode).toBe(201);
    const bad = await start(clerk, "seal-request", {
      documentTitle: "关于开展安全检查的通知",
      sealType: "stamp",
      copies: 2,
    });
    expect(json<{ errors: { field: string }[] }>(bad).errors.map((e) => e.field)).toEqual([
      "/body/variables/sealType",
    ]);
    const routes: Record<string, string> = {};
    for (const [sealType, copies] of [
      ["official", 2],
      ["leader", 1],
      ["official", 30],
    ] as const) {
      const { id } = json<{ id: string }>(
        await start(clerk, "seal-request", { documentTitle: "通知", sealType, copies }),
      );
      const [review] = await todo(approver, id);
      await complete(approver, review!.id);
      routes[`${sealType}:${copies}`] = (await instance(id)).activeElements.join();
    }
    expect(routes).toEqual({
      "official:2": "stamp",
      "leader:1": "leaderApprove",
      "official:30": "leaderApprove",
    });
    const car = json<{ id: string }>(
      await start(clerk, "vehicle-request", {
        useDate: "2026-12-08",
        destination: "云溪区档案馆",
        passengers: 3,
        purpose: "档案移交",
      }),
    );
    const [approve] = await todo(approver, car.id);
    await complete(approver, approve!.id, { approved: true });
    const [dispatch] = await todo(signerA, car.id);
    expect((await complete(signerA, dispatch!.id, { plate: "粤A·12345" })).statusCode).toBe(422);
    expect((await complete(signerA, dispatch!.id, { plate: "粤A·12345", driver: "李师傅" })).statusCode).toBe(
      200,
    );
    expect((await instance(car.id)).state).toBe("completed");
  });
});

describe("parallel review", () => {
  it("joins both reviews before the leader signs, and claiming keeps others out", async () => {
    const { id } = json<{ id: string }>(await start(clerk, "parallel-review"));
    const [legal] = await todo(signerA, id);
    const [finance] = await todo(approver, id);
    expect(
      (await inject(await tokenOf(signerB), "POST", `/api/workflow/tasks/${legal!.id}/claim`, {})).statusCode,
    ).toBe(200);
    expect(
      json<{ code: string }>(
        await inject(await tokenOf(signerA), "POST", `/api/workflow/tasks/${legal!.id}/claim`, {}),
      ).code,
    ).toBe("TASK_ALREADY_CLAIMED");
    expect((await complete(signerA, legal!.id)).statusCode).toBe(403);
    await complete(signerB, legal!.id);
    expect(await todo(leader, id)).toEqual([]);
    await complete(approver, finance!.id);
    const [sign] = await todo(leader, id);
    // 转办: the leader hands the signature to a colleague.
    const delegated = await inject(
      await tokenOf(leader),
      "POST",
      `/api/workflow/tasks/${sign!.id}/delegate`,
      { username: signerA.username },
    );
    expect(json(delegated)).toMatchObject({ assignee: { username: signerA.username } });
    await complete(signerA, sign!.id);
    expect((await instance(id)).state).toBe("completed");
  });
});

describe("versions, service tasks, messages, subprocesses", () => {
  it("keeps running instances on their version when a new one is deployed", async () => {
    const v1 = model(
      `<startEvent id="s"/><sequenceFlow id="f1" sourceRef="s" targetRef="u"/><userTask id="u" camunda:candidateGroups="clerk"/><sequenceFlow id="f2" sourceRef="u" targetRef="e"/><endEvent id="e"/>`,
      "versioned",
    );
    expect(json(await deploy(v1))).toMatchObject({ key: "versioned", version: 1 });
    const { id } = json<{ id: string }>(await start(clerk, "versioned"));
    const v2 = v1
      .replace('<userTask id="u"', '<userTask id="u2"')
      .replace('targetRef="u"', 'targetRef="u2"')
      .replace('sourceRef="u"', 'sourceRef="u2"');
    expect(json(await deploy(v2))).toMatchObject({ version: 2 });
    const [task] = await todo(clerk, id);
    expect(task!.elementId).toBe("u");
    await complete(clerk, task!.id);
    expect(await instance(id)).toMatchObject({ state: "completed", version: 1 });
  });

  it("runs a service task as a job with an idempotency key and catches its BPMN error", async () => {
    const xml = model(
      `<startEvent id="s"/><sequenceFlow id="f1" sourceRef="s" targetRef="fee"/>
      <serviceTask id="fee" fourfold:handler="test.compute-fee"/><boundaryEvent id="bad" attachedToRef="fee"><errorEventDefinition errorRef="err"/></boundaryEvent>
      <sequenceFlow id="f2" sourceRef="fee" targetRef="e"/><endEvent id="e"/>
      <sequenceFlow id="f3" sourceRef="bad" targetRef="fix"/><userTask id="fix" camunda:candidateGroups="clerk"/>
      <sequenceFlow id="f4" sourceRef="fix" targetRef="e2"/><endEvent id="e2"/>`,
      "fees",
      `<error id="err" errorCode="INVALID_AMOUNT"/>`,
    );
    expect((await deploy(xml)).statusCode).toBe(201);
    const ok = json<{ id: string }>(await start(clerk, "fees", { amount: 21 }));
    expect((await instance(ok.id)).activeElements).toEqual(["fee"]);
    await t.platform.jobs.runDue();
    expect(await instance(ok.id)).toMatchObject({ state: "completed", variables: { fee: 42 } });
    expect(idempotencyKeys.at(-1)).toMatch(new RegExp(`^${ok.id}:`));
    // Work the engine does on its own (no request) is audited too.
    const audited = await rawQuery<{ action: string }>(
      t.platform.db,
      "select action from audit.records where resource_id = $1 order by id",
      [ok.id],
    );
    expect(audited.map((a) => a.action)).toEqual([
      "workflow.instance.started",
      "read",
      "workflow.service-task.ran",
      "read",
    ]);
    const bad = json<{ id: string }>(await start(clerk, "fees", { amount: -1 }));
    await t.platform.jobs.runDue();
    expect((await instance(bad.id)).activeElements).toEqual(["fix"]);
  });

  it("correlates a message by its key, and runs subprocesses, call activities and inclusive gateways", async () => {
    const child = model(
      `<startEvent id="cs"/><sequenceFlow id="c1" sourceRef="cs" targetRef="ce"/><endEvent id="ce"/>`,
      "child-process",
    );
    expect((await deploy(child)).statusCode).toBe(201);
    const parent = model(
      `<startEvent id="s"/><sequenceFlow id="f1" sourceRef="s" targetRef="wait"/>
      <intermediateCatchEvent id="wait"><messageEventDefinition messageRef="paid"/></intermediateCatchEvent>
      <sequenceFlow id="f2" sourceRef="wait" targetRef="sub"/>
      <subProcess id="sub"><startEvent id="ss"/><sequenceFlow id="sf1" sourceRef="ss" targetRef="fork"/>
        <inclusiveGateway id="fork"/><sequenceFlow id="sa" sourceRef="fork" targetRef="ta"><conditionExpression>\${x &gt; 1}</conditionExpression></sequenceFlow>
        <sequenceFlow id="sb" sourceRef="fork" targetRef="tb"><conditionExpression>\${x &gt; 5}</conditionExpression></sequenceFlow>
        <userTask id="ta" camunda:candidateGroups="clerk"/><userTask id="tb" camunda:candidateGroups="clerk"/>
        <sequenceFlow id="sa2" sourceRef="ta" targetRef="merge"/><sequenceFlow id="sb2" sourceRef="tb" targetRef="merge"/>
        <inclusiveGateway id="merge"/><sequenceFlow id="sf2" sourceRef="merge" targetRef="se"/><endEvent id="se"/></subProcess>
      <sequenceFlow id="f3" sourceRef="sub" targetRef="call"/><callActivity id="call" calledElement="child-process"/>
      <sequenceFlow id="f4" sourceRef="call" targetRef="e"/><endEvent id="e"/>`,
      "composite",
      `<message id="paid" name="payment-received"/>`,
    ).replace(
      '<intermediateCatchEvent id="wait">',
      '<intermediateCatchEvent id="wait" fourfold:correlationKey="$' + '{orderNo}">',
    );
    expect((await deploy(parent)).statusCode).toBe(201);
    const { id } = json<{ id: string }>(await start(clerk, "composite", { orderNo: "A-1", x: 3 }));
    const miss = await inject(admin, "POST", "/api/workflow/messages", {
      messageName: "payment-received",
      correlationKey: "B-2",
    });
    expect(miss.statusCode).toBe(404);
    const hit = await inject(admin, "POST", "/api/workflow/messages", {
      messageName: "payment-received",
      correlationKey: "A-1",
    });
    expect(json(hit)).toMatchObject({ instanceIds: [id] });
    const tasks = await todo(clerk, id);
    expect(tasks.map((x) => x.elementId)).toEqual(["ta"]); // x = 3: only the first branch
    await complete(clerk, tasks[0]!.id);
    const done = await instance(id);
    expect(done.state).toBe("completed");
    expect(done.history.map((h) => h.elementId)).toEqual(
      expect.arrayContaining(["sub", "merge", "call", "e"]),
    );
  });

  it("cancels an instance with its tasks, and nobody can complete them afterwards", async () => {
    const { id } = json<{ id: string }>(await start(clerk, "parallel-review"));
    const [legal] = await todo(signerA, id);
    const res = await inject(await tokenOf(clerk), "POST", `/api/workflow/instances/${id}/cancel`, {
      reason: "申请人撤回",
    });
    expect(json(res)).toMatchObject({ state: "cancelled" });
    expect((await complete(signerA, legal!.id)).statusCode).toBe(409);
    expect(await todo(approver, id)).toEqual([]);
  });
});

describe("BPMN Model Interchange Working Group reference models", () => {
  it("imports every model and deploys and starts those whose elements the engine runs", async () => {
    const files = readdirSync(MIWG).filter((f) => f.endsWith(".bpmn"));
    expect(files.length).toBeGreaterThanOrEqual(20);
    let started = 0;
    for (const file of files) {
      const xml = readFileSync(path.join(MIWG, file), "utf8");
      const result = await t.platform.workflow.validate(xml);
      expect(result.processes.length, file).toBeGreaterThan(0);
      expect(
        result.problems.some((p) => /Not a BPMN/.test(p.message)),
        file,
      ).toBe(false);
      if (result.problems.length > 0) continue;
      const res = await deploy(xml);
      expect(res.statusCode, file).toBe(201);
      const key = json<{ key: string }>(res).key;
      expect((await start(admin, key)).statusCode, file).toBe(201);
      started++;
    }
    expect(started).toBeGreaterThanOrEqual(3);
  });
});

function model(body: string, id = "p", extra = ""): string {
  return `<?xml version="1.0" encoding="UTF-8"?>
<definitions xmlns="http://www.omg.org/spec/BPMN/20100524/MODEL" xmlns:camunda="http://camunda.org/schema/1.0/bpmn"
  xmlns:fourfold="https://fourfold.dev/schema/bpmn" targetNamespace="t">${extra}<process id="${id}" isExecutable="true">${body}</process></definitions>`;
}
