import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildDepartment, buildUser, type TestDepartment, type TestUser } from "../../../../test/factories";
import { json, startTestApp, type TestApp } from "../../../../test/harness";
import { rawQuery } from "../../../kernel/db/db";
import { systemCtx } from "../../../kernel/http/context";

let t: TestApp;
let bureau: TestDepartment;
let other: TestDepartment;
let recipient: TestDepartment;
let drafter: TestUser;
let reviewer: TestUser;
let leader: TestUser;
let keeper: TestUser;
let countersigner: TestUser;
let receiverClerk: TestUser;
let receiverOfficer: TestUser;
let outsider: TestUser;
const tokens = new Map<TestUser, string>();

const as = (user: TestUser) => ({ authorization: `Bearer ${tokens.get(user)}` });
type Doc = {
  id: string;
  status: string;
  number: string | null;
  revision: number;
  signer: string | null;
  steps: { taskId: string; elementId: string; name: string; mine: boolean }[];
  permissions: Record<string, boolean>;
  distribution: {
    departmentId: string;
    receivedAt: string | null;
    firstReadAt: string | null;
    readers: number;
    incomingDocumentId: string;
  }[];
  files: { kind: string; url: string }[];
};

async function drain(): Promise<void> {
  while ((await t.platform.jobs.runDue()) > 0) {}
  while ((await t.platform.events.relayPending()) > 0) {}
}

async function create(user: TestUser, extra: Record<string, unknown> = {}) {
  const res = await t.app.inject({
    method: "POST",
    url: "/api/office/documents",
    headers: as(user),
    payload: {
      title: "关于做好2027年元旦春节期间安全生产工作的通知",
      docType: "通知",
      body: "各街道办事处，区直各单位：\n为切实做好元旦春节期间安全生产工作，现将有关事项通知如下。\n一、高度重视\n请各单位于12月1日前报送工作方案。",
      mainRecipients: ["各街道办事处", "区直各单位"],
      ...extra,
    },
  });
  expect(res.statusCode, res.body).toBe(201);
  return json<Doc>(res);
}

const get = async (user: TestUser, id: string) =>
  json<Doc>(await t.app.inject({ method: "GET", url: `/api/office/documents/${id}`, headers: as(user) }));

async function complete(user: TestUser, taskId: string, variables: Record<string, unknown>) {
  return t.app.inject({
    method: "POST",
    url: `/api/workflow/tasks/${taskId}/complete`,
    headers: as(user),
    payload: { variables },
  });
}

async function step(user: TestUser, id: string, elementId: string) {
  const doc = await get(user, id);
  const found = doc.steps.find((s) => s.elementId === elementId && s.mine);
  expect(found, `${elementId} open for ${user.username}: ${JSON.stringify(doc.steps)}`).toBeDefined();
  return found!.taskId;
}

async function deniedAudits(action: string): Promise<number> {
  const [row] = await rawQuery<{ n: number }>(
    t.platform.db,
    "select count(*)::int as n from audit.records where outcome = 'denied' and details->>'reason' = $1",
    [action],
  );
  return row!.n;
}

