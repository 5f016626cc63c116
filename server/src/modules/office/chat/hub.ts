import type { FastifyBaseLogger } from "fastify";
import { type RawData, WebSocket } from "ws";
import type { Actor } from "../../../kernel/access/actor";
import type { Db } from "../../../kernel/db/db";
import { UUID_PATTERN } from "../../../kernel/db/ids";
import type { Clock } from "../../../kernel/http/context";
import { tokenHash } from "../../../kernel/identity/sessions";
import { isMember, liveSessionHashes, memberIdsOf, recordLastSeen, roomPeersOf } from "./chat.queries";
import type { Presence } from "./chat.service";
import type { Fanout, FanoutMessage } from "./fanout";

/** Server → client frames. */
export type HubEvent =
  | { type: "hello"; userId: string; at: string }
  | { type: "message"; message: unknown }
  | { type: "read"; roomId: string; userId: string; name: string; lastReadId: string }
  | { type: "presence"; userId: string; online: boolean; lastSeenAt: string | null }
  | { type: "typing"; roomId: string; userId: string; name: string }
  | { type: "room"; roomId: string; change: "added" | "members" | "left" }
  | { type: "pong"; at: string }
  | { type: "error"; code: string; message: string };

interface Connection {
  ws: WebSocket;
  actor: Actor;
  /** The hash of the session token the socket signed in with (checked again at every heartbeat). */
  session: string;
  alive: boolean;
  /** Rooms this socket was found to be a member of, and when (typing checks membership once a minute). */
  rooms: Map<string, number>;
  /** When this socket last sent `typing` per room (one per second is passed on). */
  typedAt: Map<string, number>;
}

const HEARTBEAT_MS = 30_000;
const ROSTER_MS = 20_000;
/** A process that stops announcing its roster is taken as gone after this long. */
const ROSTER_TTL_MS = 65_000;
const MEMBERSHIP_CACHE_MS = 60_000;
/** A socket that lets this much pile up unread is cut off rather than holding the server's memory. */
const MAX_BUFFERED_BYTES = 4 * 1024 * 1024;
const UUID = new RegExp(UUID_PATTERN);

/**
 * The chat's live side: who is connected to this process, delivery of frames to their sockets (and,
 * through the fan-out, to sockets on other processes), and presence across processes.
 */
export class ChatHub implements Presence {
  private readonly local = new Map<string, Set<Connection>>();
  /** userId → process → until when that process last said the user is connected there. */
  private readonly remote = new Map<string, Map<string, number>>();
  private readonly timers: NodeJS.Timeout[] = [];
  private closed = false;

  constructor(
    private readonly deps: {
      db: Db;
      clock: Clock;
      log: FastifyBaseLogger;
      fanout: Fanout;
    },
  ) {
    deps.fanout.onMessage((message) => this.onFanout(message));
    const heartbeat = setInterval(() => void this.heartbeat(), HEARTBEAT_MS);
    heartbeat.unref();
    this.timers.push(heartbeat);
    if (deps.fanout.shared) {
      const roster = setInterval(() => this.announceRoster(), ROSTER_MS);
      roster.unref();
      this.timers.push(roster);
    }
  }

  /** Connected to any process now (the last roster of another process is at most ROSTER_TTL_MS old). */
  isOnline(userId: string): boolean {
    if (this.local.has(userId)) return true;
    const elsewhere = this.remote.get(userId);
    if (!elsewhere) return false;
    const now = Date.now();
    for (const until of elsewhere.values()) if (until > now) return true;
    return false;
  }

  /** Sends an event to every socket of the recipients, on this process and (through the fan-out) on others. */
  publish(recipients: readonly string[], event: HubEvent): void {
    if (recipients.length === 0 || this.closed) return;
    const frame = JSON.stringify(event);
    this.deliver(recipients, frame);
    if (this.deps.fanout.shared) {
      this.deps.fanout.publish({
        kind: "frame",
        origin: this.deps.fanout.origin,
        to: [...recipients],
        frame,
      });
    }
  }

