import { randomBytes } from "node:crypto";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import WebSocket from "ws";
import {
  bearer,
  buildDepartment,
  buildUser,
  type TestDepartment,
  type TestUser,
} from "../../../../test/factories";
import { eventually, json, startTestApp, type TestApp } from "../../../../test/harness";
import { rawQuery } from "../../../kernel/db/db";

/**
 * Real WebSocket clients against the listening application. With NATS_URL set (CI's second pass)
 * frames between two server processes travel through NATS; otherwise the process delivers itself.
 */
const NATS = Boolean(process.env.NATS_URL);

interface Frame {
  type: string;
  [key: string]: unknown;
}

/** A socket that keeps every frame it receives, so a test can wait for one or check that none came. */
class Client {
  readonly frames: Frame[] = [];
  private constructor(readonly ws: WebSocket) {
    ws.on("message", (data) => this.frames.push(JSON.parse(data.toString()) as Frame));
  }

  static open(url: string, options: { token?: string; protocols?: string[]; origin?: string } = {}) {
    const ws = new WebSocket(url, options.protocols ?? [], {
      headers: {
        ...(options.token ? bearer(options.token) : {}),
        ...(options.origin ? { origin: options.origin } : {}),
      },
    });
    return new Promise<Client>((resolve, reject) => {
      const client = new Client(ws);
      ws.once("open", () => resolve(client));
      ws.once("unexpected-response", (_req, res) => reject(new Error(`refused ${res.statusCode}`)));
      ws.once("error", reject);
    });
  }

  async next(match: (frame: Frame) => boolean, timeoutMs = 5000): Promise<Frame> {
    return eventually(async () => this.frames.find(match), timeoutMs);
  }

  /** A round trip through the server: frames sent to this socket before it have arrived after it. */
  async barrier(): Promise<void> {
    const seen = this.frames.filter((f) => f.type === "pong").length;
    this.ws.send(JSON.stringify({ type: "ping" }));
    await eventually(async () => this.frames.filter((f) => f.type === "pong").length > seen);
  }

  close(): Promise<void> {
    if (this.ws.readyState === WebSocket.CLOSED) return Promise.resolve();
    return new Promise((resolve) => {
      this.ws.once("close", () => resolve());
      this.ws.close();
    });
  }
}

/** The status a refused upgrade is answered with. */
function refusal(url: string, headers: Record<string, string>, protocols: string[] = []): Promise<number> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url, protocols, { headers });
    ws.once("unexpected-response", (_req, res) => {
      resolve(res.statusCode ?? 0);
      ws.terminate();
    });
    ws.once("open", () => reject(new Error("the socket was accepted")));
    ws.once("error", () => undefined);
  });
}

let t: TestApp;
let url: string;
let alice: TestUser;
let bob: TestUser;
let dave: TestUser;
let citizen: TestUser;
let bureau: TestDepartment;
const tokens = new Map<string, string>();
const clients: Client[] = [];
/** Shared with the second server process of the last test, as servers of one installation share it. */
const MASTER_KEY = randomBytes(16).toString("hex");

/** Sessions live in the database: a token works on every server process of it. */
async function tokenOf(user: TestUser) {
  if (!tokens.has(user.id)) tokens.set(user.id, await user.token(t.app));
  return tokens.get(user.id)!;
}

async function connect(user: TestUser, options: { protocols?: string[]; viaProtocol?: boolean } = {}) {
  const token = await tokenOf(user);
  const client = await Client.open(
    url,
    options.viaProtocol ? { protocols: ["fourfold.chat", `bearer.${token}`] } : { token },
  );
  clients.push(client);
  await client.next((f) => f.type === "hello");
  return client;
}

async function post(user: TestUser, path: string, payload: unknown, app = t) {
  return app.app.inject({
    method: "POST",
    url: `/api/office/chat${path}`,
    headers: bearer(await tokenOf(user)),
    payload: payload as object,
  });
}