beforeAll(async () => {
  t = await startTestApp();
  bureau = await buildDepartment(t.platform, "bureau");
  other = await buildDepartment(t.platform, "bureau");
  recipient = await buildDepartment(t.platform, "subdistrict");
  await rawQuery(t.platform.db, "update identity.departments set org_prefix = '云测' where id = $1", [
    bureau.id,
  ]);
  drafter = await buildUser(t.platform, { roles: ["officer"], department: bureau });
  reviewer = await buildUser(t.platform, { roles: ["approver"], department: bureau });
  leader = await buildUser(t.platform, { roles: ["leader"], department: bureau });
  keeper = await buildUser(t.platform, { roles: ["officer"], department: bureau });
  countersigner = await buildUser(t.platform, { roles: ["approver"], department: other });
  receiverClerk = await buildUser(t.platform, { roles: ["clerk"], department: recipient });
  receiverOfficer = await buildUser(t.platform, { roles: ["officer"], department: recipient });
  outsider = await buildUser(t.platform, { roles: ["officer"], department: other });
  for (const u of [
    drafter,
    reviewer,
    leader,
    keeper,
    countersigner,
    receiverClerk,
    receiverOfficer,
    outsider,
  ])
    tokens.set(u, await u.token(t.app));
  await t.platform.db.transaction((tx) =>
    t.platform.workflow.deployLibrary(systemCtx(tx, t.platform.clock, t.platform.log, "test")),
  );
  const res = await t.app.inject({
    method: "PUT",
    url: `/api/office/departments/${bureau.id}/seal-keepers`,
    headers: as(leader),
    payload: { userIds: [keeper.id] },
  });
  expect(res.statusCode, res.body).toBe(200);
}, 60_000);
afterAll(async () => {
  if (process.env.SHOW_ERRORS)
    for (const l of t.logs)
      if (l.includes('"level":50') || l.includes('"level":40')) console.log(l.slice(0, 2000));
  await t?.close();
});

describe("drafting", () => {
  it("keeps every edit as a revision with the body's track changes", async () => {
    const doc = await create(drafter);
    expect(doc).toMatchObject({
      status: "draft",
      number: null,
      revision: 1,
      permissions: { edit: true, submit: true },
    });
    const edited = await t.app.inject({
      method: "PATCH",
      url: `/api/office/documents/${doc.id}`,
      headers: as(drafter),
      payload: {
        body: doc && "各街道办事处，区直各单位：\n请各单位于12月5日前报送工作方案。",
        urgency: "urgent",
        revision: 1,
        comment: "改期",
      },
    });
    expect(edited.statusCode, edited.body).toBe(200);
    expect(json<Doc>(edited).revision).toBe(2);
    const stale = await t.app.inject({
      method: "PATCH",
      url: `/api/office/documents/${doc.id}`,
      headers: as(drafter),
      payload: { title: "新标题", revision: 1 },
    });
    expect(stale.statusCode).toBe(409);
    expect(json(stale).errors).toEqual([
      { field: "/body/revision", message: "the document is at revision 2" },
    ]);
    const revisions = json<
      {
        revision: number;
        changedByName: string;
        changes: Record<string, unknown>;
        bodyDiff: { op: string; text: string }[];
      }[]
    >(
      await t.app.inject({
        method: "GET",
        url: `/api/office/documents/${doc.id}/revisions`,
        headers: as(drafter),
      }),
    );
    expect(revisions.map((r) => r.revision)).toEqual([2, 1]);
    expect(revisions[0]!.changes).toEqual({ urgency: { from: "normal", to: "urgent" } });
    expect(
      revisions[0]!.bodyDiff
        .filter((o) => o.op === "insert")
        .map((o) => o.text)
        .join(""),
    ).toContain("5");
    expect(
      revisions[0]!.bodyDiff
        .filter((o) => o.op === "delete")
        .map((o) => o.text)
        .join(""),
    ).toContain("1");
  });

  it("refuses unknown departments and wrong elements, naming the field", async () => {
    const res = await t.app.inject({
      method: "POST",
      url: "/api/office/documents",
      headers: as(drafter),
      payload: {
        title: "x",
        docType: "通知",
        body: "y",
        recipients: [{ departmentId: "0190a000-0000-7000-8000-000000000000", role: "main" }],
      },
    });
    expect(res.statusCode).toBe(400);
    expect(json(res).errors).toEqual([
      { field: "/body/recipients/0/departmentId", message: "no such department" },
    ]);
    const badType = await t.app.inject({
      method: "POST",
      url: "/api/office/documents",
      headers: as(drafter),
      payload: { title: "x", docType: "便条", body: "y" },
    });
    expect(badType.statusCode).toBe(400);
    expect(JSON.stringify(json(badType).errors)).toContain("/body/docType");
  });

  it("takes attachments while the document can be edited and refuses an oversized one, audited", async () => {
    const doc = await create(drafter);
    const ok = await t.app.inject({
      method: "POST",
      url: `/api/office/documents/${doc.id}/attachments?name=${encodeURIComponent("值班表.xlsx")}`,
      headers: { ...as(drafter), "content-type": "application/vnd.ms-excel" },
      payload: Buffer.from("值班表内容"),
    });
    expect(ok.statusCode, ok.body).toBe(201);
    const file = json<{ id: string; size: number }>(ok);
    const download = await t.app.inject({
      method: "GET",
      url: `/api/office/documents/${doc.id}/files/${file.id}`,
      headers: as(drafter),
    });
    expect(download.body).toBe("值班表内容");
    expect(download.headers["content-type"]).toContain("application/vnd.ms-excel");
    const denied = await deniedAudits("PAYLOAD_TOO_LARGE");
    const big = await t.app.inject({
      method: "POST",
      url: `/api/office/documents/${doc.id}/attachments?name=big.bin`,
      headers: { ...as(drafter), "content-type": "application/octet-stream" },
      payload: Buffer.alloc(20 * 1024 * 1024 + 1),
    });
    expect(big.statusCode).toBe(413);
    expect(await deniedAudits("PAYLOAD_TOO_LARGE")).toBe(denied + 1);
    expect((await get(drafter, doc.id)).files).toHaveLength(1);
  });

  it("opens the document's discussion room to those who may read it, and to no one else", async () => {
    const doc = await create(drafter);
    const open = (u: TestUser) =>
      t.app.inject({
        method: "POST",
        url: "/api/office/chat/links",
        headers: as(u),
        payload: { type: "document", id: doc.id, title: "讨论" },
      });
    const stranger = await open(outsider);
    expect(stranger.statusCode).toBe(403);
    const first = await open(drafter);
    expect(first.statusCode, first.body).toBe(200);
    const colleague = await open(reviewer);
    expect(colleague.statusCode, colleague.body).toBe(200);
    expect(json<{ id: string }>(colleague).id).toBe(json<{ id: string }>(first).id);
    expect((await open(outsider)).statusCode).toBe(403);
  });

  it("hides a department's documents from other departments", async () => {
    const doc = await create(drafter);
    const res = await t.app.inject({
      method: "GET",
      url: `/api/office/documents/${doc.id}`,
      headers: as(outsider),
    });
    expect(res.statusCode).toBe(404);
  });
});

