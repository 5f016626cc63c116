import { readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { bearer, buildAdmin, buildDepartment, buildUser, type TestUser } from "../../test/factories";
import { json, ManualClock, startTestApp, type TestApp } from "../../test/harness";
import { isRole } from "../kernel/access/roles";
import { systemCtx } from "../kernel/http/context";
import { compileBpmn } from "./compile";
import type { DeployedProcess } from "./engine";
import type { ProcessModel } from "./model";

/**
 * The office process library (一网协同 issue 9, item 7): each template deployed as the platform deploys it
 * at start, its start form checked, and its paths walked through the API by users of the right roles.
 */

const here = path.dirname(fileURLToPath(import.meta.url));
/** The starter as the templates name it (a JUEL expression, not a JavaScript template). */
// biome-ignore lint/suspicious/noTemplateCurlyInString: the JUEL expression itself
const STARTER = "${initiator}";
const TEMPLATES = {
  "report-request": "请示报告",
  "business-trip": "出差申请",
  "meeting-request": "会议申请",
  supervision: "督办事项",
  "information-report": "政务信息报送",
  "procurement-request": "采购申请",
  "contract-approval": "合同审批",
} as const;
type Key = keyof typeof TEMPLATES;
const KEYS = Object.keys(TEMPLATES) as Key[];

/** Start variables that satisfy each template's start form (the happy path's own values vary them). */
const VALID: Record<Key, Record<string, unknown>> = {
  "report-request": {
    title: "关于增设云溪街道便民服务站的请示",
    docType: "request",
    urgency: "normal",
    recipient: "区人民政府",
    content: "为方便群众就近办事，拟在云溪街道增设便民服务站一处，所需经费从年度预算中列支。",
  },
  "business-trip": {
    travellers: "张三、李四",
    region: "withinCity",
    destination: "市政务服务数据管理局",
    departureDate: "2026-12-08",
    returnDate: "2026-12-08",
    days: 1,
    transport: "officialCar",
    budget: 0,
    purpose: "参加数据共享工作会议",
  },
  "meeting-request": {
    topic: "2026年第四季度安全生产工作会议",
    meetingType: "internal",
    meetingDate: "2026-12-09",
    timeSlot: "morning",
    room: "room1",
    attendeeCount: 20,
    attendees: "各科室负责人",
    needScreen: true,
  },
  supervision: {
    title: "督促落实老旧小区加装电梯工作",
    source: "leaderInstruction",
    hostUnit: "区住房和城乡建设局",
    requirement: "请于时限内报送加装电梯推进情况及存在问题。",
    deadline: "2026-12-10",
    urgency: "normal",
  },
  "information-report": {
    title: "云溪区推行“一件事一次办”改革成效明显",
    category: "work",
    content: "今年以来，云溪区围绕企业和群众眼中的一件事，推出集成服务套餐32项，平均减少材料40%。",
  },
  "procurement-request": {
    itemName: "办公用计算机",
    category: "goods",
    specification: "台式计算机10台，国产操作系统",
    amount: 30_000,
    fundSource: "annualBudget",
    method: "framework",
    reason: "现有设备超过使用年限",
  },
  "contract-approval": {
    contractName: "政务服务中心物业管理服务合同",
    contractType: "service",
    counterparty: "广州某物业服务有限公司",
    amount: 200_000,
    termStart: "2027-01-01",
    termEnd: "2027-12-31",
    summary: "乙方负责政务服务中心保洁、秩序维护和设施设备运行维护，服务期一年，按季度支付。",
  },
};

/** The fields each start form must insist on (in form order). */
const REQUIRED: Record<Key, string[]> = {
  "report-request": ["title", "docType", "urgency", "recipient", "content"],
  "business-trip": [
    "travellers",
    "region",
    "destination",
    "departureDate",
    "returnDate",
    "days",
    "transport",
    "budget",
    "purpose",
  ],
  "meeting-request": [
    "topic",
    "meetingType",
    "meetingDate",
    "timeSlot",
    "room",
    "attendeeCount",
    "attendees",
  ],
  supervision: ["title", "source", "hostUnit", "requirement", "deadline", "urgency"],
  "information-report": ["title", "category", "content"],
  "procurement-request": [
    "itemName",
    "category",
    "specification",
    "amount",
    "fundSource",
    "method",
    "reason",
  ],
  "contract-approval": [
    "contractName",
    "contractType",
    "counterparty",
    "amount",
    "termStart",
    "termEnd",
    "summary",
  ],
};

let t: TestApp;
let clock: ManualClock;
let adminToken: string;
let clerk: TestUser;
let approver: TestUser;
let officerA: TestUser;
let officerB: TestUser;
let leader: TestUser;
let principal: TestUser;
let shipped: DeployedProcess[];
const tokens = new Map<string, string>();

const tokenOf = async (user: TestUser) => {
  if (!tokens.has(user.username)) tokens.set(user.username, await user.token(t.app));
  return tokens.get(user.username)!;
};
const get = async (user: TestUser | null, url: string) =>
  t.app.inject({ method: "GET", url, headers: bearer(user ? await tokenOf(user) : adminToken) });
const post = async (user: TestUser, url: string, payload: unknown) =>
  t.app.inject({ method: "POST", url, headers: bearer(await tokenOf(user)), payload: payload as object });

async function start(user: TestUser, key: Key, variables: Record<string, unknown>): Promise<string> {
  const res = await post(user, `/api/workflow/processes/${key}/instances`, { variables });
  expect(res.statusCode, res.body).toBe(201);
  return json<{ id: string }>(res).id;
}

interface TaskItem {
  id: string;
  elementId: string;
  name: string;
  assignee: { username: string } | null;
  dueAt: string | null;
}
async function todo(user: TestUser, instanceId: string): Promise<TaskItem[]> {
  const res = await get(user, `/api/workflow/tasks?view=todo&instanceId=${instanceId}`);
  expect(res.statusCode).toBe(200);
  return json<{ items: TaskItem[] }>(res).items;
}

/** The one open task of the instance at `elementId` in the user's inbox. */
async function taskAt(user: TestUser, instanceId: string, elementId: string): Promise<TaskItem> {
  const tasks = (await todo(user, instanceId)).filter((x) => x.elementId === elementId);
  expect(tasks, `${user.roles.join()} should have ${elementId}`).toHaveLength(1);
  return tasks[0]!;
}

/** Completes the user's task at `elementId` with the given form values; the answer must be 200. */
async function act(
  user: TestUser,
  instanceId: string,
  elementId: string,
  variables: Record<string, unknown>,
) {
  const task = await taskAt(user, instanceId, elementId);
  const res = await post(user, `/api/workflow/tasks/${task.id}/complete`, { variables });
  expect(res.statusCode, `${elementId}: ${res.body}`).toBe(200);
}

/** Completing the task with these values is refused, naming exactly these fields. */
async function refused(
  user: TestUser,
  instanceId: string,
  elementId: string,
  variables: Record<string, unknown>,
  fields: string[],
) {
  const task = await taskAt(user, instanceId, elementId);
  const res = await post(user, `/api/workflow/tasks/${task.id}/complete`, { variables });
  expect(res.statusCode).toBe(422);
  expect(json<{ errors: { field: string }[] }>(res).errors.map((e) => e.field)).toEqual(
    fields.map((f) => `/body/variables/${f}`),
  );
}

interface InstanceView {
  state: string;
  variables: Record<string, unknown>;
  labels: Record<string, string>;
  activeElements: string[];
  history: { elementId: string; elementType: string; event: string }[];
}
async function instance(id: string): Promise<InstanceView> {
  const res = await get(null, `/api/workflow/instances/${id}`);
  expect(res.statusCode).toBe(200);
  return json<InstanceView>(res);
}
/** The user tasks completed, in order, and the end events reached. */
async function walked(id: string) {
  const view = await instance(id);
  const completed = (type: string) =>
    view.history.filter((h) => h.elementType === type && h.event === "completed").map((h) => h.elementId);
  return { state: view.state, tasks: completed("userTask"), ends: completed("endEvent"), view };
}

async function compiled(key: Key): Promise<ProcessModel> {
  const xml = readFileSync(path.join(here, "library", `${key}.bpmn`), "utf8");
  const result = await compileBpmn(xml, { handlers: new Set(), forms: new Map() });
  expect(result.problems).toEqual([]);
  return result.processes[0]!.model;
}

beforeAll(async () => {
  clock = new ManualClock(new Date("2026-12-01T02:00:00.000Z")); // a Tuesday, 10:00 in Guangzhou
  // The supervision test moves the clock past a deadline; sessions must outlive that.
  t = await startTestApp({ clock, env: { TOKEN_TTL_SECONDS: String(30 * 86_400) } });
  adminToken = (await buildAdmin(t.platform, t.app)).token;
  const bureau = await buildDepartment(t.platform, "bureau");
  clerk = await buildUser(t.platform, { roles: ["clerk"], department: bureau });
  approver = await buildUser(t.platform, { roles: ["approver"], department: bureau });
  officerA = await buildUser(t.platform, { roles: ["officer"], department: bureau });
  officerB = await buildUser(t.platform, { roles: ["officer"], department: bureau });
  leader = await buildUser(t.platform, { roles: ["leader"], department: bureau });
  principal = await buildUser(t.platform, { roles: ["leader"], department: bureau });
  // As the server does at every start.
  shipped = await t.platform.db.transaction((tx) =>
    t.platform.workflow.deployLibrary(systemCtx(tx, clock, t.platform.log, "test:process-library")),
  );
}, 60_000);
afterAll(async () => {
  await t?.close();
});

describe("the library as deployed at start", () => {
  it("deploys every template once, and an unchanged library again makes no new version", async () => {
    for (const key of KEYS) {
      expect(shipped.find((p) => p.key === key)).toMatchObject({
        name: TEMPLATES[key],
        version: 1,
        unchanged: false,
      });
    }
    const again = await t.platform.db.transaction((tx) =>
      t.platform.workflow.deployLibrary(systemCtx(tx, clock, t.platform.log, "test:process-library")),
    );
    expect(again.filter((p) => !p.unchanged)).toEqual([]);
    expect(again.map((p) => p.key).sort()).toEqual(shipped.map((p) => p.key).sort());
  });

  it("offers every template on 发起 to an officer, and 督办 to officers and leaders only", async () => {
    const listed = async (user: TestUser) => {
      const res = await get(user, "/api/workflow/processes");
      expect(res.statusCode).toBe(200);
      const items = json<{ items: { key: string; name: string; startable: boolean }[] }>(res).items;
      return new Map(items.map((p) => [p.key, p]));
    };
    const forOfficer = await listed(officerA);
    for (const key of KEYS)
      expect(forOfficer.get(key)).toMatchObject({ name: TEMPLATES[key], startable: true });
    const forClerk = await listed(clerk);
    expect(KEYS.filter((key) => !forClerk.get(key)?.startable)).toEqual(["supervision"]);
    expect((await listed(leader)).get("supervision")?.startable).toBe(true);
    const res = await post(clerk, "/api/workflow/processes/supervision/instances", {
      variables: VALID.supervision,
    });
    expect(res.statusCode).toBe(403);
    expect(json<{ code: string }>(res).code).toBe("PROCESS_START_FORBIDDEN");
  });

  it("stores a laid-out diagram with a shape or edge for every element, so the modeler can draw it", async () => {
    for (const key of KEYS) {
      const res = await get(null, `/api/workflow/processes/${key}`);
      expect(res.statusCode).toBe(200);
      const { xml } = json<{ xml: string }>(res);
      const model = await compiled(key);
      const drawn = (id: string) => xml.includes(`bpmnElement="${id}"`);
      expect(
        Object.keys(model.elements).filter((id) => !drawn(id)),
        key,
      ).toEqual([]);
      expect(
        Object.keys(model.flows).filter((id) => !drawn(id)),
        key,
      ).toEqual([]);
    }
  });

  it("names every element, assigns every task to a platform role or the starter, and sets due dates", async () => {
    for (const key of KEYS) {
      const model = await compiled(key);
      expect(model.name).toBe(TEMPLATES[key]);
      const elements = Object.values(model.elements);
      expect(
        elements.filter((e) => !e.name).map((e) => e.id),
        key,
      ).toEqual([]);
      const gatewayFlows = Object.values(model.flows).filter((f) =>
        model.elements[f.source]!.type.endsWith("Gateway"),
      );
      expect(
        gatewayFlows.filter((f) => !f.name).map((f) => f.id),
        key,
      ).toEqual([]);
      for (const task of elements.filter((e) => e.type === "userTask")) {
        const spec = task.userTask!;
        const where = `${key}/${task.id}`;
        expect(spec.dueDate, where).toMatch(/^\$\{.*workingDays/);
        if (spec.assignee) expect(spec.assignee, where).toBe(STARTER);
        else expect(spec.candidateGroups.length, where).toBeGreaterThan(0);
        for (const group of spec.candidateGroups) expect(isRole(group), `${where}: ${group}`).toBe(true);
        // Every task that decides or records something has a form with at least one required field.
        expect(spec.form?.required?.length ?? 0, where).toBeGreaterThan(0);
      }
      // A rejection or return path: more than one end event, or a task that goes back to the starter.
      const ends = elements.filter((e) => e.type === "endEvent");
      const backToStarter = elements.some((e) => e.userTask?.assignee === STARTER);
      expect(ends.length > 1 || backToStarter, key).toBe(true);
      const starts = model.startForm!;
      expect(Object.values(starts.properties).every((p) => typeof p.title === "string")).toBe(true);
    }
  });

  it("refuses a start without any one required field, naming that field", async () => {
    let checked = 0;
    for (const key of KEYS) {
      expect((await compiled(key)).startForm?.required, key).toEqual(REQUIRED[key]);
      for (const field of REQUIRED[key]) {
        const { [field]: _left, ...variables } = VALID[key];
        const res = await post(officerA, `/api/workflow/processes/${key}/instances`, { variables });
        expect(res.statusCode, `${key} without ${field}`).toBe(422);
        const problem = json<{ code: string; errors: { field: string }[] }>(res);
        expect(problem.code).toBe("VARIABLES_INVALID");
        expect(problem.errors.map((e) => e.field)).toEqual([`/body/variables/${field}`]);
        checked++;
      }
    }
    expect(checked).toBe(44);
    // Choices, limits and dates are checked too.
    const bad = await post(officerA, "/api/workflow/processes/business-trip/instances", {
      variables: { ...VALID["business-trip"], region: "abroad", days: 0, departureDate: "下周一" },
    });
    expect(bad.statusCode).toBe(422);
    expect(
      json<{ errors: { field: string }[] }>(bad)
        .errors.map((e) => e.field)
        .sort(),
    ).toEqual(["/body/variables/days", "/body/variables/departureDate", "/body/variables/region"]);
  });
});

describe("请示报告 (report-request)", () => {
  it("goes 拟稿 → 科室负责人审核 → 办公室核稿 → 领导批示 → 分送落实, faster when urgent", async () => {
    const id = await start(clerk, "report-request", { ...VALID["report-request"], urgency: "urgent" });
    // Urgent: one working day from Tuesday, the end of Wednesday in China.
    expect((await taskAt(approver, id, "deptReview")).dueAt).toBe("2026-12-02T15:59:59.000Z");
    await act(approver, id, "deptReview", { deptDecision: "approve", deptOpinion: "同意报送" });
    await act(officerA, id, "officeCheck", { checkDecision: "pass" });
    await refused(leader, id, "leaderInstruct", { instructionResult: "agree" }, ["instruction"]);
    await act(leader, id, "leaderInstruct", {
      instructionResult: "agree",
      instruction: "同意。请区政务服务数据管理局抓紧落实。",
    });
    await act(officerB, id, "implement", { distributedTo: "区政务服务数据管理局、云溪街道" });
    const run = await walked(id);
    expect(run).toMatchObject({
      state: "completed",
      tasks: ["deptReview", "officeCheck", "leaderInstruct", "implement"],
      ends: ["doneEnd"],
    });
    expect(run.view.labels).toMatchObject({ instruction: "批示意见", urgency: "紧急程度" });
  });

  it("returns the draft to its author from either review, and ends when the leader disagrees", async () => {
    const id = await start(clerk, "report-request", VALID["report-request"]);
    expect((await taskAt(approver, id, "deptReview")).dueAt).toBe("2026-12-03T15:59:59.000Z");
    await act(approver, id, "deptReview", { deptDecision: "return", deptOpinion: "请补充经费测算" });
    // Only the author may revise.
    expect(await todo(officerA, id)).toEqual([]);
    const revise = await taskAt(clerk, id, "revise");
    expect(revise.assignee?.username).toBe(clerk.username);
    await act(clerk, id, "revise", {
      title: VALID["report-request"].title,
      content: "拟增设便民服务站一处，经费约12万元，从年度预算中列支。",
    });
    await act(approver, id, "deptReview", { deptDecision: "approve" });
    await act(officerA, id, "officeCheck", { checkDecision: "return", checkOpinion: "文种使用不当" });
    await act(clerk, id, "revise", {
      title: "关于增设云溪街道便民服务站的报告",
      content: "拟增设便民服务站一处，经费约12万元，从年度预算中列支。",
    });
    await act(approver, id, "deptReview", { deptDecision: "approve" });
    await act(officerA, id, "officeCheck", { checkDecision: "pass" });
    await act(leader, id, "leaderInstruct", { instructionResult: "disagree", instruction: "暂缓。" });
    const run = await walked(id);
    expect(run.state).toBe("completed");
    expect(run.tasks.filter((x) => x === "revise")).toHaveLength(2);
    expect(run.ends).toEqual(["disagreedEnd"]);
    expect(run.view.variables.title).toBe("关于增设云溪街道便民服务站的报告");
    expect(run.tasks).not.toContain("implement");
  });
});

describe("出差申请 (business-trip)", () => {
  const trip = (region: string, extra: Record<string, unknown> = {}) =>
    start(clerk, "business-trip", { ...VALID["business-trip"], region, ...extra });

  it("takes a longer chain the farther the trip goes", async () => {
    const city = await trip("withinCity");
    await act(approver, city, "deptApprove", { deptApproved: true });
    const province = await trip("withinProvince", { destination: "韶关市", days: 2, transport: "train" });
    await act(approver, province, "deptApprove", { deptApproved: true });
    await act(leader, province, "leaderApprove", { leaderApproved: true });
    const outside = await trip("outsideProvince", {
      destination: "浙江省杭州市",
      days: 3,
      transport: "plane",
      budget: 6_800,
    });
    await act(approver, outside, "deptApprove", { deptApproved: true, deptOpinion: "同意" });
    expect(await todo(leader, outside)).toEqual([]);
    await act(officerA, outside, "financeReview", {
      financeApproved: true,
      financeOpinion: "经费已列入预算",
    });
    await act(leader, outside, "leaderApprove", { leaderApproved: true });
    expect(await walked(city)).toMatchObject({
      state: "completed",
      tasks: ["deptApprove"],
      ends: ["approvedEnd"],
    });
    expect(await walked(province)).toMatchObject({
      tasks: ["deptApprove", "leaderApprove"],
      ends: ["approvedEnd"],
    });
    expect(await walked(outside)).toMatchObject({
      tasks: ["deptApprove", "financeReview", "leaderApprove"],
      ends: ["approvedEnd"],
    });
  });

  it("ends as 不予批准 at whichever step refuses", async () => {
    const byDept = await trip("outsideProvince");
    await act(approver, byDept, "deptApprove", { deptApproved: false, deptOpinion: "近期工作任务重" });
    expect(await todo(officerA, byDept)).toEqual([]);
    const byFinance = await trip("outsideProvince", { budget: 20_000 });
    await act(approver, byFinance, "deptApprove", { deptApproved: true });
    await act(officerA, byFinance, "financeReview", {
      financeApproved: false,
      financeOpinion: "超出差旅标准",
    });
    const byLeader = await trip("withinProvince");
    await act(approver, byLeader, "deptApprove", { deptApproved: true });
    await act(leader, byLeader, "leaderApprove", { leaderApproved: false });
    for (const [id, tasks] of [
      [byDept, ["deptApprove"]],
      [byFinance, ["deptApprove", "financeReview"]],
      [byLeader, ["deptApprove", "leaderApprove"]],
    ] as const) {
      expect(await walked(id)).toMatchObject({ state: "completed", tasks, ends: ["refusedEnd"] });
    }
  });
});

describe("会议申请 (meeting-request)", () => {
  it("lets the office send a clash back to the applicant, who moves the meeting", async () => {
    const id = await start(clerk, "meeting-request", VALID["meeting-request"]);
    await act(approver, id, "deptApprove", { deptApproved: true });
    expect(await todo(leader, id)).toEqual([]);
    await act(officerA, id, "arrange", {
      arrangement: "conflict",
      arrangeNote: "第一会议室当天上午已被占用",
    });
    await act(clerk, id, "adjust", { meetingDate: "2026-12-09", timeSlot: "afternoon", room: "room1" });
    await act(officerA, id, "arrange", { arrangement: "confirmed", arrangeNote: "已安排茶水、投影" });
    const run = await walked(id);
    expect(run).toMatchObject({
      state: "completed",
      tasks: ["deptApprove", "arrange", "adjust", "arrange"],
      ends: ["arrangedEnd"],
    });
    expect(run.view.variables).toMatchObject({ timeSlot: "afternoon", needScreen: true });
  });

  it("sends a large meeting to the leader, and ends when someone refuses", async () => {
    const large = await start(clerk, "meeting-request", {
      ...VALID["meeting-request"],
      meetingType: "departmental",
      room: "hall",
      attendeeCount: 100,
    });
    await act(approver, large, "deptApprove", { deptApproved: true });
    await act(leader, large, "leaderApprove", { leaderApproved: false, leaderOpinion: "改为视频会议" });
    const refusedByDept = await start(clerk, "meeting-request", {
      ...VALID["meeting-request"],
      room: "hall",
    });
    await act(approver, refusedByDept, "deptApprove", { deptApproved: false });
    expect(await todo(leader, refusedByDept)).toEqual([]);
    expect(await walked(large)).toMatchObject({
      tasks: ["deptApprove", "leaderApprove"],
      ends: ["refusedEnd"],
    });
    expect(await walked(refusedByDept)).toMatchObject({ tasks: ["deptApprove"], ends: ["refusedEnd"] });
  });
});

describe("政务信息报送 (information-report)", () => {
  it("reports urgent information the same day and records that the district adopted it", async () => {
    const id = await start(clerk, "information-report", {
      ...VALID["information-report"],
      category: "emergency",
      title: "云溪区某小区发生燃气泄漏，无人员伤亡",
    });
    // Emergency information: due by the end of today.
    expect((await taskAt(approver, id, "deptReview")).dueAt).toBe("2026-12-01T15:59:59.000Z");
    await act(approver, id, "deptReview", { deptDecision: "approve" });
    await act(officerA, id, "officeReview", { officeDecision: "submit" });
    await refused(officerB, id, "districtFeedback", { adoption: "maybe" }, ["adoption"]);
    await act(officerB, id, "districtFeedback", {
      adoption: "adopted",
      publication: "《云溪政务信息》2026年第45期",
    });
    expect(await walked(id)).toMatchObject({
      state: "completed",
      tasks: ["deptReview", "officeReview", "districtFeedback"],
      ends: ["adoptedEnd"],
    });
  });

  it("returns a draft for revision, withholds one, and records one the district did not adopt", async () => {
    const revised = await start(clerk, "information-report", VALID["information-report"]);
    await act(approver, revised, "deptReview", { deptDecision: "return", deptOpinion: "请补充具体数据" });
    await act(clerk, revised, "revise", {
      title: VALID["information-report"].title,
      content: "今年以来，云溪区推出集成服务套餐32项，平均减少材料40%、减少跑动2次，群众满意度99.2%。",
    });
    await act(approver, revised, "deptReview", { deptDecision: "approve" });
    await act(officerA, revised, "officeReview", { officeDecision: "withhold", officeOpinion: "内容已报送" });
    expect(await walked(revised)).toMatchObject({
      tasks: ["deptReview", "revise", "deptReview", "officeReview"],
      ends: ["withheldEnd"],
    });
    const notAdopted = await start(clerk, "information-report", VALID["information-report"]);
    await act(approver, notAdopted, "deptReview", { deptDecision: "approve" });
    await act(officerA, notAdopted, "officeReview", { officeDecision: "submit" });
    await act(officerB, notAdopted, "districtFeedback", { adoption: "notAdopted", feedback: "时效性不足" });
    expect(await walked(notAdopted)).toMatchObject({ state: "completed", ends: ["notAdoptedEnd"] });
  });
});

describe("采购申请 (procurement-request)", () => {
  it("buys below 50,000 yuan without the leader", async () => {
    const id = await start(clerk, "procurement-request", VALID["procurement-request"]);
    await act(approver, id, "deptReview", { deptApproved: true });
    await act(officerA, id, "financeReview", { financeDecision: "approve" });
    expect(await todo(leader, id)).toEqual([]);
    await refused(officerB, id, "purchase", { dealAmount: 29_500 }, ["supplier"]);
    await act(officerB, id, "purchase", { supplier: "广州某科技有限公司", dealAmount: 29_500 });
    expect(await walked(id)).toMatchObject({
      state: "completed",
      tasks: ["deptReview", "financeReview", "purchase"],
      ends: ["purchasedEnd"],
    });
  });

  it("asks the applicant to complete the request, then needs the leader at 50,000 yuan or more", async () => {
    const id = await start(clerk, "procurement-request", { ...VALID["procurement-request"], amount: 80_000 });
    await act(approver, id, "deptReview", { deptApproved: true });
    await act(officerA, id, "financeReview", { financeDecision: "correct", financeOpinion: "请附询价记录" });
    await act(clerk, id, "correct", {
      specification: "台式计算机10台，国产操作系统；附三家询价记录",
      amount: 60_000,
      reason: "现有设备超过使用年限",
    });
    await act(approver, id, "deptReview", { deptApproved: true });
    await act(officerA, id, "financeReview", { financeDecision: "approve" });
    await act(leader, id, "leaderApprove", { leaderApproved: true });
    await act(officerB, id, "purchase", { supplier: "广州某科技有限公司", dealAmount: 58_800 });
    const run = await walked(id);
    expect(run).toMatchObject({
      state: "completed",
      tasks: [
        "deptReview",
        "financeReview",
        "correct",
        "deptReview",
        "financeReview",
        "leaderApprove",
        "purchase",
      ],
      ends: ["purchasedEnd"],
    });
    expect(run.view.variables.amount).toBe(60_000);
  });

  it("ends as 不予采购 when finance or the leader refuses", async () => {
    const byFinance = await start(clerk, "procurement-request", VALID["procurement-request"]);
    await act(approver, byFinance, "deptReview", { deptApproved: true });
    await act(officerA, byFinance, "financeReview", { financeDecision: "deny", financeOpinion: "无预算" });
    const byLeader = await start(clerk, "procurement-request", {
      ...VALID["procurement-request"],
      amount: 200_000,
    });
    await act(approver, byLeader, "deptReview", { deptApproved: true });
    await act(officerA, byLeader, "financeReview", { financeDecision: "approve" });
    await act(leader, byLeader, "leaderApprove", { leaderApproved: false });
    expect(await walked(byFinance)).toMatchObject({
      ends: ["deniedEnd"],
      tasks: ["deptReview", "financeReview"],
    });
    expect(await walked(byLeader)).toMatchObject({
      ends: ["deniedEnd"],
      tasks: ["deptReview", "financeReview", "leaderApprove"],
    });
  });
});

describe("合同审批 (contract-approval)", () => {
  it("seals and files an ordinary contract after 法制, 财务 and 分管领导", async () => {
    const id = await start(clerk, "contract-approval", VALID["contract-approval"]);
    await act(officerA, id, "legalReview", { legalDecision: "pass", legalOpinion: "条款合法，权责明确" });
    await act(officerB, id, "financeReview", { financeApproved: true });
    await act(leader, id, "leaderApprove", { leaderApproved: true });
    // Below 1,000,000 yuan the principal leader does not see it.
    expect(await todo(principal, id)).toEqual([]);
    await refused(officerA, id, "sealArchive", { contractNo: "YX-HT-2026-088" }, ["signedOn"]);
    await act(officerA, id, "sealArchive", { contractNo: "YX-HT-2026-088", signedOn: "2026-12-20" });
    expect(await walked(id)).toMatchObject({
      state: "completed",
      tasks: ["legalReview", "financeReview", "leaderApprove", "sealArchive"],
      ends: ["archivedEnd"],
    });
  });

  it("sends a contract back for revision and a large one to the principal leader", async () => {
    const id = await start(clerk, "contract-approval", {
      ...VALID["contract-approval"],
      contractType: "construction",
      amount: 2_500_000,
    });
    await act(officerA, id, "legalReview", { legalDecision: "revise", legalOpinion: "违约责任条款不对等" });
    await refused(clerk, id, "revise", { summary: "已修改违约责任条款", amount: 2_500_000 }, [
      "revisionNote",
    ]);
    await act(clerk, id, "revise", {
      summary: "已按法制审核意见修改违约责任条款，双方违约责任对等。",
      amount: 2_400_000,
      revisionNote: "修改第十二条",
    });
    await act(officerA, id, "legalReview", { legalDecision: "pass", legalOpinion: "可以签订" });
    await act(officerB, id, "financeReview", { financeApproved: true });
    await act(leader, id, "leaderApprove", { leaderApproved: true });
    await act(principal, id, "principalApprove", { principalApproved: true, principalOpinion: "同意" });
    await act(officerA, id, "sealArchive", { contractNo: "YX-HT-2026-089", signedOn: "2026-12-21" });
    expect(await walked(id)).toMatchObject({
      state: "completed",
      tasks: [
        "legalReview",
        "revise",
        "legalReview",
        "financeReview",
        "leaderApprove",
        "principalApprove",
        "sealArchive",
      ],
      ends: ["archivedEnd"],
    });
  });

  it("ends as 不予签订 when the legal review or the principal leader refuses", async () => {
    const byLegal = await start(clerk, "contract-approval", VALID["contract-approval"]);
    await act(officerA, byLegal, "legalReview", { legalDecision: "reject", legalOpinion: "相对方资质不符" });
    const byPrincipal = await start(clerk, "contract-approval", {
      ...VALID["contract-approval"],
      amount: 1_000_000,
    });
    await act(officerA, byPrincipal, "legalReview", { legalDecision: "pass", legalOpinion: "可以签订" });
    await act(officerB, byPrincipal, "financeReview", { financeApproved: true });
    await act(leader, byPrincipal, "leaderApprove", { leaderApproved: true });
    await act(principal, byPrincipal, "principalApprove", { principalApproved: false });
    expect(await walked(byLegal)).toMatchObject({ tasks: ["legalReview"], ends: ["rejectedEnd"] });
    expect(await walked(byPrincipal)).toMatchObject({
      tasks: ["legalReview", "financeReview", "leaderApprove", "principalApprove"],
      ends: ["rejectedEnd"],
    });
  });
});

// Last: it moves the shared clock past a deadline.
describe("督办 (supervision)", () => {
  it("goes 交办 → 承办反馈 → 审核, back for redoing with a new deadline, then 办结", async () => {
    const id = await start(officerA, "supervision", VALID.supervision);
    const handle = await taskAt(officerB, id, "handle");
    // Due at the end of the deadline day, China time.
    expect(handle.dueAt).toBe("2026-12-10T15:59:59.000Z");
    await refused(officerB, id, "handle", { handlingResult: "resolved" }, ["progress"]);
    await act(officerB, id, "handle", {
      progress: "已完成3台电梯加装，2台正在施工",
      handlingResult: "resolved",
    });
    // The review goes back to whoever assigned the item.
    expect(await todo(officerB, id)).toEqual([]);
    const review = await taskAt(officerA, id, "review");
    expect(review.assignee?.username).toBe(officerA.username);
    await act(officerA, id, "review", {
      reviewDecision: "redo",
      reviewOpinion: "尚有2台未完工，请继续办理",
      deadline: "2026-12-24",
    });
    expect((await taskAt(officerB, id, "handle")).dueAt).toBe("2026-12-24T15:59:59.000Z");
    await act(officerB, id, "handle", { progress: "5台电梯已全部投入使用", handlingResult: "resolved" });
    await act(officerA, id, "review", { reviewDecision: "close" });
    expect(await walked(id)).toMatchObject({
      state: "completed",
      tasks: ["handle", "review", "handle", "review"],
      ends: ["closedEnd"],
    });
  });

  it("puts an overdue item before the leader while the host unit keeps it", async () => {
    const id = await start(leader, "supervision", {
      ...VALID.supervision,
      deadline: "2026-12-02",
      urgency: "urgent",
    });
    await t.platform.jobs.runDue();
    expect(await todo(leader, id)).toEqual([]);
    clock.advance(2 * 86_400_000); // Thursday 10:00: the deadline (end of Wednesday) has passed
    await t.platform.jobs.runDue();
    const urge = await taskAt(leader, id, "urge");
    expect(urge.name).toBe("超期督促");
    // The timer does not take the item away from the host unit.
    expect((await instance(id)).activeElements.sort()).toEqual(["handle", "urge"]);
    await act(leader, id, "urge", { urgeOpinion: "请于本周五前报送办理结果" });
    expect((await instance(id)).state).toBe("active");
    await act(officerB, id, "handle", { progress: "已协调解决", handlingResult: "resolved" });
    await act(leader, id, "review", { reviewDecision: "close" });
    const run = await walked(id);
    expect(run.state).toBe("completed");
    expect(run.ends.sort()).toEqual(["closedEnd", "urgedEnd"]);
    expect(run.view.history.some((h) => h.elementId === "overdue" && h.event === "triggered")).toBe(true);
  });
});
