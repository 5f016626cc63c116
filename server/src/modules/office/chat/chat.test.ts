import { createHash, randomBytes } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { bearer, buildDepartment, buildUser, type TestUser } from "../../../../test/factories";
import { json, startTestApp, type TestApp } from "../../../../test/harness";
import { rawQuery } from "../../../kernel/db/db";
import { newId } from "../../../kernel/db/ids";
import { systemCtx } from "../../../kernel/http/context";
import { allowLinkAccess, openLinkedRoom } from ".";

let t: TestApp;
let alice: TestUser;
let bob: TestUser;
let carol: TestUser;
let dave: TestUser;
let citizen: TestUser;
const tokens = new Map<string, string>();

interface Room {
  id: string;
  kind: string;
  name: string;
  memberCount: number;
  unreadCount: number;
  peer: { id: string; name: string } | null;
  link: { type: string; id: string; title: string } | null;
  lastMessage: { id: string; text: string } | null;
}
interface Message {
  id: string;
  roomId: string;
  clientMessageId: string;
  text: string;
  sender: { id: string; name: string };
  attachments: { id: string; name: string; mediaType: string; size: number }[];
  readCount: number;
  readers: { id: string; name: string }[];
}

async function tokenOf(user: TestUser) {
  if (!tokens.has(user.id)) tokens.set(user.id, await user.token(t.app));
  return tokens.get(user.id)!;
}

async function call(
  user: TestUser,
  method: "GET" | "POST",
  url: string,
  payload?: unknown,
  headers: Record<string, string> = {},
) {
  return t.app.inject({
    method,
    url: `/api/office/chat${url}`,
    headers: { ...bearer(await tokenOf(user)), ...headers },
    ...(payload === undefined ? {} : { payload: payload as object }),
  });
}

async function createRoom(user: TestUser, body: Record<string, unknown>): Promise<Room> {
  const res = await call(user, "POST", "/rooms", body);
  expect(res.statusCode, res.body).toBeLessThan(300);
  return json<Room>(res);
}

async function send(user: TestUser, roomId: string, text: string, extra: Record<string, unknown> = {}) {
  return call(user, "POST", `/rooms/${roomId}/messages`, {
    text,
    clientMessageId: randomBytes(8).toString("hex"),
    ...extra,
  });
}

async function count(query: string, params: unknown[]): Promise<number> {
  const [row] = await rawQuery<{ n: number }>(t.platform.db, query, params);
  return row!.n;
}

beforeAll(async () => {
  t = await startTestApp();
  const bureau = await buildDepartment(t.platform, "bureau");
  alice = await buildUser(t.platform, { roles: ["officer"], department: bureau });
  bob = await buildUser(t.platform, { roles: ["approver"], department: bureau });
  carol = await buildUser(t.platform, { roles: ["clerk"], department: bureau });
  dave = await buildUser(t.platform, { roles: ["officer"] });
  citizen = await buildUser(t.platform, { roles: ["citizen"] });
}, 60_000);
afterAll(async () => {
  await t?.close();
});

describe("who may chat", () => {
  it("refuses anonymous callers (401) and citizens (403, audited)", async () => {
    const anonymous = await t.app.inject({ method: "GET", url: "/api/office/chat/rooms" });
    expect(anonymous.statusCode).toBe(401);
    expect(anonymous.headers["content-type"]).toContain("application/problem+json");
    const res = await call(citizen, "GET", "/rooms");
    expect(res.statusCode).toBe(403);
    expect(
      await count(
        "select count(*)::int as n from audit.records where actor_id = $1 and action = 'access.denied' and outcome = 'denied'",
        [citizen.id],
      ),
    ).toBe(1);
  });
});