async function createRoom(user: TestUser, body: Record<string, unknown>) {
  const res = await post(user, "/rooms", body);
  expect(res.statusCode, res.body).toBeLessThan(300);
  return json<{ id: string }>(res).id;
}

const sendText = (user: TestUser, roomId: string, text: string, app = t) =>
  post(user, `/rooms/${roomId}/messages`, { text, clientMessageId: randomBytes(8).toString("hex") }, app);

beforeAll(async () => {
  t = await startTestApp({ env: { MASTER_KEY } });
  await t.app.listen({ port: 0, host: "127.0.0.1" });
  url = `ws://127.0.0.1:${(t.app.server.address() as AddressInfo).port}/api/office/chat/ws`;
  // `room` notices come from the outbox: the relay runs as in a server.
  await t.platform.events.start();
  bureau = await buildDepartment(t.platform, "bureau");
  alice = await buildUser(t.platform, { roles: ["officer"], department: bureau });
  bob = await buildUser(t.platform, { roles: ["approver"], department: bureau });
  dave = await buildUser(t.platform, { roles: ["officer"], department: bureau });
  citizen = await buildUser(t.platform, { roles: ["citizen"] });
}, 60_000);
afterAll(async () => {
  await Promise.all(clients.map((c) => c.close()));
  await t?.close();
});

describe("connecting", () => {
  it("accepts a bearer header or the bearer subprotocol, and answers ping", async () => {
    const viaHeader = await connect(alice);
    const viaProtocol = await connect(alice, { viaProtocol: true });
    expect(viaProtocol.ws.protocol).toBe("fourfold.chat");
    expect(viaHeader.frames[0]).toMatchObject({ type: "hello", userId: alice.id });
    await viaProtocol.barrier();
    await viaHeader.close();
    await viaProtocol.close();
  });

  it("refuses no session (401), citizens and foreign pages (403, audited)", async () => {
    expect(await refusal(url, {})).toBe(401);
    expect(await refusal(url, {}, ["fourfold.chat", "bearer.ffb_not-a-token"])).toBe(401);
    expect(await refusal(url, bearer(await tokenOf(citizen)))).toBe(403);
    expect(await refusal(url, { ...bearer(await tokenOf(alice)), origin: "https://evil.example" })).toBe(403);
    const rows = await rawQuery<{ actor_id: string; reason: string }>(
      t.platform.db,
      `select actor_id, details->>'reason' as reason from audit.records
       where action = 'access.denied' and resource_id = 'GET /api/office/chat/ws' order by id`,
      [],
    );
    expect(rows).toEqual([
      { actor_id: citizen.id, reason: "role" },
      { actor_id: alice.id, reason: "origin" },
    ]);
    // A plain GET explains itself.
    const plain = await t.app.inject({
      method: "GET",
      url: "/api/office/chat/ws",
      headers: bearer(await tokenOf(alice)),
    });
    expect(plain.statusCode).toBe(426);
  });
});