  private deliver(recipients: readonly string[], frame: string): void {
    // One buffer for all sockets: the text is encoded once, however many receive it.
    let data: Buffer | null = null;
    for (const userId of recipients) {
      const sockets = this.local.get(userId);
      if (!sockets) continue;
      data ??= Buffer.from(frame);
      for (const c of sockets) this.sendTo(c, data);
    }
  }

  private sendTo(c: Connection, data: Buffer | string): void {
    if (c.ws.readyState !== WebSocket.OPEN) return;
    if (c.ws.bufferedAmount > MAX_BUFFERED_BYTES) {
      this.deps.log.warn({ userId: c.actor.id }, "chat socket too slow; closing it");
      c.ws.terminate();
      return;
    }
    c.ws.send(data, { binary: false });
  }

  private send(c: Connection, event: HubEvent): void {
    this.sendTo(c, JSON.stringify(event));
  }

  /** Takes over an authenticated socket. */
  attach(ws: WebSocket, actor: Actor, token: string): void {
    const c: Connection = {
      ws,
      actor,
      session: tokenHash(token),
      alive: true,
      rooms: new Map(),
      typedAt: new Map(),
    };
    let sockets = this.local.get(actor.id);
    const first = !sockets;
    if (!sockets) {
      sockets = new Set();
      this.local.set(actor.id, sockets);
    }
    sockets.add(c);
    ws.on("pong", () => {
      c.alive = true;
    });
    ws.on("message", (data, isBinary) => void this.onClientFrame(c, data, isBinary));
    ws.on("close", () => this.detach(c));
    ws.on("error", () => ws.terminate());
    this.send(c, { type: "hello", userId: actor.id, at: this.deps.clock.now().toISOString() });
    if (first) {
      if (this.deps.fanout.shared) {
        this.deps.fanout.publish({
          kind: "presence",
          origin: this.deps.fanout.origin,
          online: [actor.id],
          offline: [],
        });
      }
      void this.announcePresence(actor.id, true, null);
    }
  }

  private detach(c: Connection): void {
    const sockets = this.local.get(c.actor.id);
    if (!sockets?.delete(c) || sockets.size > 0) return;
    this.local.delete(c.actor.id);
    if (this.closed) return;
    const at = this.deps.clock.now();
    if (this.deps.fanout.shared) {
      this.deps.fanout.publish({
        kind: "presence",
        origin: this.deps.fanout.origin,
        online: [],
        offline: [c.actor.id],
      });
    }
    void recordLastSeen(this.deps.db, c.actor.id, at)
      .catch((e) => this.deps.log.warn({ err: e }, "recording when a chat user was last seen failed"))
      .then(() => {
        if (!this.isOnline(c.actor.id)) return this.announcePresence(c.actor.id, false, at.toISOString());
      });
  }

  /** Tells the people who share a room with the user that they came or went. */
  private async announcePresence(userId: string, online: boolean, lastSeenAt: string | null): Promise<void> {
    try {
      const peers = await roomPeersOf(this.deps.db, userId);
      this.publish(peers, { type: "presence", userId, online, lastSeenAt });
    } catch (e) {
      if (!this.closed) this.deps.log.warn({ err: e }, "announcing chat presence failed");
    }
  }

  private onFanout(message: FanoutMessage): void {
    if (message.kind === "frame") {
      this.deliver(message.to, message.frame);
      return;
    }
    const until = Date.now() + ROSTER_TTL_MS;
    if (message.roster) {
      const listed = new Set(message.online);
      for (const [userId, origins] of this.remote) {
        if (!listed.has(userId)) origins.delete(message.origin);
        if (origins.size === 0) this.remote.delete(userId);
      }
    }
    for (const userId of message.online) {
      let origins = this.remote.get(userId);
      if (!origins) {
        origins = new Map();
        this.remote.set(userId, origins);
      }
      origins.set(message.origin, until);
    }
    for (const userId of message.offline) {
      const origins = this.remote.get(userId);
      origins?.delete(message.origin);
      if (origins?.size === 0) this.remote.delete(userId);
    }
  }