describe("rooms", () => {
  it("keeps one direct room per pair, whoever opens it", async () => {
    const first = await createRoom(alice, { kind: "direct", memberIds: [bob.id] });
    expect(first.kind).toBe("direct");
    expect(first.peer?.id).toBe(bob.id);
    const again = await createRoom(alice, { kind: "direct", memberIds: [bob.id, alice.id] });
    const reverse = await createRoom(bob, { kind: "direct", memberIds: [alice.id] });
    expect(again.id).toBe(first.id);
    expect(reverse.id).toBe(first.id);
    expect(reverse.peer?.id).toBe(alice.id);
    expect(
      await count("select count(*)::int as n from office.chat_rooms where direct_key like $1", [
        `%${bob.id}%`,
      ]),
    ).toBe(1);
    expect(
      await count(
        "select count(*)::int as n from audit.records where action = 'chat.room.created' and resource_id = $1",
        [first.id],
      ),
    ).toBe(1);
  });

  it("refuses a member who is not an active staff account, naming the field, and stores nothing", async () => {
    const before = await count("select count(*)::int as n from office.chat_rooms", []);
    for (const stranger of [newId(), citizen.id]) {
      const res = await call(alice, "POST", "/rooms", { kind: "group", memberIds: [bob.id, stranger] });
      expect(res.statusCode).toBe(400);
      const problem = json<{ code: string; errors: { field: string }[] }>(res);
      expect(problem.code).toBe("CHAT_MEMBER_INVALID");
      expect(problem.errors).toEqual([
        { field: "/body/memberIds/1", message: "is not an active staff member" },
      ]);
    }
    const invalidUuid = await call(alice, "POST", "/rooms", { kind: "group", memberIds: ["nope"] });
    expect(invalidUuid.statusCode).toBe(400);
    expect(json<{ errors: { field: string }[] }>(invalidUuid).errors[0]!.field).toBe("/body/memberIds/0");
    const twoPeople = await call(alice, "POST", "/rooms", { kind: "direct", memberIds: [bob.id, carol.id] });
    expect(json<{ code: string }>(twoPeople).code).toBe("CHAT_DIRECT_MEMBERS");
    expect(await count("select count(*)::int as n from office.chat_rooms", [])).toBe(before);
  });

  it("creates groups named after their first members, adds members, and lets members leave", async () => {
    const res = await call(alice, "POST", "/rooms", { kind: "group", memberIds: [bob.id, carol.id] });
    expect(res.statusCode).toBe(201);
    const group = json<Room>(res);
    expect(group.memberCount).toBe(3);
    expect(group.name).toMatch(/^测试用户.+、测试用户.+、测试用户.+$/);
    // Dave is not in the group: he may not add himself.
    expect(
      (await call(dave, "POST", `/rooms/${group.id}/members`, { memberIds: [dave.id] })).statusCode,
    ).toBe(403);
    const added = await call(bob, "POST", `/rooms/${group.id}/members`, { memberIds: [dave.id] });
    expect(added.statusCode).toBe(200);
    expect(json<Room>(added).memberCount).toBe(4);
    expect((await call(dave, "POST", `/rooms/${group.id}/leave`)).statusCode).toBe(204);
    expect((await send(dave, group.id, "我已退出")).statusCode).toBe(403);
    const rooms = json<{ items: Room[] }>(await call(dave, "GET", "/rooms")).items;
    expect(rooms.map((r) => r.id)).not.toContain(group.id);
    const direct = await createRoom(alice, { kind: "direct", memberIds: [carol.id] });
    expect(json<{ code: string }>(await call(alice, "POST", `/rooms/${direct.id}/leave`)).code).toBe(
      "CHAT_DIRECT_FIXED",
    );
    expect(
      (await call(alice, "POST", `/rooms/${direct.id}/members`, { memberIds: [dave.id] })).statusCode,
    ).toBe(409);
  });

  it("shows a room's members with presence to members only (403 audited, 404 for no room)", async () => {
    const group = await createRoom(alice, { kind: "group", name: "项目组", memberIds: [bob.id] });
    const res = await call(bob, "GET", `/rooms/${group.id}`);
    expect(res.statusCode).toBe(200);
    const detail = json<Room & { members: { id: string; online: boolean; lastSeenAt: string | null }[] }>(
      res,
    );
    expect(detail.name).toBe("项目组");
    expect(detail.members.map((m) => m.id).sort()).toEqual([alice.id, bob.id].sort());
    expect(detail.members.every((m) => m.online === false && m.lastSeenAt === null)).toBe(true);
    expect((await call(dave, "GET", `/rooms/${group.id}`)).statusCode).toBe(403);
    expect(
      await count(
        "select count(*)::int as n from audit.records where actor_id = $1 and resource_id = $2 and outcome = 'denied'",
        [dave.id, group.id],
      ),
    ).toBe(1);
    expect((await call(dave, "GET", `/rooms/${newId()}`)).statusCode).toBe(404);
  });
});