describe("document numbers (发文字号)", () => {
  it("gives 100 concurrent numberings 100 distinct consecutive numbers, and refuses a second numbering", async () => {
    const docs = [];
    for (let i = 0; i < 100; i++) docs.push(await create(drafter, { title: `编号测试${i}` }));
    const results = await Promise.all(
      docs.map((d) =>
        t.app.inject({ method: "POST", url: `/api/office/documents/${d.id}/number`, headers: as(leader) }),
      ),
    );
    expect(results.map((r) => r.statusCode)).toEqual(Array(100).fill(200));
    const numbers = results.map((r) => json<Doc>(r).number!);
    const year = new Date(t.platform.clock.now().getTime() + 8 * 3_600_000).getUTCFullYear();
    const seqs = numbers.map((n) => {
      const m = new RegExp(`^云测〔${year}〕(\\d+)号$`).exec(n);
      expect(m, n).not.toBeNull();
      return Number(m![1]);
    });
    const sorted = [...seqs].sort((a, b) => a - b);
    expect(new Set(seqs).size).toBe(100);
    expect(sorted[99]! - sorted[0]!).toBe(99);

    const denied = await deniedAudits("DOCUMENT_ALREADY_NUMBERED");
    const again = await t.app.inject({
      method: "POST",
      url: `/api/office/documents/${docs[0]!.id}/number`,
      headers: as(leader),
    });
    expect(again.statusCode).toBe(409);
    expect(json(again).detail).toContain(numbers[0]);
    expect(await deniedAudits("DOCUMENT_ALREADY_NUMBERED")).toBe(denied + 1);
    expect((await get(leader, docs[0]!.id)).number).toBe(numbers[0]);
  });

  it("lets only the issuing department number its documents", async () => {
    const doc = await create(drafter);
    const res = await t.app.inject({
      method: "POST",
      url: `/api/office/documents/${doc.id}/number`,
      headers: as(outsider),
    });
    expect(res.statusCode).toBe(404);
  });
});

