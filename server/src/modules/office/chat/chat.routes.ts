import type { TypeBoxTypeProvider } from "@fastify/type-provider-typebox";
import type { FastifyInstance, FastifyRequest } from "fastify";
import { Type } from "typebox";
import { STAFF_ROLES } from "../../../kernel/access/roles";
import { appendAudit } from "../../../kernel/audit/audit";
import { type Ctx, requestCtx } from "../../../kernel/http/context";
import { AppError } from "../../../kernel/http/errors";
import { problems } from "../../../kernel/http/schemas";
import { runWrite } from "../../../kernel/http/write";
import type { Platform } from "../../../kernel/platform";
import {
  addChatMembers,
  createChatRoom,
  getChatAttachment,
  getChatRoom,
  leaveChatRoom,
  listChatDepartments,
  listChatRooms,
  listMessages,
  MAX_ATTACHMENT_BYTES,
  markRoomRead,
  openLinkedRoom,
  type Sent,
  searchChatStaff,
  searchMessages,
  sendMessage,
  uploadChatAttachment,
} from "./chat.service";
import {
  AddMembersBody,
  AttachmentParams,
  AttachmentSchema,
  CreateRoomBody,
  DirectoryDepartments,
  DirectoryStaff,
  MessagePage,
  MessageSchema,
  MessagesQuery,
  OpenLinkBody,
  ReadBody,
  ReadSchema,
  RoomDetailSchema,
  RoomParams,
  RoomSchema,
  SearchPage,
  SearchQuery,
  SendBody,
  StaffQuery,
  UploadQuery,
} from "./chat.types";
import { ChatErrors } from "./errors";
import type { ChatHub } from "./hub";
import { SOCKET_PATH, SOCKET_PROTOCOL } from "./socket";

declare module "fastify" {
  interface FastifyContextConfig {
    /** The action a chat route's refusals (not a member, too large, …) are audited under. */
    chatAction?: string;
  }
}