describe("messages", () => {
  let room: Room;
  beforeAll(async () => {
    room = await createRoom(alice, { kind: "group", name: "消息组", memberIds: [bob.id, carol.id] });
  });

  it("stores, audits (without the text) and lists a message", async () => {
    const res = await send(alice, room.id, "请各位明天上午九点到会议室开会");
    expect(res.statusCode).toBe(201);
    const message = json<Message>(res);
    expect(message.sender).toEqual({ id: alice.id, name: expect.stringContaining("测试用户") });
    const [audit] = await rawQuery<{
      resource_type: string;
      resource_id: string;
      details: Record<string, unknown>;
    }>(
      t.platform.db,
      "select resource_type, resource_id, details from audit.records where action = 'chat.message.sent' and details->>'messageId' = $1",
      [message.id],
    );
    expect(audit).toMatchObject({ resource_type: "chat_room", resource_id: room.id });
    expect(JSON.stringify(audit!.details)).not.toContain("会议室");
    expect(
      await count(
        "select count(*)::int as n from platform.outbox where topic = 'office.chat.message.sent' and payload->>'messageId' = $1",
        [message.id],
      ),
    ).toBe(1);
    const page = json<{ items: Message[] }>(await call(bob, "GET", `/rooms/${room.id}/messages`));
    expect(page.items[0]).toMatchObject({
      id: message.id,
      text: "请各位明天上午九点到会议室开会",
      readCount: 0,
    });
    const rooms = json<{ items: Room[] }>(await call(bob, "GET", "/rooms")).items;
    expect(rooms[0]).toMatchObject({ id: room.id, unreadCount: 1, lastMessage: { id: message.id } });
  });

  it("returns the same message for a retried send, never a duplicate", async () => {
    const body = { text: "重发测试", clientMessageId: "retry-1" };
    const first = await call(alice, "POST", `/rooms/${room.id}/messages`, body);
    const second = await call(alice, "POST", `/rooms/${room.id}/messages`, body);
    expect(first.statusCode).toBe(201);
    expect(second.statusCode).toBe(201);
    expect(second.headers["idempotent-replayed"]).toBe("true");
    expect(json<Message>(second).id).toBe(json<Message>(first).id);
    const changed = await call(alice, "POST", `/rooms/${room.id}/messages`, { ...body, text: "另一条" });
    expect(changed.statusCode).toBe(409);
    expect(json<{ errors: { field: string }[] }>(changed).errors[0]!.field).toBe("/body/clientMessageId");
    // The platform's Idempotency-Key is honoured too.
    const keyed = { text: "带幂等键", clientMessageId: "retry-2" };
    const k1 = await call(alice, "POST", `/rooms/${room.id}/messages`, keyed, {
      "idempotency-key": "chat-k-1",
    });
    const k2 = await call(alice, "POST", `/rooms/${room.id}/messages`, keyed, {
      "idempotency-key": "chat-k-1",
    });
    expect(json<Message>(k2).id).toBe(json<Message>(k1).id);
    expect(
      await count(
        "select count(*)::int as n from office.chat_messages where sender_id = $1 and client_message_id in ('retry-1', 'retry-2')",
        [alice.id],
      ),
    ).toBe(2);
  });

  it("refuses a message to a room the sender is not in: 403, audited as denied, nothing stored", async () => {
    const before = await count("select count(*)::int as n from office.chat_messages where room_id = $1", [
      room.id,
    ]);
    const res = await send(dave, room.id, "我不在这个群");
    expect(res.statusCode).toBe(403);
    expect(json<{ code: string }>(res).code).toBe("CHAT_NOT_A_MEMBER");
    expect(
      await count("select count(*)::int as n from office.chat_messages where room_id = $1", [room.id]),
    ).toBe(before);
    const [audit] = await rawQuery<{ outcome: string; resource_id: string; details: { code: string } }>(
      t.platform.db,
      "select outcome, resource_id, details from audit.records where actor_id = $1 and resource_id = $2 and action = 'chat.message.sent'",
      [dave.id, room.id],
    );
    expect(audit).toEqual({
      outcome: "denied",
      resource_id: room.id,
      details: { code: "CHAT_NOT_A_MEMBER" },
    });
    expect((await send(dave, newId(), "没有这个群")).statusCode).toBe(404);
  });

  it("refuses text over 5,000 characters and an empty message, naming the field", async () => {
    const long = await send(alice, room.id, "长".repeat(5001));
    expect(long.statusCode).toBe(400);
    expect(json<{ errors: { field: string }[] }>(long).errors[0]!.field).toBe("/body/text");
    expect((await send(alice, room.id, "长".repeat(5000))).statusCode).toBe(201);
    const empty = await send(alice, room.id, "   ");
    expect(json<{ errors: { field: string }[] }>(empty).errors[0]!.field).toBe("/body/text");
  });

  it("limits how fast one person sends (429), not the others", async () => {
    const chatty = await buildUser(t.platform, { roles: ["officer"] });
    const flood = await createRoom(chatty, { kind: "group", name: "刷屏", memberIds: [bob.id] });
    const statuses: number[] = [];
    for (let i = 0; i < 61; i++) statuses.push((await send(chatty, flood.id, `第${i}条`)).statusCode);
    expect(statuses.slice(0, 60).every((s) => s === 201)).toBe(true);
    expect(statuses[60]).toBe(429);
    expect((await send(bob, flood.id, "我还能发")).statusCode).toBe(201);
  });

  it("pages back through history newest first, without gaps or repeats", async () => {
    const paged = await createRoom(alice, { kind: "group", name: "翻页", memberIds: [bob.id] });
    const sent: string[] = [];
    for (let i = 0; i < 45; i++)
      sent.push(json<Message>(await send(i % 2 ? bob : alice, paged.id, `第${i}条`)).id);
    const seen: string[] = [];
    let cursor: string | null = null;
    const sizes: number[] = [];
    do {
      const page: { items: Message[]; nextCursor: string | null } = json(
        await call(alice, "GET", `/rooms/${paged.id}/messages?limit=20${cursor ? `&before=${cursor}` : ""}`),
      );
      sizes.push(page.items.length);
      seen.push(...page.items.map((m) => m.id));
      cursor = page.nextCursor;
    } while (cursor);
    expect(sizes).toEqual([20, 20, 5]);
    expect(seen).toEqual([...sent].reverse());
    expect((await call(alice, "GET", `/rooms/${paged.id}/messages?limit=101`)).statusCode).toBe(400);
  });

  it("keeps read receipts per message: who has read it, a position that never moves back", async () => {
    const receipts = await createRoom(alice, { kind: "group", name: "回执", memberIds: [bob.id, carol.id] });
    const ids: string[] = [];
    for (const text of ["一", "二", "三"]) ids.push(json<Message>(await send(alice, receipts.id, text)).id);
    const read = await call(bob, "POST", `/rooms/${receipts.id}/read`, { messageId: ids[1] });
    expect(json(read)).toEqual({ roomId: receipts.id, lastReadId: ids[1] });
    const back = await call(bob, "POST", `/rooms/${receipts.id}/read`, { messageId: ids[0] });
    expect(json(back)).toEqual({ roomId: receipts.id, lastReadId: ids[1] });
    await call(carol, "POST", `/rooms/${receipts.id}/read`, { messageId: ids[2] });
    const page = json<{ items: Message[] }>(await call(alice, "GET", `/rooms/${receipts.id}/messages`)).items;
    const byId = new Map(page.map((m) => [m.id, m]));
    expect(byId.get(ids[2]!)!.readers.map((r) => r.id)).toEqual([carol.id]);
    expect(byId.get(ids[1]!)!.readCount).toBe(2);
    expect(
      byId
        .get(ids[0]!)!
        .readers.map((r) => r.id)
        .sort(),
    ).toEqual([bob.id, carol.id].sort());
    const bobsRooms = json<{ items: Room[] }>(await call(bob, "GET", "/rooms")).items;
    expect(bobsRooms.find((r) => r.id === receipts.id)!.unreadCount).toBe(1);
    expect(
      await count(
        "select count(*)::int as n from audit.records where action = 'chat.room.read' and resource_id = $1",
        [receipts.id],
      ),
    ).toBe(2);
    const foreign = await call(bob, "POST", `/rooms/${receipts.id}/read`, { messageId: newId() });
    expect(foreign.statusCode).toBe(404);
    // A direct room: the one other person has read it (已读) or not (未读).
    const direct = await createRoom(alice, { kind: "direct", memberIds: [carol.id] });
    const hello = json<Message>(await send(alice, direct.id, "在吗"));
    const unread = json<{ items: Message[] }>(await call(alice, "GET", `/rooms/${direct.id}/messages`))
      .items[0]!;
    expect(unread.readCount).toBe(0);
    await call(carol, "POST", `/rooms/${direct.id}/read`, { messageId: hello.id });
    const seen = json<{ items: Message[] }>(await call(alice, "GET", `/rooms/${direct.id}/messages`))
      .items[0]!;
    expect(seen.readCount).toBe(1);
    // Replying means having read: carol's answer leaves her nothing unread, and alice's message read.
    await send(alice, direct.id, "请回电");
    const carolsRoom = async () =>
      json<{ items: Room[] }>(await call(carol, "GET", "/rooms")).items.find((r) => r.id === direct.id)!;
    expect((await carolsRoom()).unreadCount).toBe(1);
    await send(carol, direct.id, "好的，马上回电");
    expect((await carolsRoom()).unreadCount).toBe(0);
    const answered = json<{ items: Message[] }>(
      await call(alice, "GET", `/rooms/${direct.id}/messages`),
    ).items;
    expect(answered.find((m) => m.text === "请回电")!.readCount).toBe(1);
  });
});