describe("the 发文 and 收文 flows", () => {
  it("goes 拟稿 → 核稿 (with edits) → 会签 → 签发 → 编号 → 用印 → 分发, then 签收 and reading at the recipient", async () => {
    const doc = await create(drafter, {
      countersignDepartmentIds: [other.id],
      recipients: [{ departmentId: recipient.id, role: "main" }],
    });
    const submitted = await t.app.inject({
      method: "POST",
      url: `/api/office/documents/${doc.id}/submit`,
      headers: as(drafter),
    });
    expect(submitted.statusCode, submitted.body).toBe(200);
    expect(json<Doc>(submitted).status).toBe("reviewing");
    // 编号 comes after 签发.
    const early = await t.app.inject({
      method: "POST",
      url: `/api/office/documents/${doc.id}/number`,
      headers: as(leader),
    });
    expect(early.statusCode).toBe(409);
    expect(json(early).code).toBe("DOCUMENT_NOT_SIGNED_OFF");
    // The drafter no longer edits; the reviewer (核稿) does, with track changes.
    const drafterEdit = await t.app.inject({
      method: "PATCH",
      url: `/api/office/documents/${doc.id}`,
      headers: as(drafter),
      payload: { title: "改" },
    });
    expect(drafterEdit.statusCode).toBe(409);
    const reviewerEdit = await t.app.inject({
      method: "PATCH",
      url: `/api/office/documents/${doc.id}`,
      headers: as(reviewer),
      payload: { body: "各街道办事处，区直各单位：\n请各单位于12月3日前报送工作方案。", comment: "核稿修改" },
    });
    expect(reviewerEdit.statusCode, reviewerEdit.body).toBe(200);
    expect(
      (await complete(reviewer, await step(reviewer, doc.id, "review"), { approved: true, opinion: "同意" }))
        .statusCode,
    ).toBe(200);
    await drain();
    expect((await get(countersigner, doc.id)).status).toBe("countersigning");
    expect(
      (await complete(countersigner, await step(countersigner, doc.id, "countersign"), { agreed: true }))
        .statusCode,
    ).toBe(200);
    await drain();
    expect((await get(leader, doc.id)).status).toBe("signing");
    expect(
      (await complete(leader, await step(leader, doc.id, "signOff"), { approved: true })).statusCode,
    ).toBe(200);
    await drain();

    const signed = await get(leader, doc.id);
    expect(signed.status).toBe("numbered");
    expect(signed.number).toMatch(/^云测〔\d{4}〕\d+号$/);
    const editSigned = await t.app.inject({
      method: "PATCH",
      url: `/api/office/documents/${doc.id}`,
      headers: as(reviewer),
      payload: { title: "签发后修改" },
    });
    expect(editSigned.statusCode).toBe(409);
    expect(json(editSigned).detail).toContain("signed off");

    // 用印: only the seal keeper; anyone else is refused and the refusal audited.
    const sealTask = signed.steps.find((s) => s.elementId === "seal")!;
    expect(sealTask).toBeDefined();
    const deniedBefore = await deniedAudits("TASK_NOT_YOURS");
    expect((await complete(drafter, sealTask.taskId, {})).statusCode).toBe(403);
    expect(await deniedAudits("TASK_NOT_YOURS")).toBe(deniedBefore + 1);
    expect((await complete(keeper, sealTask.taskId, {})).statusCode).toBe(200);
    await drain();

    const sent = await get(drafter, doc.id);
    expect(sent.status).toBe("distributed");
    expect(sent.files.map((f) => f.kind)).toContain("sealed_pdf");
    const pdf = await t.app.inject({
      method: "GET",
      url: `/api/office/documents/${doc.id}/pdf`,
      headers: as(drafter),
    });
    expect(pdf.statusCode).toBe(200);
    expect(pdf.headers["x-document-sealed"]).toBe("true");
    expect(pdf.rawPayload.subarray(0, 5).toString()).toBe("%PDF-");
    expect(sent.distribution).toHaveLength(1);
    expect(sent.distribution[0]).toMatchObject({
      departmentId: recipient.id,
      receivedAt: null,
      firstReadAt: null,
    });

    // 收文 at the recipient: 签收, then the sender sees receipt and reading.
    const incomingId = sent.distribution[0]!.incomingDocumentId;
    const unread = async (u: TestUser) =>
      json<{ items: { id: string; readByMe: boolean }[] }>(
        await t.app.inject({
          method: "GET",
          url: "/api/office/documents?direction=incoming&unread=true",
          headers: as(u),
        }),
      ).items.map((i) => i.id);
    expect(await unread(receiverClerk)).toContain(incomingId);
    const incoming = await get(receiverClerk, incomingId);
    expect(await unread(receiverClerk)).not.toContain(incomingId);
    const incomingPdf = await t.app.inject({
      method: "GET",
      url: `/api/office/documents/${incomingId}/pdf`,
      headers: as(receiverClerk),
    });
    expect(incomingPdf.headers["x-document-sealed"]).toBe("true");
    expect(incomingPdf.rawPayload.equals(pdf.rawPayload)).toBe(true);
    expect(incoming).toMatchObject({ status: "pending", number: signed.number });
    expect(
      (await complete(receiverClerk, await step(receiverClerk, incomingId, "receive"), {})).statusCode,
    ).toBe(200);
    await drain();
    await get(receiverOfficer, incomingId);
    const tracked = await get(drafter, doc.id);
    expect(tracked.distribution[0]!.receivedAt).not.toBeNull();
    expect(tracked.distribution[0]!.firstReadAt).not.toBeNull();
    expect(tracked.distribution[0]!.readers).toBe(2);
    expect((await get(receiverOfficer, incomingId)).status).toBe("received");
    for (const [user, element, variables] of [
      [receiverOfficer, "propose", { proposal: "请领导阅示" }],
    ] as const) {
      expect((await complete(user, await step(user, incomingId, element), variables)).statusCode).toBe(200);
      await drain();
    }
    expect((await get(receiverOfficer, incomingId)).status).toBe("proposed");
  }, 60_000);

  it("sends 核稿 to the reviewer the drafter chose, and refuses choosing oneself", async () => {
    const doc = await create(drafter);
    const self = await t.app.inject({
      method: "POST",
      url: `/api/office/documents/${doc.id}/submit`,
      headers: as(drafter),
      payload: { reviewer: drafter.username },
    });
    expect(self.statusCode).toBe(400);
    expect(json(self).errors).toEqual([
      { field: "/body/reviewer", message: "choose an active staff member other than yourself" },
    ]);
    const chosen = await t.app.inject({
      method: "POST",
      url: `/api/office/documents/${doc.id}/submit`,
      headers: as(drafter),
      payload: { reviewer: keeper.username },
    });
    expect(chosen.statusCode, chosen.body).toBe(200);
    expect((await get(keeper, doc.id)).steps).toEqual([
      expect.objectContaining({ elementId: "review", mine: true }),
    ]);
    expect((await get(reviewer, doc.id)).steps).toEqual([
      expect.objectContaining({ elementId: "review", mine: false }),
    ]);
    // The inbox says what the step is about: the document's title.
    const inbox = json<{ items: { name: string; subject: string | null; businessKey: string }[] }>(
      await t.app.inject({ method: "GET", url: "/api/workflow/tasks?view=todo", headers: as(keeper) }),
    );
    expect(inbox.items.find((k) => k.businessKey === doc.id)).toMatchObject({
      name: "核稿",
      subject: "关于做好2027年元旦春节期间安全生产工作的通知",
    });
    // A reviewer from another department reads the document while the step is theirs.
    const elsewhere = await create(drafter);
    const hidden = await t.app.inject({
      method: "GET",
      url: `/api/office/documents/${elsewhere.id}`,
      headers: as(outsider),
    });
    expect(hidden.statusCode).toBe(404);
    await t.app.inject({
      method: "POST",
      url: `/api/office/documents/${elsewhere.id}/submit`,
      headers: as(drafter),
      payload: { reviewer: outsider.username },
    });
    expect((await get(outsider, elsewhere.id)).steps).toEqual([
      expect.objectContaining({ elementId: "review", mine: true }),
    ]);
  });

  it("returns a draft refused at 核稿 to its drafter, who may edit and resubmit", async () => {
    const doc = await create(drafter);
    await t.app.inject({
      method: "POST",
      url: `/api/office/documents/${doc.id}/submit`,
      headers: as(drafter),
    });
    expect(
      (
        await complete(reviewer, await step(reviewer, doc.id, "review"), {
          approved: false,
          opinion: "请补充",
        })
      ).statusCode,
    ).toBe(200);
    await drain();
    const back = await get(drafter, doc.id);
    expect(back.status).toBe("draft");
    expect(back.permissions.edit).toBe(true);
    const edit = await t.app.inject({
      method: "PATCH",
      url: `/api/office/documents/${doc.id}`,
      headers: as(drafter),
      payload: { note: "已补充" },
    });
    expect(edit.statusCode, edit.body).toBe(200);
    expect(
      (await complete(drafter, await step(drafter, doc.id, "revise"), { resubmit: true })).statusCode,
    ).toBe(200);
    await drain();
    expect((await get(drafter, doc.id)).status).toBe("reviewing");
  }, 30_000);
});

