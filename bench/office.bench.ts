import { type ChildProcess, spawn } from "node:child_process";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { Pool } from "undici";
import WebSocket from "ws";
import { createPlatform } from "../server/src/kernel/bootstrap";
import { loadConfig } from "../server/src/kernel/config/config";
import { openDatabase, rawQuery } from "../server/src/kernel/db/db";
import { newId } from "../server/src/kernel/db/ids";
import { randomToken } from "../server/src/kernel/identity/passwords";
import { tokenHash } from "../server/src/kernel/identity/sessions";
import { createLogger } from "../server/src/kernel/log";
import { freePort, ROOT, startServer, waitReady } from "../server/test/process";
import { type Benchmark, figure, percentile, scratchDatabase } from "./harness";

const DURATION_MS = Number(process.env.BENCH_DURATION_MS ?? 10_000);
/** Connected WebSocket clients, one staff member each. */
const CLIENTS = Number(process.env.BENCH_CHAT_CLIENTS ?? 1000);
/** Members per group room: every message is delivered to ROOM_SIZE − 1 other people. */
const ROOM_SIZE = 10;
/** Concurrent senders, each sending its next message when the last was answered. */
const SENDERS = Number(process.env.BENCH_CHAT_SENDERS ?? 25);
const ROOMS = Math.floor(CLIENTS / ROOM_SIZE);
const TEXT = "请各位于明天上午九点到三楼会议室参加预算调整专题会议，并带上相关材料。";

interface Run {
  /** Messages delivered to members other than the sender, per second. */
  deliveredRate: number;
  /** Messages sent (answered 201 / broadcast) per second. */
  sentRate: number;
  /** From the moment the sender starts sending to the moment a member's socket has the message. */
  p50: number;
  p99: number;
  errors: number;
  connected: number;
}

/**
 * One receiver per user: counts and times the messages that reach it. `ofInterest` maps a message's
 * client id to when its sending started; frames of messages sent outside the window are ignored.
 */
class Receivers {
  readonly sockets: WebSocket[] = [];
  readonly sentAt = new Map<string, { at: number; sender: number }>();
  latencies: number[] = [];
  delivered = 0;
  measuring = false;

  async connect(
    urlOf: (user: number) => string,
    count: number,
    options: (user: number) => WebSocket.ClientOptions,
    idOf: (frame: unknown) => string | null,
  ): Promise<number> {
    let ready = 0;
    // In steps, so the server's listen backlog never overflows.
    for (let first = 0; first < count; first += 100) {
      await Promise.all(
        Array.from({ length: Math.min(100, count - first) }, (_, k) => {
          const user = first + k;
          return new Promise<void>((resolve, reject) => {
            const ws = new WebSocket(urlOf(user), options(user));
            this.sockets[user] = ws;
            ws.once("error", reject);
            ws.on("message", (data) => {
              const frame = JSON.parse(data.toString()) as { type?: string };
              if (frame.type === "hello") {
                ready++;
                resolve();
                return;
              }
              const id = idOf(frame);
              const sent = id ? this.sentAt.get(id) : undefined;
              if (!sent || sent.sender === user || !this.measuring) return;
              this.delivered++;
              this.latencies.push(performance.now() - sent.at);
            });
          });
        }),
      );
    }
    return ready;
  }

  close(): void {
    for (const ws of this.sockets) ws?.terminate();
  }
}

/** Senders loop for the duration after a warm-up; `send` resolves when the message was accepted. */
async function drive(
  receivers: Receivers,
  send: (sender: number, user: number, room: number, clientId: string) => Promise<boolean>,
): Promise<{ sent: number; errors: number; seconds: number }> {
  let errors = 0;
  let sent = 0;
  const loop = async (until: number, counting: boolean) => {
    await Promise.all(
      Array.from({ length: SENDERS }, async (_, s) => {
        for (let i = 0; performance.now() < until; i++) {
          // Senders take turns over the rooms and, within a room, over its members.
          const room = (s + i * SENDERS) % ROOMS;
          const user = room * ROOM_SIZE + (i % ROOM_SIZE);
          const clientId = `${counting ? "m" : "w"}${s}-${i}`;
          receivers.sentAt.set(clientId, { at: performance.now(), sender: user });
          const ok = await send(s, user, room, clientId).catch(() => false);
          if (!counting) continue;
          if (ok) sent++;
          else errors++;
        }
      }),
    );
  };
  await loop(performance.now() + 2000, false);
  receivers.measuring = true;
  const started = performance.now();
  await loop(started + DURATION_MS, true);
  const seconds = (performance.now() - started) / 1000;
  // Deliveries of the last messages may still be on their way.
  await new Promise((r) => setTimeout(r, 500));
  receivers.measuring = false;
  return { sent, errors, seconds };
}