  private announceRoster(): void {
    this.deps.fanout.publish({
      kind: "presence",
      origin: this.deps.fanout.origin,
      online: [...this.local.keys()],
      offline: [],
      roster: true,
    });
  }

  /** Client → server: `ping`, and `typing` in a room the user is in. Messages are sent over HTTP. */
  private async onClientFrame(c: Connection, data: RawData, isBinary: boolean): Promise<void> {
    let frame: { type?: unknown; roomId?: unknown };
    try {
      if (isBinary) throw new Error("binary");
      frame = JSON.parse(data.toString()) as typeof frame;
    } catch {
      this.send(c, { type: "error", code: "CHAT_FRAME_INVALID", message: "Send JSON text frames" });
      return;
    }
    if (frame?.type === "ping") {
      this.send(c, { type: "pong", at: this.deps.clock.now().toISOString() });
      return;
    }
    if (frame?.type !== "typing" || typeof frame.roomId !== "string" || !UUID.test(frame.roomId)) {
      this.send(c, {
        type: "error",
        code: "CHAT_FRAME_INVALID",
        message: 'Known frames: {"type":"ping"} and {"type":"typing","roomId":"<uuid>"}',
      });
      return;
    }
    const roomId = frame.roomId;
    const now = Date.now();
    if (now - (c.typedAt.get(roomId) ?? 0) < 1000) return;
    c.typedAt.set(roomId, now);
    try {
      const checked = c.rooms.get(roomId);
      if (checked === undefined || now - checked > MEMBERSHIP_CACHE_MS) {
        if (!(await isMember(this.deps.db, roomId, c.actor.id))) {
          c.rooms.delete(roomId);
          this.send(c, {
            type: "error",
            code: "CHAT_NOT_A_MEMBER",
            message: "You are not a member of this chat room",
          });
          return;
        }
        c.rooms.set(roomId, now);
      }
      const others = (await memberIdsOf(this.deps.db, roomId)).filter((id) => id !== c.actor.id);
      this.publish(others, { type: "typing", roomId, userId: c.actor.id, name: c.actor.displayName });
    } catch (e) {
      this.deps.log.warn({ err: e }, "chat typing notice failed");
    }
  }

  /**
   * Every HEARTBEAT_MS: sockets that did not answer the last ping are dropped, and the sessions of
   * all sockets are looked up again (one query), so a signed-out or expired session stops listening.
   */
  private async heartbeat(): Promise<void> {
    const connections = [...this.local.values()].flatMap((sockets) => [...sockets]);
    for (const c of connections) {
      if (!c.alive || c.ws.readyState !== WebSocket.OPEN) {
        c.ws.terminate();
        continue;
      }
      c.alive = false;
      c.ws.ping();
    }
    try {
      const hashes = [...new Set(connections.map((c) => c.session))];
      const live = await liveSessionHashes(this.deps.db, hashes, this.deps.clock.now());
      for (const c of connections) if (!live.has(c.session)) c.ws.close(4401, "session ended");
    } catch (e) {
      if (!this.closed) this.deps.log.warn({ err: e }, "checking chat sessions failed");
    }
  }

  /** Connected users on this process (for tests and the benchmark's checks). */
  localUsers(): number {
    return this.local.size;
  }

  async close(): Promise<void> {
    this.closed = true;
    for (const timer of this.timers) clearInterval(timer);
    for (const sockets of this.local.values()) {
      for (const c of sockets) {
        c.ws.close(1001, "server stopping");
        // A client that does not answer the close handshake must not hold the shutdown up.
        setTimeout(() => c.ws.terminate(), 1000).unref();
      }
    }
    this.local.clear();
    await this.deps.fanout.close();
  }
}