describe("attachments", () => {
  let room: Room;
  const upload = async (user: TestUser, content: Buffer, type = "application/pdf", name = "会议纪要.pdf") =>
    t.app.inject({
      method: "POST",
      url: `/api/office/chat/attachments?name=${encodeURIComponent(name)}`,
      headers: { ...bearer(await tokenOf(user)), "content-type": type },
      payload: content,
    });
  beforeAll(async () => {
    room = await createRoom(alice, { kind: "group", name: "附件组", memberIds: [bob.id] });
  });

  it("stores a file with its hash and type; members of a room it was sent to can download it", async () => {
    const content = randomBytes(4096);
    const res = await upload(alice, content);
    expect(res.statusCode).toBe(201);
    const file = json<{ id: string; sha256: string; size: number; mediaType: string }>(res);
    expect(file).toMatchObject({
      size: 4096,
      mediaType: "application/pdf",
      sha256: createHash("sha256").update(content).digest("hex"),
    });
    // Before it is sent, only the uploader may read it.
    const early = await call(bob, "GET", `/attachments/${file.id}`);
    expect(early.statusCode).toBe(403);
    const sent = await send(alice, room.id, "", { attachmentIds: [file.id] });
    expect(sent.statusCode).toBe(201);
    expect(json<Message>(sent).attachments).toEqual([
      { id: file.id, name: "会议纪要.pdf", mediaType: "application/pdf", size: 4096 },
    ]);
    const download = await call(bob, "GET", `/attachments/${file.id}`);
    expect(download.statusCode).toBe(200);
    expect(download.headers["content-type"]).toBe("application/pdf");
    expect(download.headers["content-disposition"]).toContain("attachment;");
    expect(download.rawPayload.equals(content)).toBe(true);
    const outsider = await call(dave, "GET", `/attachments/${file.id}`);
    expect(outsider.statusCode).toBe(403);
    expect(
      await count(
        "select count(*)::int as n from audit.records where actor_id = $1 and resource_id = $2 and outcome = 'denied'",
        [dave.id, file.id],
      ),
    ).toBe(1);
    expect((await call(dave, "GET", `/attachments/${newId()}`)).statusCode).toBe(404);
  });

  it("refuses an attachment over 10 MB with 413, audited, storing nothing", async () => {
    const before = await count("select count(*)::int as n from office.chat_attachments", []);
    const res = await upload(alice, Buffer.alloc(10 * 1024 * 1024 + 1, 7), "application/zip", "大文件.zip");
    expect(res.statusCode).toBe(413);
    const problem = json<{ code: string; detail: string }>(res);
    expect(problem.code).toBe("CHAT_ATTACHMENT_TOO_LARGE");
    expect(problem.detail).toContain("10 MB");
    expect(await count("select count(*)::int as n from office.chat_attachments", [])).toBe(before);
    expect(
      await count(
        "select count(*)::int as n from audit.records where actor_id = $1 and action = 'chat.attachment.uploaded' and outcome = 'denied'",
        [alice.id],
      ),
    ).toBe(1);
    const exactly = await upload(alice, Buffer.alloc(10 * 1024 * 1024, 1), "application/zip", "刚好.zip");
    expect(exactly.statusCode).toBe(201);
  }, 30_000);

  it("refuses to send another person's attachment, naming it", async () => {
    const bobs = json<{ id: string }>(
      await upload(bob, Buffer.from("bob's notes"), "text/plain", "notes.txt"),
    );
    const res = await send(alice, room.id, "转发", { attachmentIds: [bobs.id] });
    expect(res.statusCode).toBe(400);
    expect(json<{ code: string; errors: { field: string }[] }>(res)).toMatchObject({
      code: "CHAT_ATTACHMENT_INVALID",
      errors: [{ field: "/body/attachmentIds/0" }],
    });
  });
});

