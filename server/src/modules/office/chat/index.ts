import type { FastifyInstance } from "fastify";
import type { Ctx } from "../../../kernel/http/context";
import type { Platform } from "../../../kernel/platform";
import { registerChatHttpRoutes } from "./chat.routes";
import { type ChatRoomView, type LinkType, openLinkedRoom as openLinked } from "./chat.service";
import { inProcessFanout, natsFanout } from "./fanout";
import { ChatHub } from "./hub";
import { acceptChatSockets } from "./socket";

export { allowLinkAccess, type ChatRoomView, type LinkAccessCheck, type LinkType } from "./chat.service";
export { ChatHub } from "./hub";
export { SOCKET_PATH, SOCKET_PROTOCOL } from "./socket";

/**
 * 即时通讯 — staff chat: the HTTP API under /api/office/chat, the WebSocket at /api/office/chat/ws,
 * and live `room` notices driven by the chat's domain events. With NATS_URL set, live frames reach
 * sockets on every server process.
 */
export async function registerChatRoutes(app: FastifyInstance, platform: Platform): Promise<ChatHub> {
  const fanout = platform.config.natsUrl
    ? await natsFanout(platform.config.natsUrl, platform.log)
    : inProcessFanout();
  const hub = new ChatHub({
    db: platform.db,
    clock: platform.clock,
    log: platform.log,
    fanout,
  });
  await registerChatHttpRoutes(app, platform, hub);
  acceptChatSockets(app, platform, hub);
  subscribeRoomNotices(platform, hub);
  app.addHook("preClose", async () => hub.close());
  return hub;
}

/**
 * Membership changes reach the people concerned as `room` frames from the outbox (so a room opened
 * inside another part's transaction, e.g. from a document, is announced only once that commits).
 */
function subscribeRoomNotices(platform: Platform, hub: ChatHub): void {
  platform.events.subscribe("office.chat.notice.room-created", "office.chat.room.created", async (event) => {
    const { roomId, memberIds } = event.payload as { roomId: string; memberIds: string[] };
    hub.publish(memberIds, { type: "room", roomId, change: "added" });
  });
  platform.events.subscribe(
    "office.chat.notice.members-added",
    "office.chat.members.added",
    async (event) => {
      const { roomId, userIds, members } = event.payload as {
        roomId: string;
        userIds: string[];
        members: string[];
      };
      hub.publish(userIds, { type: "room", roomId, change: "added" });
      hub.publish(
        members.filter((id) => !userIds.includes(id)),
        { type: "room", roomId, change: "members" },
      );
    },
  );
  platform.events.subscribe("office.chat.notice.member-left", "office.chat.member.left", async (event) => {
    const { roomId, userId, members } = event.payload as {
      roomId: string;
      userId: string;
      members: string[];
    };
    hub.publish([userId], { type: "room", roomId, change: "left" });
    hub.publish(members, { type: "room", roomId, change: "members" });
  });
}

/**
 * The chat room of a document, case or supervision item, created on first use (one per item), with
 * the acting user and `memberIds` in it — for office parts that have checked the actor may see the
 * item. Runs in the caller's transaction; the members hear of it when that commits.
 */
export async function openLinkedRoom(
  ctx: Ctx,
  input: { type: LinkType; id: string; title: string; memberIds?: string[] },
): Promise<ChatRoomView> {
  return (await openLinked(ctx, input, { isOnline: () => false })).room;
}