describe("the 发文 and 收文 models", () => {
  it("are deployed with the library but started only by the document service, never by hand", async () => {
    const { items } = json<{ items: { key: string; startable: boolean }[] }>(
      await t.app.inject({ method: "GET", url: "/api/workflow/processes", headers: as(drafter) }),
    );
    expect(items.filter((p) => p.key.endsWith("-document"))).toEqual([
      expect.objectContaining({ key: "incoming-document", startable: false }),
      expect.objectContaining({ key: "outgoing-document", startable: false }),
    ]);
    const start = await t.app.inject({
      method: "POST",
      url: "/api/workflow/processes/outgoing-document/instances",
      headers: as(drafter),
      payload: {},
    });
    expect(start.statusCode).toBe(403);
  });
});

describe("statistics", () => {
  it("counts the documents I see by direction and status", async () => {
    type Count = { direction: string; status: string; count: number };
    const stats = async (u: TestUser) =>
      json<Count[]>(
        await t.app.inject({ method: "GET", url: "/api/office/documents/stats", headers: as(u) }),
      );
    const drafts = (rows: Count[]) =>
      rows.find((r) => r.direction === "outgoing" && r.status === "draft")?.count ?? 0;
    const was = drafts(await stats(drafter));
    await create(drafter);
    expect(drafts(await stats(drafter))).toBe(was + 1);
    const stranger = await buildUser(t.platform, { roles: ["officer"] });
    tokens.set(stranger, await stranger.token(t.app));
    expect((await stats(stranger)).reduce((n, r) => n + r.count, 0)).toBe(0);
  });
});