describe("search", () => {
  let room: Room;
  beforeAll(async () => {
    room = await createRoom(alice, { kind: "group", name: "搜索组", memberIds: [bob.id] });
    for (const text of [
      "关于2027年预算调整的说明已经发到群里",
      "上午开完会，下午开会讨论",
      "请于本周五前提交 Budget report",
      "abc cab",
    ])
      await send(alice, room.id, text);
  });

  const search = async (user: TestUser, q: string) =>
    json<{ items: (Message & { roomName: string })[] }>(
      await call(user, "GET", `/search?q=${encodeURIComponent(q)}`),
    ).items.filter((m) => m.roomId === room.id);

  it("finds Chinese words inside sentences and Latin words by any part, in my rooms only", async () => {
    expect((await search(bob, "预算调整")).map((m) => m.text)).toEqual([
      "关于2027年预算调整的说明已经发到群里",
    ]);
    expect(await search(bob, "预算")).toHaveLength(1);
    expect((await search(bob, "budget")).map((m) => m.roomName)).toEqual(["搜索组"]);
    expect(await search(bob, "dget rep")).toHaveLength(1);
    expect(await search(bob, "周")).toHaveLength(1);
    expect(await search(dave, "预算调整")).toHaveLength(0);
  });

  it("does not report bigrams that occur apart as a match", async () => {
    // 上午, 午开 and 开会 all occur in the message, but "上午开会" does not.
    expect(await search(bob, "上午开会")).toHaveLength(0);
    expect(await search(bob, "下午开会")).toHaveLength(1);
    expect(await search(bob, "abcab")).toHaveLength(0);
  });

  it("refuses a query without letters or digits", async () => {
    const res = await call(bob, "GET", `/search?q=${encodeURIComponent("？！")}`);
    expect(res.statusCode).toBe(400);
    expect(json<{ errors: { field: string }[] }>(res).errors[0]!.field).toBe("/query/q");
  });
});

