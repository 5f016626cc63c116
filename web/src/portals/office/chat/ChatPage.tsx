import { MessageOutlined } from "@ant-design/icons";
import { useCallback, useEffect, useRef, useState } from "react";
import { useNavigate, useParams } from "react-router";
import { useMe } from "../../../shared/auth";
import { useIsMobile } from "../../../shared/hooks/useMediaQuery";
import { useRequest } from "../../../shared/hooks/useRequest";
import { useT } from "../../../shared/i18n";
import { ConnectionNotice, Conversation } from "./Conversation";
import { type ChatRoom, chatApi } from "./chatApi";
import { NewChatModal } from "./NewChatModal";
import { RoomList } from "./RoomList";
import { type ChatEvent, useChatSocket } from "./useChatSocket";
import "./chat.css";

/**
 * 即时通讯 (/office/chat, /office/chat/:roomId): the conversations beside the open one on a computer,
 * one of the two at a time on a phone. Everything live arrives over one WebSocket.
 */
export function ChatPage() {
  const t = useT();
  const me = useMe();
  const mobile = useIsMobile();
  const navigate = useNavigate();
  const { roomId = null } = useParams();
  const [creating, setCreating] = useState(false);
  const list = useRequest((signal) => chatApi.rooms(signal), []);
  const rooms = list.data?.items ?? [];
  const listeners = useRef(new Set<(event: ChatEvent) => void>());
  const active = useRef(roomId);
  active.current = roomId;
  const known = useRef(rooms);
  known.current = rooms;
  const { reload, setData } = list;

  const updateRooms = useCallback(
    (change: (rooms: ChatRoom[]) => ChatRoom[]) => setData((d) => (d ? { items: change(d.items) } : d)),
    [setData],
  );

  const onEvent = useCallback(
    (event: ChatEvent) => {
      for (const listener of listeners.current) listener(event);
      if (event.type === "message") {
        const m = event.message;
        // A message in a room this page does not know yet: someone started a conversation.
        if (!known.current.some((r) => r.id === m.roomId)) {
          reload();
          return;
        }
        updateRooms((items) => {
          const room = items.find((r) => r.id === m.roomId);
          if (!room) return items;
          const reading = active.current === m.roomId && document.visibilityState === "visible";
          const updated: ChatRoom = {
            ...room,
            lastMessage: {
              id: m.id,
              sender: m.sender,
              text: m.text,
              attachmentCount: m.attachments.length,
              createdAt: m.createdAt,
            },
            unreadCount: m.sender.id === me.id || reading ? room.unreadCount : room.unreadCount + 1,
          };
          return [updated, ...items.filter((r) => r.id !== m.roomId)];
        });
      } else if (event.type === "room") {
        reload();
        if (event.change === "left" && active.current === event.roomId)
          navigate("/office/chat", { replace: true });
      } else if (event.type === "presence") {
        updateRooms((items) =>
          items.map((r) =>
            r.peer?.id === event.userId ? { ...r, peer: { ...r.peer, online: event.online } } : r,
          ),
        );
      } else if (event.type === "read" && event.userId === me.id) {
        updateRooms((items) => items.map((r) => (r.id === event.roomId ? { ...r, unreadCount: 0 } : r)));
      }
    },
    [me.id, navigate, reload, updateRooms],
  );
  // After a reconnect, whatever happened meanwhile is loaded again.
  const { status, sendTyping } = useChatSocket(onEvent, reload);

  const subscribe = useCallback((listener: (event: ChatEvent) => void) => {
    listeners.current.add(listener);
    return () => {
      listeners.current.delete(listener);
    };
  }, []);
  const onRead = useCallback(
    (id: string) => updateRooms((items) => items.map((r) => (r.id === id ? { ...r, unreadCount: 0 } : r))),
    [updateRooms],
  );
  const open = (id: string) => navigate(`/office/chat/${id}`);
  const onLeft = useCallback(() => {
    reload();
    navigate("/office/chat", { replace: true });
  }, [navigate, reload]);

  // The page's title counts what is unread.
  const unread = rooms.reduce((n, r) => n + r.unreadCount, 0);
  useEffect(() => {
    const before = document.title;
    document.title = unread > 0 ? `(${unread}) ${t("nav.office.chat")}` : t("nav.office.chat");
    return () => {
      document.title = before;
    };
  }, [unread, t]);

  const showList = !mobile || !roomId;
  const showConversation = !mobile || roomId;
  return (
    <div className={mobile ? "ff-chat ff-chat-phone" : "ff-chat"} data-testid="office-chat">
      <ConnectionNotice status={status} />
      <div className="ff-chat-panes">
        {showList && (
          <RoomList
            rooms={rooms}
            loading={list.loading}
            error={list.error}
            onRetry={reload}
            activeId={roomId}
            meId={me.id}
            onOpen={open}
            onNew={() => setCreating(true)}
          />
        )}
        {showConversation &&
          (roomId ? (
            <Conversation
              key={roomId}
              roomId={roomId}
              summary={rooms.find((r) => r.id === roomId)}
              subscribe={subscribe}
              sendTyping={sendTyping}
              onRead={onRead}
              onBack={() => navigate("/office/chat")}
              onLeft={onLeft}
              mobile={mobile}
            />
          ) : (
            <div className="ff-chat-placeholder ff-muted">
              <MessageOutlined className="ff-chat-placeholder-icon" />
              <span>{t("chat.pick")}</span>
            </div>
          ))}
      </div>
      <NewChatModal
        open={creating}
        mode="new"
        onClose={() => setCreating(false)}
        onDone={(room) => {
          setCreating(false);
          reload();
          open(room.id);
        }}
      />
    </div>
  );
}