const staff = { roles: STAFF_ROLES };
/** Per person, not per address: a whole office may share one address. */
const perUser = (max: number, timeWindow: number) => ({
  max,
  timeWindow,
  keyGenerator: (req: FastifyRequest) => req.actor?.id ?? req.ip,
});
const tags = ["office"];
const CHAT_CODES = new Set<string>(Object.values(ChatErrors));
const DENIALS = new Set<string>([ChatErrors.CHAT_NOT_A_MEMBER, ChatErrors.CHAT_ATTACHMENT_TOO_LARGE]);
/** Attachments a browser may show in place; anything else is downloaded. */
const INLINE_TYPES = new Set(["image/png", "image/jpeg", "image/gif", "image/webp"]);
const MEDIA_TYPE = /^[a-z0-9][a-z0-9!#$&^_.+-]{0,126}\/[a-z0-9][a-z0-9!#$&^_.+-]{0,126}$/;

/** The chat's HTTP API under /api/office/chat (the WebSocket itself is accepted by socket.ts). */
export async function registerChatHttpRoutes(
  root: FastifyInstance,
  platform: Platform,
  hub: ChatHub,
): Promise<void> {
  await root.register(async (scope) => {
    scope.addHook("onError", async (req, _reply, error) => {
      const action = req.routeOptions.config?.chatAction;
      if (action && error instanceof AppError && CHAT_CODES.has(error.code)) {
        await auditRefusal(platform, req, action, error);
      }
    });
    routes(scope, platform, hub);
    await scope.register(async (files) => attachmentUpload(files, platform));
  });
}

/** A refused chat call, recorded in its own transaction (the request's own rolled back). */
async function auditRefusal(platform: Platform, req: FastifyRequest, action: string, error: AppError) {
  const params = (req.params ?? {}) as { roomId?: string; attachmentId?: string };
  await platform.db.transaction((tx) =>
    appendAudit(
      tx,
      { actor: req.actor, ip: req.ip, requestId: req.id, clock: platform.clock },
      {
        action,
        resourceType: params.attachmentId ? "chat_attachment" : "chat_room",
        resourceId: params.attachmentId ?? params.roomId ?? null,
        outcome: DENIALS.has(error.code) ? "denied" : "failure",
        details: { code: error.code },
      },
    ),
  );
}

function routes(app: FastifyInstance, platform: Platform, hub: ChatHub) {
  const typed = app.withTypeProvider<TypeBoxTypeProvider>();
  const read = (req: FastifyRequest): Ctx => requestCtx(req, platform.db, platform.clock);

  typed.post(
    "/api/office/chat/rooms",
    {
      schema: {
        operationId: "createChatRoom",
        tags,
        summary:
          "Start a direct chat (returned again if the pair has one) or a group, optionally linked to an item",
        body: CreateRoomBody,
        response: { 200: RoomSchema, 201: RoomSchema, ...problems(400, 401, 403) },
      },
      config: { access: staff, chatAction: "chat.room.created" },
    },
    async (req, reply) =>
      runWrite(req, reply, platform, req.body.kind === "group" && !req.body.link ? 201 : 200, async (ctx) => {
        return (await createChatRoom(ctx, req.body, hub)).room;
      }),
  );

  typed.get(
    "/api/office/chat/rooms",
    {
      schema: {
        operationId: "listChatRooms",
        tags,
        summary: "My rooms with their last message and unread count, the most recently active first",
        response: { 200: Type.Object({ items: Type.Array(RoomSchema) }), ...problems(401, 403) },
      },
      config: { access: staff },
    },
    async (req) => ({ items: await listChatRooms(read(req), hub) }),
  );

  typed.get(
    "/api/office/chat/rooms/:roomId",
    {
      schema: {
        operationId: "getChatRoom",
        tags,
        summary: "A room with its members, their presence (online / last seen) and read positions",
        params: RoomParams,
        response: { 200: RoomDetailSchema, ...problems(400, 401, 403, 404) },
      },
      config: { access: staff, chatAction: "chat.room.viewed" },
    },
    async (req) => getChatRoom(read(req), req.params.roomId, hub),
  );

  typed.post(
    "/api/office/chat/rooms/:roomId/members",
    {
      schema: {
        operationId: "addChatMembers",
        tags,
        summary: "Add staff to a group (members only)",
        params: RoomParams,
        body: AddMembersBody,
        response: { 200: RoomSchema, ...problems(400, 401, 403, 404, 409) },
      },
      config: { access: staff, chatAction: "chat.members.added" },
    },
    async (req, reply) =>
      runWrite(req, reply, platform, 200, async (ctx) => {
        return (await addChatMembers(ctx, req.params.roomId, req.body.memberIds, hub)).room;
      }),
  );

  typed.post(
    "/api/office/chat/rooms/:roomId/leave",
    {
      schema: {
        operationId: "leaveChatRoom",
        tags,
        summary: "Leave a group (a direct chat cannot be left)",
        params: RoomParams,
        response: { 204: Type.Null(), ...problems(400, 401, 403, 404, 409) },
      },
      config: { access: staff, chatAction: "chat.member.left" },
    },
    async (req, reply) =>
      runWrite(req, reply, platform, 204, async (ctx) => {
        await leaveChatRoom(ctx, req.params.roomId);
        return null;
      }),
  );

  typed.get(
    "/api/office/chat/rooms/:roomId/messages",
    {
      schema: {
        operationId: "listMessages",
        tags,
        summary: "A page of the room's messages, newest first, with read receipts; `before` pages back",
        params: RoomParams,
        querystring: MessagesQuery,
        response: { 200: MessagePage, ...problems(400, 401, 403, 404) },
      },
      config: { access: staff, chatAction: "chat.messages.listed" },
    },
    async (req) =>
      listMessages(read(req), req.params.roomId, { before: req.query.before, limit: req.query.limit ?? 30 }),
  );

  typed.post(
    "/api/office/chat/rooms/:roomId/messages",
    {
      schema: {
        operationId: "sendMessage",
        tags,
        summary:
          "Send a message (stored, audited, delivered live); a retry with the same clientMessageId returns it",
        params: RoomParams,
        body: SendBody,
        response: { 201: MessageSchema, ...problems(400, 401, 403, 404, 409, 429) },
      },
      config: { access: staff, chatAction: "chat.message.sent", rateLimit: perUser(60, 10_000) },
    },
    async (req, reply) => {
      const out: { sent?: Sent } = {};
      return runWrite(
        req,
        reply,
        platform,
        201,
        async (ctx) => {
          out.sent = await sendMessage(ctx, req.params.roomId, req.body);
          if (out.sent.replayed) reply.header("idempotent-replayed", "true");
          return out.sent.message;
        },
        {
          singleStatement: true,
          afterCommit: async () => {
            if (out.sent && !out.sent.replayed)
              hub.publish(out.sent.recipients, { type: "message", message: out.sent.message });
          },
        },
      );
    },
  );

  typed.post(
    "/api/office/chat/rooms/:roomId/read",
    {
      schema: {
        operationId: "markRoomRead",
        tags,
        summary: "I have read the room up to this message (read receipts; the position never moves back)",
        params: RoomParams,
        body: ReadBody,
        response: { 200: ReadSchema, ...problems(400, 401, 403, 404) },
      },
      config: { access: staff, chatAction: "chat.room.read" },
    },
    async (req, reply) => {
      const out: { members: string[]; lastReadId?: string } = { members: [] };
      return runWrite(
        req,
        reply,
        platform,
        200,
        async (ctx) => {
          const result = await markRoomRead(ctx, req.params.roomId, req.body.messageId);
          out.members = result.members;
          out.lastReadId = result.lastReadId;
          return { roomId: result.roomId, lastReadId: result.lastReadId };
        },
        {
          afterCommit: async () => {
            const actor = req.actor!;
            if (out.lastReadId)
              hub.publish(out.members, {
                type: "read",
                roomId: req.params.roomId,
                userId: actor.id,
                name: actor.displayName,
                lastReadId: out.lastReadId,
              });
          },
        },
      );
    },
  );

  typed.post(
    "/api/office/chat/links",
    {
      schema: {
        operationId: "openLinkedRoom",
        tags,
        summary:
          "The room of a document, case or supervision item, created on first use; an existing one opens for its members",
        body: OpenLinkBody,
        response: { 200: RoomSchema, ...problems(400, 401, 403) },
      },
      config: { access: staff, chatAction: "chat.link.opened" },
    },
    async (req, reply) =>
      runWrite(req, reply, platform, 200, async (ctx) => {
        const { memberIds, ...link } = req.body;
        return (await openLinkedRoom(ctx, { ...link, memberIds }, hub, { requireMembership: true })).room;
      }),
  );

  typed.get(
    "/api/office/chat/search",
    {
      schema: {
        operationId: "searchMessages",
        tags,
        summary: "Search the messages of my rooms (Chinese text by bigrams), newest first",
        querystring: SearchQuery,
        response: { 200: SearchPage, ...problems(400, 401, 403) },
      },
      config: { access: staff },
    },
    async (req) =>
      searchMessages(read(req), { q: req.query.q, before: req.query.before, limit: req.query.limit ?? 20 }),
  );

  typed.get(
    "/api/office/chat/attachments/:attachmentId",
    {
      schema: {
        operationId: "getChatAttachment",
        tags,
        summary: "Download an attachment (its uploader and members of a room where it was sent)",
        params: AttachmentParams,
        response: { 200: Type.Unknown({ description: "the file" }), ...problems(400, 401, 403, 404) },
      },
      config: { access: staff, chatAction: "chat.attachment.read" },
    },
    async (req, reply) => {
      const file = await getChatAttachment(read(req), req.params.attachmentId);
      const inline = INLINE_TYPES.has(file.mediaType);
      const ascii = file.name.replace(/[^\x20-\x7e]|["\\]/g, "_");
      return reply
        .type(file.mediaType)
        .header(
          "content-disposition",
          `${inline ? "inline" : "attachment"}; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(file.name)}`,
        )
        .header("content-security-policy", "default-src 'none'; sandbox")
        .header("cache-control", "private, no-store")
        .header("x-content-sha256", file.sha256)
        .send(file.content);
    },
  );

  typed.get(
    "/api/office/chat/directory/departments",
    {
      schema: {
        operationId: "listChatDepartments",
        tags,
        summary: "The organisation tree for choosing people to chat with (通讯录)",
        response: { 200: DirectoryDepartments, ...problems(401, 403) },
      },
      config: { access: staff },
    },
    async (req) => ({ items: await listChatDepartments(read(req)) }),
  );

  typed.get(
    "/api/office/chat/directory/staff",
    {
      schema: {
        operationId: "searchChatStaff",
        tags,
        summary: "Staff of a department, or matching a name, with presence",
        querystring: StaffQuery,
        response: { 200: DirectoryStaff, ...problems(400, 401, 403) },
      },
      config: { access: staff },
    },
    async (req) => ({ items: await searchChatStaff(read(req), req.query, hub) }),
  );

  typed.get(
    SOCKET_PATH,
    {
      schema: {
        operationId: "connectChatSocket",
        tags,
        summary: "The chat's WebSocket (GET with Upgrade: websocket); a plain GET is answered 426",
        description: `Authenticated by the session cookie, \`Authorization: Bearer\`, or — where a client cannot set headers — the subprotocols \`${SOCKET_PROTOCOL}, bearer.<token>\` (the server answers \`${SOCKET_PROTOCOL}\`). Server → client frames (JSON): hello, message, read, presence, typing, room, pong, error. Client → server: {"type":"ping"}, {"type":"typing","roomId":…}. Messages are sent with sendMessage.`,
        response: { ...problems(401, 403, 426) },
      },
      config: { access: staff },
    },
    async (_req, reply) => {
      reply.header("upgrade", "websocket");
      throw new AppError(ChatErrors.CHAT_UPGRADE_REQUIRED);
    },
  );
}

/**
 * An uploaded body. The platform's preValidation walks request bodies looking for NUL characters
 * through Object.entries, which over a 10 MB Buffer takes seconds; a private field keeps the bytes
 * out of that walk (binary content has no text to check).
 */
class UploadedFile {
  readonly #content: Buffer;
  constructor(content: Buffer) {
    this.#content = content;
  }
  get content(): Buffer {
    return this.#content;
  }
}

/**
 * The upload takes the file as the request body (any content type, up to 10 MB). The body is read
 * here rather than by Fastify's body limit so the refusal is a 413 naming the chat's own limit, and
 * audited; a declared Content-Length over the limit is refused before reading anything.
 */
function attachmentUpload(files: FastifyInstance, platform: Platform) {
  files.removeAllContentTypeParsers();
  files.addContentTypeParser("*", (req, payload, done) => {
    let settled = false;
    const finish = (error: Error | null, body?: UploadedFile) => {
      if (settled) return;
      settled = true;
      done(error, body);
    };
    const tooLarge = () =>
      new AppError(ChatErrors.CHAT_ATTACHMENT_TOO_LARGE, {
        message: `An attachment may have at most ${MAX_ATTACHMENT_BYTES} bytes (10 MB)`,
        errors: [{ field: "/body", message: `must not exceed ${MAX_ATTACHMENT_BYTES} bytes` }],
      });
    if (Number(req.headers["content-length"]) > MAX_ATTACHMENT_BYTES) {
      payload.resume();
      finish(tooLarge());
      return;
    }
    const chunks: Buffer[] = [];
    let size = 0;
    payload.on("data", (chunk: Buffer) => {
      if (settled) return;
      size += chunk.length;
      if (size > MAX_ATTACHMENT_BYTES) {
        finish(tooLarge());
        return;
      }
      chunks.push(chunk);
    });
    payload.on("end", () => finish(null, new UploadedFile(Buffer.concat(chunks, size))));
    payload.on("error", (e) => finish(e));
  });
  files.withTypeProvider<TypeBoxTypeProvider>().post(
    "/api/office/chat/attachments",
    {
      schema: {
        operationId: "uploadChatAttachment",
        tags,
        summary:
          "Upload a file to send with a message: the body is the file (at most 10 MB), its type the media type",
        querystring: UploadQuery,
        response: { 201: AttachmentSchema, ...problems(400, 401, 403, 413, 429) },
      },
      config: { access: staff, chatAction: "chat.attachment.uploaded", rateLimit: perUser(30, 60_000) },
    },
    async (req, reply) => {
      const declared = (req.headers["content-type"] ?? "").split(";")[0]!.trim().toLowerCase();
      const mediaType = MEDIA_TYPE.test(declared) ? declared : "application/octet-stream";
      const content = req.body instanceof UploadedFile ? req.body.content : Buffer.alloc(0);
      return runWrite(req, reply, platform, 201, (ctx) =>
        uploadChatAttachment(ctx, { name: req.query.name, mediaType, content }),
      );
    },
  );
}