describe("rooms linked to documents, cases and supervision items", () => {
  it("opens one room per item, created on first use, for its members", async () => {
    const link = {
      type: "case",
      id: `AJ-${randomBytes(3).toString("hex")}`,
      title: "关于做好防汛工作的通知",
    };
    const first = await call(alice, "POST", "/links", { ...link, memberIds: [bob.id] });
    expect(first.statusCode).toBe(200);
    const room = json<Room>(first);
    expect(room).toMatchObject({ kind: "group", name: link.title, link, memberCount: 2 });
    expect(json<Room>(await call(bob, "POST", "/links", link)).id).toBe(room.id);
    // Knowing the item's id is not enough to join its discussion.
    const outsider = await call(dave, "POST", "/links", link);
    expect(outsider.statusCode).toBe(403);
    // An office part that checked Dave may see the document opens it for him.
    const daveActor = await t.platform.sessions.resolve(await tokenOf(dave));
    const opened = await t.platform.db.transaction((tx) =>
      openLinkedRoom(
        { ...systemCtx(tx, t.platform.clock, t.platform.log, "test"), actor: daveActor },
        {
          type: "case",
          id: link.id,
          title: link.title,
        },
      ),
    );
    expect(opened.id).toBe(room.id);
    expect(opened.memberCount).toBe(3);
    const created = await call(alice, "POST", "/rooms", {
      kind: "group",
      memberIds: [carol.id],
      link: { type: "case", id: "AJ-2026-0001", title: "井盖缺失" },
    });
    expect(json<Room>(created).link).toEqual({ type: "case", id: "AJ-2026-0001", title: "井盖缺失" });
    const direct = await call(alice, "POST", "/rooms", { kind: "direct", memberIds: [carol.id], link });
    expect(json<{ errors: { field: string }[] }>(direct).errors[0]!.field).toBe("/body/link");
  });
});

