import { ArrowLeftOutlined, PaperClipOutlined, PlusOutlined, TeamOutlined } from "@ant-design/icons";
import { Avatar, Badge, Button, Empty, Input, Spin, Tag } from "antd";
import { useState } from "react";
import { ProblemAlert } from "../../../shared/components/ProblemAlert";
import { useRequest } from "../../../shared/hooks/useRequest";
import { type Translate, useT } from "../../../shared/i18n";
import { type ChatRoom, chatApi, type SearchHit } from "./chatApi";
import { initialOf, shortTime } from "./chatFormat";

export function RoomAvatar({ room }: { room: ChatRoom }) {
  if (room.kind === "group")
    return <Avatar size={40} icon={<TeamOutlined />} className="ff-chat-avatar ff-chat-avatar-group" />;
  return (
    <Badge dot={room.peer?.online ?? false} color="#22a06b" offset={[-4, 34]}>
      <Avatar size={40} className="ff-chat-avatar">
        {initialOf(room.name)}
      </Avatar>
    </Badge>
  );
}

export function LinkTag({ link, t }: { link: ChatRoom["link"]; t: Translate }) {
  if (!link) return null;
  return (
    <Tag color="blue" className="ff-chat-link-tag">
      {t(`chat.link.${link.type}`)}
    </Tag>
  );
}

function preview(room: ChatRoom, meId: string, t: Translate): string {
  const last = room.lastMessage;
  if (!last) return "";
  const text =
    last.text || (last.attachmentCount ? t("chat.attachmentCount", { count: last.attachmentCount }) : "");
  const who = last.sender.id === meId ? t("chat.you") : room.kind === "group" ? last.sender.name : "";
  return who ? `${who}：${text}` : text;
}

/** The conversations, the most recently active first, with unread badges; and message search. */
export function RoomList({
  rooms,
  loading,
  error,
  onRetry,
  activeId,
  meId,
  onOpen,
  onNew,
}: {
  rooms: ChatRoom[];
  loading: boolean;
  error: unknown;
  onRetry: () => void;
  activeId: string | null;
  meId: string;
  onOpen: (roomId: string) => void;
  onNew: () => void;
}) {
  const t = useT();
  const [draft, setDraft] = useState("");
  const [q, setQ] = useState("");
  return (
    <div className="ff-chat-list" data-testid="chat-room-list">
      <div className="ff-chat-list-head">
        <Input.Search
          allowClear
          value={draft}
          onChange={(e) => {
            setDraft(e.target.value);
            if (!e.target.value) setQ("");
          }}
          onSearch={(value) => setQ(value.trim())}
          placeholder={t("chat.searchPlaceholder")}
          maxLength={100}
          data-testid="chat-search"
        />
        <Button
          type="primary"
          icon={<PlusOutlined />}
          onClick={onNew}
          data-testid="chat-new"
          aria-label={t("chat.new")}
        />
      </div>
      {q ? (
        <SearchResults
          q={q}
          onOpen={onOpen}
          onBack={() => {
            setQ("");
            setDraft("");
          }}
        />
      ) : (
        <Spin spinning={loading && rooms.length === 0}>
          <ProblemAlert error={error} onRetry={onRetry} style={{ margin: 8 }} />
          <div className="ff-chat-list-items">
            {rooms.length === 0 && !loading && !error && (
              <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t("chat.empty")} />
            )}
            {rooms.map((room) => (
              <button
                type="button"
                key={room.id}
                className={room.id === activeId ? "ff-chat-room ff-chat-room-active" : "ff-chat-room"}
                onClick={() => onOpen(room.id)}
                data-testid={`chat-room-${room.id}`}
              >
                <RoomAvatar room={room} />
                <span className="ff-chat-room-text">
                  <span className="ff-chat-room-line">
                    <strong className="ff-chat-room-name">{room.name}</strong>
                    <span className="ff-muted ff-small ff-nowrap">
                      {shortTime(room.lastMessage?.createdAt ?? room.createdAt)}
                    </span>
                  </span>
                  <span className="ff-chat-room-line">
                    <span className="ff-chat-room-preview ff-muted ff-small">
                      <LinkTag link={room.link} t={t} />
                      {preview(room, meId, t)}
                    </span>
                    {room.unreadCount > 0 && (
                      <Badge
                        count={room.unreadCount}
                        overflowCount={99}
                        data-testid={`chat-room-unread-${room.id}`}
                      />
                    )}
                  </span>
                </span>
              </button>
            ))}
          </div>
        </Spin>
      )}
    </div>
  );
}

function SearchResults({
  q,
  onOpen,
  onBack,
}: {
  q: string;
  onOpen: (roomId: string) => void;
  onBack: () => void;
}) {
  const t = useT();
  const [pages, setPages] = useState<{ q: string; items: SearchHit[]; cursor: string | null } | null>(null);
  const first = useRequest((signal) => chatApi.search(q, null, signal), [q]);
  const shown =
    pages?.q === q
      ? pages
      : first.data
        ? { q, items: first.data.items, cursor: first.data.nextCursor }
        : null;
  const more = async () => {
    if (!shown?.cursor) return;
    const next = await chatApi.search(q, shown.cursor);
    setPages({ q, items: [...shown.items, ...next.items], cursor: next.nextCursor });
  };
  return (
    <div className="ff-chat-list-items" data-testid="chat-search-results">
      <button type="button" className="ff-link-button ff-chat-search-back" onClick={onBack}>
        <ArrowLeftOutlined /> {t("chat.searchBack")}
      </button>
      <ProblemAlert error={first.error} onRetry={first.reload} style={{ margin: 8 }} />
      <Spin spinning={first.loading}>
        {shown && shown.items.length === 0 && (
          <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t("chat.searchEmpty")} />
        )}
        {shown?.items.map((hit) => (
          <button
            type="button"
            key={hit.id}
            className="ff-chat-room"
            onClick={() => onOpen(hit.roomId)}
            data-testid={`chat-search-hit-${hit.id}`}
          >
            <span className="ff-chat-room-text">
              <span className="ff-chat-room-line">
                <strong className="ff-chat-room-name">{hit.roomName}</strong>
                <span className="ff-muted ff-small ff-nowrap">{shortTime(hit.createdAt)}</span>
              </span>
              <span className="ff-chat-search-text ff-small">
                <span className="ff-muted">{hit.sender.name}：</span>
                <Highlighted text={hit.text} q={q} />
                {hit.attachments.length > 0 && <PaperClipOutlined className="ff-muted" />}
              </span>
            </span>
          </button>
        ))}
        {shown?.cursor && (
          <Button type="link" block onClick={() => void more()}>
            {t("chat.searchMore")}
          </Button>
        )}
      </Spin>
    </div>
  );
}

/** The text with each word of the query marked (case-insensitive). */
function Highlighted({ text, q }: { text: string; q: string }) {
  const words = q
    .split(/\s+/)
    .filter(Boolean)
    .map((w) => w.replace(/[.*+?^${}()|[\]\\]/g, "\\$&"));
  if (words.length === 0) return <>{text}</>;
  const parts = text.split(new RegExp(`(${words.join("|")})`, "gi"));
  return (
    <>
      {parts.map((part, i) =>
        i % 2 === 1 ? (
          // biome-ignore lint/suspicious/noArrayIndexKey: the parts of one text never move
          <mark key={i} className="ff-mark">
            {part}
          </mark>
        ) : (
          part
        ),
      )}
    </>
  );
}