function summary(receivers: Receivers, driven: Awaited<ReturnType<typeof drive>>, connected: number): Run {
  const sorted = receivers.latencies.sort((a, b) => a - b);
  return {
    deliveredRate: receivers.delivered / driven.seconds,
    sentRate: driven.sent / driven.seconds,
    p50: percentile(sorted, 50),
    p99: percentile(sorted, 99),
    errors: driven.errors,
    connected,
  };
}

/** The same rooms in the database the server will use: 1,000 staff, their bearer sessions, 100 groups. */
async function prepare(): Promise<{
  dataDir: string;
  databaseUrl: string | null;
  tokens: string[];
  rooms: string[];
  dispose: () => Promise<void>;
}> {
  const scratch = process.env.DATABASE_URL ? await scratchDatabase("office") : null;
  const dataDir = mkdtempSync(path.join(tmpdir(), "bench-office-"));
  const config = loadConfig({
    DATA_DIR: dataDir,
    DEMO: "false",
    LOG_LEVEL: "warn",
    ...(scratch?.url ? { DATABASE_URL: scratch.url } : {}),
  });
  const database = await openDatabase({
    databaseUrl: config.databaseUrl,
    pgliteDir: config.databaseUrl ? null : `${config.dataDir}/pg`,
  });
  const platform = await createPlatform({ config, log: createLogger("warn"), database });
  const { db } = platform;
  const department = newId();
  await rawQuery(
    db,
    "insert into identity.departments (id, code, name, kind, parent_id, path) values ($1, 'CHAT-BENCH', '压测局', 'bureau', null, $2)",
    [department, `/${department}/`],
  );
  const users = Array.from({ length: CLIENTS }, () => newId());
  const tokens = users.map(() => randomToken("ffb_"));
  await rawQuery(
    db,
    `insert into identity.users (id, kind, username, display_name, password_hash, roles, department_id)
     select u, 'staff', 'chat' || n, '压测用户' || n, 'x', '{officer}', $2
     from unnest($1::uuid[]) with ordinality as t(u, n)`,
    [users, department],
  );
  await rawQuery(
    db,
    `insert into identity.sessions (token_hash, user_id, kind, expires_at)
     select h, u, 'bearer', now() + interval '1 day' from unnest($1::text[], $2::uuid[]) as t(h, u)`,
    [tokens.map(tokenHash), users],
  );
  const rooms = Array.from({ length: ROOMS }, () => newId());
  await rawQuery(
    db,
    `insert into office.chat_rooms (id, kind, name, created_by, created_at)
     select r, 'group', '压测群' || n, $2, now() from unnest($1::uuid[]) with ordinality as t(r, n)`,
    [rooms, users[0]],
  );
  await rawQuery(
    db,
    `insert into office.chat_members (room_id, user_id, joined_at)
     select ($1::uuid[])[(n - 1) / ${ROOM_SIZE} + 1], u, now()
     from unnest($2::uuid[]) with ordinality as t(u, n) where n <= ${ROOMS * ROOM_SIZE}`,
    [rooms, users],
  );
  await platform.stop();
  return {
    dataDir,
    databaseUrl: scratch?.url ?? null,
    tokens,
    rooms,
    dispose: async () => {
      await scratch?.close();
    },
  };
}

async function fourfoldRun(): Promise<Run & { stored: number }> {
  const prepared = await prepare();
  const port = await freePort();
  const server = startServer({
    DATA_DIR: prepared.dataDir,
    PORT: String(port),
    DEMO: "false",
    LOG_LEVEL: "warn",
    ...(prepared.databaseUrl ? { DATABASE_URL: prepared.databaseUrl } : {}),
  });
  await waitReady(server, 120_000);
  const receivers = new Receivers();
  const connected = await receivers.connect(
    () => `ws://127.0.0.1:${port}/api/office/chat/ws`,
    CLIENTS,
    (user) => ({ headers: { authorization: `Bearer ${prepared.tokens[user]}` } }),
    (frame) => {
      const f = frame as { type: string; message?: { clientMessageId: string } };
      return f.type === "message" ? (f.message?.clientMessageId ?? null) : null;
    },
  );
  const pool = new Pool(server.url, { connections: SENDERS, pipelining: 1 });
  const driven = await drive(receivers, async (_s, user, room, clientMessageId) => {
    const res = await pool.request({
      method: "POST",
      path: `/api/office/chat/rooms/${prepared.rooms[room]}/messages`,
      headers: { authorization: `Bearer ${prepared.tokens[user]}`, "content-type": "application/json" },
      body: JSON.stringify({ text: TEXT, clientMessageId }),
    });
    await res.body.dump();
    return res.statusCode === 201;
  });
  const run = summary(receivers, driven, connected);
  receivers.close();
  await pool.close();
  server.child.kill("SIGTERM");
  await server.exited;
  const stored = await countStored(prepared);
  await prepared.dispose();
  return { ...run, stored };
}