describe("who may open an item's room", () => {
  it("follows the check the item's owner registered", async () => {
    allowLinkAccess("case", async (ctx, id) => id.startsWith("AJ-OPEN") || ctx.actor?.id === alice.id);
    const hidden = { type: "case", id: `AJ-HIDDEN-${randomBytes(3).toString("hex")}`, title: "内部案件" };
    expect((await call(dave, "POST", "/links", hidden)).statusCode).toBe(403);
    expect(
      await count("select count(*)::int as n from office.chat_rooms where link_id = $1", [hidden.id]),
    ).toBe(0);
    expect((await call(alice, "POST", "/links", hidden)).statusCode).toBe(200);
    expect((await call(dave, "POST", "/links", hidden)).statusCode).toBe(403);
    const open = { type: "case", id: `AJ-OPEN-${randomBytes(3).toString("hex")}`, title: "公开案件" };
    const created = json<Room>(await call(carol, "POST", "/links", open));
    const joined = await call(dave, "POST", "/links", open);
    expect(joined.statusCode).toBe(200);
    expect(json<Room>(joined)).toMatchObject({ id: created.id, memberCount: 2 });
  });
});

describe("org directory", () => {
  it("lists the departments and the staff of one, for staff only", async () => {
    const departments = json<{ items: { id: string; staffCount: number }[] }>(
      await call(alice, "GET", "/directory/departments"),
    ).items;
    expect(departments.find((d) => d.id === alice.departmentId)!.staffCount).toBe(3);
    const staff = json<{ items: { id: string; online: boolean }[] }>(
      await call(alice, "GET", `/directory/staff?departmentId=${alice.departmentId}`),
    ).items;
    expect(staff.map((s) => s.id).sort()).toEqual([alice.id, bob.id, carol.id].sort());
    const byName = json<{ items: { id: string }[] }>(
      await call(alice, "GET", `/directory/staff?q=${encodeURIComponent(dave.username)}`),
    ).items;
    expect(byName.map((s) => s.id)).toEqual([dave.id]);
    expect((await call(citizen, "GET", "/directory/departments")).statusCode).toBe(403);
  });
});