describe("live delivery", () => {
  let roomId: string;
  let a: Client;
  let b: Client;
  let d: Client;
  beforeAll(async () => {
    roomId = await createRoom(alice, { kind: "group", name: "实时组", memberIds: [bob.id] });
    a = await connect(alice);
    b = await connect(bob);
    d = await connect(dave);
  });

  it("delivers a message to the room's members at once, and to no one else", async () => {
    const res = await sendText(alice, roomId, "实时消息一");
    expect(res.statusCode).toBe(201);
    const id = json<{ id: string }>(res).id;
    const frame = await b.next((f) => f.type === "message" && (f.message as { id: string }).id === id);
    expect(frame.message).toMatchObject({ roomId, text: "实时消息一", sender: { id: alice.id } });
    // The sender's own sockets hear it too (other tabs, other devices).
    await a.next((f) => f.type === "message" && (f.message as { id: string }).id === id);
    await d.barrier();
    expect(d.frames.filter((f) => f.type === "message")).toEqual([]);
  });

  it("tells the sender when a member has read the message", async () => {
    const id = json<{ id: string }>(await sendText(alice, roomId, "请确认收到")).id;
    await post(bob, `/rooms/${roomId}/read`, { messageId: id });
    const receipt = await a.next((f) => f.type === "read" && f.lastReadId === id);
    expect(receipt).toMatchObject({ roomId, userId: bob.id });
  });

  it("passes typing on to the other members, and refuses it from outsiders", async () => {
    a.ws.send(JSON.stringify({ type: "typing", roomId }));
    expect(await b.next((f) => f.type === "typing")).toMatchObject({ roomId, userId: alice.id });
    d.ws.send(JSON.stringify({ type: "typing", roomId }));
    expect(await d.next((f) => f.type === "error")).toMatchObject({ code: "CHAT_NOT_A_MEMBER" });
    await b.barrier();
    expect(b.frames.filter((f) => f.type === "typing" && f.userId === dave.id)).toEqual([]);
    d.ws.send("not json");
    expect(await d.next((f) => f.type === "error" && f.code === "CHAT_FRAME_INVALID")).toBeTruthy();
  });

  it("announces a new room to the people added", async () => {
    const group = await createRoom(alice, { kind: "group", name: "新群", memberIds: [dave.id] });
    expect(await d.next((f) => f.type === "room" && f.roomId === group)).toMatchObject({ change: "added" });
  });
});

describe("presence", () => {
  it("shows who is online, tells room peers when someone comes and goes, and keeps when they were last seen", async () => {
    // Someone with no socket open yet.
    const erin = await buildUser(t.platform, { roles: ["leader"], department: bureau });
    const roomId = await createRoom(alice, { kind: "direct", memberIds: [erin.id] });
    const watcher = await connect(alice);
    const room = async () =>
      json<{ members: { id: string; online: boolean; lastSeenAt: string | null }[] }>(
        await t.app.inject({
          method: "GET",
          url: `/api/office/chat/rooms/${roomId}`,
          headers: bearer(await tokenOf(alice)),
        }),
      ).members.find((m) => m.id === erin.id)!;
    expect((await room()).online).toBe(false);
    const other = await Client.open(url, { token: await tokenOf(erin) });
    await watcher.next((f) => f.type === "presence" && f.userId === erin.id && f.online === true);
    expect((await room()).online).toBe(true);
    await other.close();
    const gone = await watcher.next(
      (f) => f.type === "presence" && f.userId === erin.id && f.online === false,
    );
    expect(typeof gone.lastSeenAt).toBe("string");
    const after = await room();
    expect(after.online).toBe(false);
    expect(after.lastSeenAt).toBe(gone.lastSeenAt);
  });
});

describe(`across server processes (${NATS ? "NATS" : "in-process: each process delivers its own sockets"})`, () => {
  it(
    NATS
      ? "delivers a message sent through one process to a socket held by another"
      : "delivers only to sockets of the process that stored the message",
    async () => {
      const other = await startTestApp({ database: t.platform.database, env: { MASTER_KEY } });
      try {
        await other.app.listen({ port: 0, host: "127.0.0.1" });
        const otherUrl = `ws://127.0.0.1:${(other.app.server.address() as AddressInfo).port}/api/office/chat/ws`;
        const roomId = await createRoom(alice, { kind: "direct", memberIds: [bob.id] });
        const remote = await Client.open(otherUrl, { token: await tokenOf(bob) });
        const local = await connect(bob);
        await remote.next((f) => f.type === "hello");
        const id = json<{ id: string }>(await sendText(alice, roomId, "跨进程消息")).id;
        await local.next((f) => f.type === "message" && (f.message as { id: string }).id === id);
        if (NATS) {
          await remote.next((f) => f.type === "message" && (f.message as { id: string }).id === id);
        } else {
          await remote.barrier();
          expect(remote.frames.filter((f) => f.type === "message")).toEqual([]);
        }
        await remote.close();
      } finally {
        await other.app.close();
      }
    },
  );
});