/** Messages and their audit records in the database after the run (the server has stopped). */
async function countStored(prepared: { dataDir: string; databaseUrl: string | null }): Promise<number> {
  const database = await openDatabase({
    databaseUrl: prepared.databaseUrl,
    pgliteDir: prepared.databaseUrl ? null : `${prepared.dataDir}/pg`,
  });
  const [row] = await rawQuery<{ messages: number; audited: number }>(
    database.db,
    `select (select count(*) from office.chat_messages)::int as messages,
            (select count(*) from audit.records where action = 'chat.message.sent')::int as audited`,
    [],
  );
  await database.close();
  if (row!.messages !== row!.audited)
    throw new Error(`${row!.messages} messages but ${row!.audited} audit records`);
  return row!.messages;
}

/**
 * The baseline: a bare `ws` server in a process of its own that broadcasts each message it gets to
 * the sender's group — the same rooms, clients and senders, without authentication, validation,
 * storage or audit.
 */
const BARE_SERVER = `
const { WebSocketServer } = require("ws");
const size = ${ROOM_SIZE};
const wss = new WebSocketServer({ port: Number(process.argv[1]), host: "127.0.0.1", perMessageDeflate: false });
const sockets = [];
wss.on("connection", (ws, req) => {
  const user = Number(new URL(req.url, "http://x").searchParams.get("user"));
  sockets[user] = ws;
  ws.send(JSON.stringify({ type: "hello" }));
  ws.on("message", (data) => {
    const m = JSON.parse(data.toString());
    const frame = Buffer.from(JSON.stringify({ type: "message", message: { clientMessageId: m.clientMessageId, text: m.text } }));
    for (let u = m.room * size; u < (m.room + 1) * size; u++) sockets[u]?.send(frame, { binary: false });
  });
});`;

async function bareRun(): Promise<Run> {
  const port = await freePort();
  const child: ChildProcess = spawn(process.execPath, ["-e", BARE_SERVER, String(port)], {
    cwd: ROOT,
    stdio: "ignore",
  });
  await new Promise((r) => setTimeout(r, 500));
  const bare = new Receivers();
  // The sender waits for its own copy of the broadcast, as an HTTP sender waits for its answer.
  const echoes = new Map<string, () => void>();
  const ready = await bare.connect(
    (user) => `ws://127.0.0.1:${port}/?user=${user}`,
    CLIENTS,
    () => ({}),
    (frame) => {
      const id = (frame as { message?: { clientMessageId: string } }).message?.clientMessageId ?? null;
      if (id) echoes.get(id)?.();
      return id;
    },
  );
  const driven = await drive(bare, (_s, user, room, clientMessageId) => {
    const echoed = new Promise<boolean>((resolve) => {
      const timer = setTimeout(() => resolve(false), 5000);
      echoes.set(clientMessageId, () => {
        clearTimeout(timer);
        echoes.delete(clientMessageId);
        resolve(true);
      });
    });
    bare.sockets[user]!.send(JSON.stringify({ room, clientMessageId, text: TEXT }));
    return echoed;
  });
  const run = summary(bare, driven, ready);
  bare.close();
  child.kill();
  return run;
}

export const office: Benchmark = {
  name: "office",
  description: `Chat (即时通讯): ${CLIENTS.toLocaleString("en")} WebSocket clients connected, ${ROOMS} group rooms of ${ROOM_SIZE}, ${SENDERS} concurrent senders over HTTP (each message stored, audited, delivered live to the other ${ROOM_SIZE - 1} members); baseline: a bare \`ws\` server broadcasting the same traffic`,
  async run() {
    const bare = await bareRun();
    const ours = await fourfoldRun();
    const baseline = (metric: string, value: number, unit: string) => ({
      metric,
      value: Math.round(value),
      unit,
    });
    return [
      figure(
        "messages delivered to connected clients",
        ours.deliveredRate,
        "msg/s",
        baseline("bare ws broadcast, same rooms and clients", bare.deliveredRate, "msg/s"),
        { text: "≥ 5,000 msg/s", met: ours.deliveredRate >= 5000 },
      ),
      figure(
        "delivery p99 (send start → member's socket)",
        ours.p99,
        "ms",
        baseline("bare ws p99", bare.p99, "ms"),
        {
          text: "< 100 ms",
          met: ours.p99 < 100,
        },
      ),
      figure("delivery p50", ours.p50, "ms", baseline("bare ws p50", bare.p50, "ms")),
      figure(
        "messages sent (stored and audited)",
        ours.sentRate,
        "msg/s",
        baseline("bare ws", bare.sentRate, "msg/s"),
      ),
      figure("connected WebSocket clients", ours.connected, "clients", null, {
        text: `${CLIENTS}`,
        met: ours.connected === CLIENTS,
      }),
      figure("send errors", ours.errors, "requests", null, { text: "0", met: ours.errors === 0 }),
      figure("messages stored, each with its audit record", ours.stored, "messages"),
    ];
  },
};
