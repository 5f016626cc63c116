import {
  ArrowLeftOutlined,
  CloseOutlined,
  ExclamationCircleOutlined,
  FileOutlined,
  LoadingOutlined,
  PaperClipOutlined,
  SendOutlined,
  TeamOutlined,
} from "@ant-design/icons";
import { Alert, App, Avatar, Button, Drawer, Empty, Input, Popconfirm, Popover, Spin, Tag } from "antd";
import { type KeyboardEvent, useCallback, useEffect, useLayoutEffect, useRef, useState } from "react";
import { useMe } from "../../../shared/auth";
import { ProblemAlert } from "../../../shared/components/ProblemAlert";
import { formatDate, formatDateTime } from "../../../shared/format";
import { useT } from "../../../shared/i18n";
import {
  type AttachmentRef,
  type ChatMember,
  type ChatMessage,
  type ChatRoom,
  chatApi,
  MAX_ATTACHMENT_BYTES,
  MAX_TEXT,
  newClientId,
  uploadAttachment,
} from "./chatApi";
import { chatErrorMessage, clockTime, fileSize, initialOf } from "./chatFormat";
import { NewChatModal } from "./NewChatModal";
import { LinkTag, RoomAvatar } from "./RoomList";
import type { ChatEvent } from "./useChatSocket";

/** A message as the page holds it: sent ones, and the user's own while sending or after a failure. */
type Shown = ChatMessage & { state?: "sending" | "failed"; error?: string };
type Detail = ChatRoom & { members: ChatMember[] };

const IMAGE_TYPES = new Set(["image/png", "image/jpeg", "image/gif", "image/webp"]);
const TYPING_SHOWN_MS = 4000;
const TYPING_SENT_EVERY_MS = 3000;

/** One conversation: history paged back on scroll, live messages, receipts, typing, attachments. */
export function Conversation({
  roomId,
  summary,
  subscribe,
  sendTyping,
  onRead,
  onBack,
  onLeft,
  mobile,
}: {
  roomId: string;
  /** The room as the list has it (shown while the details load). */
  summary: ChatRoom | undefined;
  subscribe: (listener: (event: ChatEvent) => void) => () => void;
  sendTyping: (roomId: string) => void;
  onRead: (roomId: string) => void;
  onBack: () => void;
  onLeft: () => void;
  mobile: boolean;
}) {
  const t = useT();
  const me = useMe();
  const { message: toast } = App.useApp();
  const [detail, setDetail] = useState<Detail | null>(null);
  const [messages, setMessages] = useState<Shown[]>([]);
  const [cursor, setCursor] = useState<string | null>(null);
  const [loading, setLoading] = useState(true);
  const [older, setOlder] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [typing, setTyping] = useState<Map<string, { name: string; until: number }>>(new Map());
  const [text, setText] = useState("");
  const [pending, setPending] = useState<AttachmentRef[]>([]);
  const [uploading, setUploading] = useState<string | null>(null);
  const [membersOpen, setMembersOpen] = useState(false);
  const [adding, setAdding] = useState(false);
  const scroller = useRef<HTMLDivElement>(null);
  /** Where to put the scroll position after the next render: the bottom, or kept while older messages load. */
  const anchor = useRef<{ kind: "bottom" } | { kind: "keep"; fromBottom: number } | null>(null);
  const lastTyped = useRef(0);
  const lastMarked = useRef<string | null>(null);
  /** How far each member has read, so a message that arrives after its reader's receipt still shows it. */
  const reads = useRef(new Map<string, { lastReadId: string; name: string }>());
  const fileInput = useRef<HTMLInputElement>(null);

  const loadDetail = useCallback(
    (signal?: AbortSignal) =>
      chatApi.room(roomId, signal).then(
        (d) => {
          for (const m of d.members) if (m.lastReadId) noteRead(reads.current, m.id, m.name, m.lastReadId);
          setMessages((list) => withReads(list, reads.current));
          setDetail(d);
        },
        (e: unknown) => {
          if (!signal?.aborted) setError(e);
        },
      ),
    [roomId],
  );

  useEffect(() => {
    const controller = new AbortController();
    setLoading(true);
    setError(null);
    setMessages([]);
    setDetail(null);
    lastMarked.current = null;
    reads.current = new Map();
    void loadDetail(controller.signal);
    chatApi.messages(roomId, null, controller.signal).then(
      (page) => {
        anchor.current = { kind: "bottom" };
        setMessages([...page.items].reverse());
        setCursor(page.nextCursor);
        setLoading(false);
      },
      (e: unknown) => {
        if (controller.signal.aborted) return;
        setError(e);
        setLoading(false);
      },
    );
    return () => controller.abort();
  }, [roomId, loadDetail]);

  // Live events for this room.
  useEffect(
    () =>
      subscribe((event) => {
        if (event.type === "message" && event.message.roomId === roomId) {
          if (nearBottom(scroller.current) || event.message.sender.id === me.id)
            anchor.current = { kind: "bottom" };
          setMessages((list) => withReads(merge(list, event.message), reads.current));
          setTyping((m) => without(m, event.message.sender.id));
        } else if (event.type === "read" && event.roomId === roomId) {
          noteRead(reads.current, event.userId, event.name, event.lastReadId);
          setDetail((d) =>
            d
              ? {
                  ...d,
                  members: d.members.map((m) =>
                    m.id === event.userId ? { ...m, lastReadId: event.lastReadId } : m,
                  ),
                }
              : d,
          );
          setMessages((list) =>
            list.map((m) =>
              m.sender.id !== event.userId &&
              !m.state &&
              m.id <= event.lastReadId &&
              !m.readers.some((r) => r.id === event.userId)
                ? {
                    ...m,
                    readCount: m.readCount + 1,
                    readers: [...m.readers, { id: event.userId, name: event.name }],
                  }
                : m,
            ),
          );
        } else if (event.type === "presence") {
          setDetail((d) =>
            d
              ? {
                  ...d,
                  members: d.members.map((m) =>
                    m.id === event.userId
                      ? { ...m, online: event.online, lastSeenAt: event.lastSeenAt ?? m.lastSeenAt }
                      : m,
                  ),
                }
              : d,
          );
        } else if (event.type === "typing" && event.roomId === roomId) {
          setTyping((m) =>
            new Map(m).set(event.userId, { name: event.name, until: Date.now() + TYPING_SHOWN_MS }),
          );
        } else if (event.type === "hello") {
          // (Re)connected: whatever arrived while the socket was down is loaded now.
          chatApi.messages(roomId, null).then(
            (page) =>
              setMessages((list) =>
                withReads(
                  page.items.reduce((merged, m) => merge(merged, m), list),
                  reads.current,
                ),
              ),
            () => undefined,
          );
        } else if (event.type === "room" && event.roomId === roomId) {
          if (event.change === "left") onLeft();
          else void loadDetail();
        }
      }),
    [subscribe, roomId, me.id, loadDetail, onLeft],
  );

  // Typing notices fade.
  useEffect(() => {
    if (typing.size === 0) return;
    const timer = window.setInterval(() => {
      setTyping((m) => {
        const now = Date.now();
        const next = new Map([...m].filter(([, v]) => v.until > now));
        return next.size === m.size ? m : next;
      });
    }, 1000);
    return () => window.clearInterval(timer);
  }, [typing.size]);

  // Scroll where the last change asked for.
  useLayoutEffect(() => {
    const el = scroller.current;
    const wanted = anchor.current;
    if (!el || !wanted) return;
    anchor.current = null;
    el.scrollTop = wanted.kind === "bottom" ? el.scrollHeight : el.scrollHeight - wanted.fromBottom;
  });

  // What is on screen has been read: when someone else's message is newer than the read position,
  // the position moves to the newest message (a reply of one's own does not leave theirs unread).
  useEffect(() => {
    const stored = messages.filter((m) => !m.state);
    const newest = stored.at(-1);
    const theirs = stored.findLast((m) => m.sender.id !== me.id);
    if (!newest || !theirs || document.visibilityState !== "visible") return;
    const position = [
      lastMarked.current,
      detail?.members.find((m) => m.id === me.id)?.lastReadId,
      summary?.lastReadId,
    ]
      .filter((id): id is string => typeof id === "string")
      .reduce<string | null>((a, b) => (a === null || b > a ? b : a), null);
    if (position !== null && position >= theirs.id) return;
    lastMarked.current = newest.id;
    chatApi.markRead(roomId, newest.id).then(
      () => onRead(roomId),
      () => {
        lastMarked.current = position;
      },
    );
  }, [messages, detail, summary?.lastReadId, me.id, roomId, onRead]);

  // An image that loads near the bottom keeps the newest message in view.
  const followImages = useCallback(() => {
    const el = scroller.current;
    if (el && el.scrollHeight - el.scrollTop - el.clientHeight < 400) el.scrollTop = el.scrollHeight;
  }, []);

  const loadOlder = async () => {
    if (!cursor || older) return;
    setOlder(true);
    try {
      const page = await chatApi.messages(roomId, cursor);
      const el = scroller.current;
      anchor.current = { kind: "keep", fromBottom: el ? el.scrollHeight - el.scrollTop : 0 };
      setMessages((list) => [
        ...[...page.items].reverse().filter((m) => !list.some((x) => x.id === m.id)),
        ...list,
      ]);
      setCursor(page.nextCursor);
    } catch (e) {
      toast.error(chatErrorMessage(e, t));
    } finally {
      setOlder(false);
    }
  };

  const send = async (retry?: Shown) => {
    const body = retry
      ? {
          text: retry.text,
          attachmentIds: retry.attachments.map((a) => a.id),
          clientMessageId: retry.clientMessageId,
        }
      : { text: text.trim(), attachmentIds: pending.map((a) => a.id), clientMessageId: newClientId() };
    if (!body.text && body.attachmentIds.length === 0) return;
    if (!retry) {
      setText("");
      setPending([]);
      anchor.current = { kind: "bottom" };
      setMessages((list) => [
        ...list,
        {
          id: `local-${body.clientMessageId}`,
          roomId,
          clientMessageId: body.clientMessageId,
          sender: { id: me.id, name: me.displayName },
          text: body.text,
          attachments: pending,
          createdAt: new Date().toISOString(),
          readCount: 0,
          readers: [],
          state: "sending",
        },
      ]);
    } else {
      setMessages((list) =>
        list.map((m) => (m.clientMessageId === retry.clientMessageId ? { ...m, state: "sending" } : m)),
      );
    }
    try {
      const sent = await chatApi.send(roomId, body);
      setMessages((list) => withReads(merge(list, sent), reads.current));
    } catch (e) {
      setMessages((list) =>
        list.map((m) =>
          m.clientMessageId === body.clientMessageId && m.state
            ? { ...m, state: "failed", error: chatErrorMessage(e, t) }
            : m,
        ),
      );
    }
  };

  const onKeyDown = (e: KeyboardEvent<HTMLTextAreaElement>) => {
    if (e.key === "Enter" && !e.shiftKey && !e.nativeEvent.isComposing && !mobile) {
      e.preventDefault();
      void send();
    }
  };

  const onType = (value: string) => {
    setText(value);
    const now = Date.now();
    if (value && now - lastTyped.current > TYPING_SENT_EVERY_MS) {
      lastTyped.current = now;
      sendTyping(roomId);
    }
  };

  const attach = async (files: FileList | null) => {
    for (const file of Array.from(files ?? [])) {
      if (file.size > MAX_ATTACHMENT_BYTES) {
        toast.error(t("chat.attachTooLarge", { name: file.name }));
        continue;
      }
      setUploading(file.name);
      try {
        const uploaded = await uploadAttachment(file);
        setPending((list) => [...list, uploaded]);
      } catch (e) {
        toast.error(chatErrorMessage(e, t));
      } finally {
        setUploading(null);
      }
    }
    if (fileInput.current) fileInput.current.value = "";
  };

  const room = detail ?? summary;
  const members = detail?.members ?? [];
  const others = members.filter((m) => m.id !== me.id);
  const status =
    room?.kind === "direct"
      ? (() => {
          const peer = others[0];
          if (!peer) return "";
          if (peer.online) return t("chat.online");
          return peer.lastSeenAt
            ? t("chat.lastSeen", { time: formatDateTime(peer.lastSeenAt).slice(5, 16) })
            : t("chat.offline");
        })()
      : room
        ? t("chat.memberCount", { count: members.length || room.memberCount })
        : "";
  const typingNames = [...typing.values()].map((v) => v.name);

  return (
    <section className="ff-chat-conversation" data-testid="chat-conversation">
      <header className="ff-chat-conversation-head">
        {mobile && (
          <Button
            type="text"
            icon={<ArrowLeftOutlined />}
            onClick={onBack}
            aria-label={t("chat.back")}
            data-testid="chat-back"
          />
        )}
        {room && (
          <RoomAvatar
            room={{ ...room, peer: room.peer ? { ...room.peer, online: others[0]?.online ?? false } : null }}
          />
        )}
        <div className="ff-chat-conversation-title">
          <strong data-testid="chat-title">{room?.name ?? ""}</strong>
          <span className="ff-muted ff-small" data-testid="chat-status">
            {room?.link && <LinkTag link={room.link} t={t} />}
            {room?.link ? `${room.link.title} · ` : ""}
            {status}
          </span>
        </div>
        <Button
          type="text"
          icon={<TeamOutlined />}
          onClick={() => setMembersOpen(true)}
          aria-label={t("chat.members")}
          data-testid="chat-members-toggle"
        >
          {!mobile && t("chat.members")}
        </Button>
      </header>
      <ProblemAlert error={error} style={{ margin: 8 }} />
      <div
        className="ff-chat-messages"
        ref={scroller}
        onScroll={(e) => {
          if (e.currentTarget.scrollTop < 80) void loadOlder();
        }}
        data-testid="chat-messages"
      >
        {loading ? (
          <Spin className="ff-chat-center" />
        ) : (
          <>
            <div className="ff-chat-history-edge ff-muted ff-small" data-testid="chat-history-edge">
              {older ? (
                t("chat.loadingOlder")
              ) : cursor ? (
                <button type="button" className="ff-link-button" onClick={() => void loadOlder()}>
                  {t("chat.loadOlder")}
                </button>
              ) : messages.length > 0 ? (
                t("chat.noOlder")
              ) : (
                ""
              )}
            </div>
            {messages.length === 0 && (
              <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t("chat.noMessages")} />
            )}
            {messages.map((m, i) => (
              <MessageRow
                key={m.id}
                message={m}
                mine={m.sender.id === me.id}
                showSender={room?.kind === "group" && m.sender.id !== me.id}
                day={
                  i === 0 || formatDate(messages[i - 1]!.createdAt) !== formatDate(m.createdAt)
                    ? formatDate(m.createdAt)
                    : null
                }
                direct={room?.kind === "direct"}
                memberCount={members.length || room?.memberCount || 0}
                onResend={() => void send(m)}
                onMedia={followImages}
              />
            ))}
          </>
        )}
      </div>
      <div className="ff-chat-typing ff-muted ff-small" data-testid="chat-typing" aria-live="polite">
        {typingNames.length > 0 ? t("chat.typing", { name: typingNames.join("、") }) : ""}
      </div>
      <footer className="ff-chat-composer">
        {(pending.length > 0 || uploading) && (
          <div className="ff-chat-pending">
            {pending.map((a, i) => (
              <Tag
                key={a.id}
                closable
                closeIcon={<CloseOutlined aria-label={t("chat.removeAttachment")} />}
                onClose={() => setPending((list) => list.filter((x) => x.id !== a.id))}
                data-testid={`chat-pending-${i}`}
              >
                <PaperClipOutlined /> {a.name} ({fileSize(a.size)})
              </Tag>
            ))}
            {uploading && <Tag icon={<LoadingOutlined />}>{t("chat.uploading", { name: uploading })}</Tag>}
          </div>
        )}
        <div className="ff-chat-composer-row">
          <input
            ref={fileInput}
            type="file"
            multiple
            hidden
            onChange={(e) => void attach(e.target.files)}
            data-testid="chat-file"
          />
          <Button
            type="text"
            icon={<PaperClipOutlined />}
            onClick={() => fileInput.current?.click()}
            aria-label={t("chat.attach")}
            title={t("chat.attach")}
            data-testid="chat-attach"
          />
          <Input.TextArea
            value={text}
            onChange={(e) => onType(e.target.value)}
            onKeyDown={onKeyDown}
            autoSize={{ minRows: 1, maxRows: mobile ? 4 : 6 }}
            maxLength={MAX_TEXT}
            placeholder={t(mobile ? "chat.inputPlaceholderShort" : "chat.inputPlaceholder")}
            data-testid="chat-input"
          />
          <Button
            type="primary"
            icon={<SendOutlined />}
            onClick={() => void send()}
            disabled={!text.trim() && pending.length === 0}
            aria-label={t("chat.send")}
            data-testid="chat-send"
          >
            {!mobile && t("chat.send")}
          </Button>
        </div>
      </footer>
      <Drawer
        open={membersOpen}
        onClose={() => setMembersOpen(false)}
        title={`${t("chat.members")} · ${t("chat.memberCount", { count: members.length })}`}
        size={mobile ? "100%" : 360}
        data-testid="chat-members"
        extra={
          room?.kind === "group" ? (
            <Button onClick={() => setAdding(true)} data-testid="chat-add-members">
              {t("chat.addMembers")}
            </Button>
          ) : null
        }
      >
        {members.map((m) => (
          <div key={m.id} className="ff-chat-member" data-testid={`chat-member-${m.id}`}>
            <Avatar size={36} className="ff-chat-avatar">
              {initialOf(m.name)}
            </Avatar>
            <span className="ff-chat-member-text">
              <strong>
                {m.name}
                {m.id === me.id ? `（${t("chat.you")}）` : ""}
              </strong>
              <span className="ff-muted ff-small">
                {[m.departmentName, m.position].filter(Boolean).join(" · ")}
              </span>
            </span>
            <span className="ff-small ff-nowrap">
              {/* One's own presence: this page is open. */}
              <span
                className={m.online || m.id === me.id ? "ff-chat-dot ff-chat-dot-online" : "ff-chat-dot"}
              />{" "}
              {m.online || m.id === me.id
                ? t("chat.online")
                : m.lastSeenAt
                  ? t("chat.lastSeen", { time: formatDateTime(m.lastSeenAt).slice(5, 16) })
                  : t("chat.offline")}
            </span>
          </div>
        ))}
        {room?.kind === "group" && (
          <Popconfirm
            title={t("chat.leaveConfirm")}
            okText={t("common.ok")}
            cancelText={t("common.cancel")}
            onConfirm={async () => {
              try {
                await chatApi.leave(roomId);
                setMembersOpen(false);
                onLeft();
              } catch (e) {
                toast.error(chatErrorMessage(e, t));
              }
            }}
          >
            <Button danger block className="ff-chat-leave" data-testid="chat-leave">
              {t("chat.leave")}
            </Button>
          </Popconfirm>
        )}
      </Drawer>
      <NewChatModal
        open={adding}
        mode="add"
        roomId={roomId}
        existingIds={members.map((m) => m.id)}
        onClose={() => setAdding(false)}
        onDone={() => {
          setAdding(false);
          void loadDetail();
        }}
      />
    </section>
  );
}

/** Whether the reader is at (or close to) the newest message, so a new one should scroll into view. */
function nearBottom(el: HTMLElement | null): boolean {
  return !el || el.scrollHeight - el.scrollTop - el.clientHeight < 120;
}

/** Adds a message from the server in id (time) order, replacing its optimistic copy if there is one. */
function merge(list: Shown[], message: ChatMessage): Shown[] {
  if (list.some((m) => m.id === message.id))
    return list.map((m) => (m.id === message.id ? { ...m, ...message } : m));
  const local = list.findIndex((m) => m.state && m.clientMessageId === message.clientMessageId);
  if (local >= 0) return list.map((m, i) => (i === local ? message : m));
  const stored = list.filter((m) => !m.state);
  const at = stored.findIndex((m) => m.id > message.id);
  const ordered = at < 0 ? [...stored, message] : [...stored.slice(0, at), message, ...stored.slice(at)];
  return [...ordered, ...list.filter((m) => m.state)];
}

function noteRead(
  reads: Map<string, { lastReadId: string; name: string }>,
  userId: string,
  name: string,
  lastReadId: string,
): void {
  const known = reads.get(userId);
  if (!known || known.lastReadId < lastReadId) reads.set(userId, { lastReadId, name });
}

/** Adds to each stored message the readers known to have read past it (ids are time-ordered). */
function withReads(list: Shown[], reads: Map<string, { lastReadId: string; name: string }>): Shown[] {
  if (reads.size === 0) return list;
  let changed = false;
  const next = list.map((m) => {
    if (m.state) return m;
    const missing = [...reads].filter(
      ([userId, r]) =>
        userId !== m.sender.id && r.lastReadId >= m.id && !m.readers.some((x) => x.id === userId),
    );
    if (missing.length === 0) return m;
    changed = true;
    return {
      ...m,
      readCount: m.readCount + missing.length,
      readers: [...m.readers, ...missing.map(([id, r]) => ({ id, name: r.name }))],
    };
  });
  return changed ? next : list;
}

function without<V>(map: Map<string, V>, key: string): Map<string, V> {
  if (!map.has(key)) return map;
  const next = new Map(map);
  next.delete(key);
  return next;
}

function MessageRow({
  message,
  mine,
  showSender,
  day,
  direct,
  memberCount,
  onResend,
  onMedia,
}: {
  message: Shown;
  mine: boolean;
  showSender: boolean;
  day: string | null;
  direct: boolean;
  memberCount: number;
  onResend: () => void;
  /** An image finished loading (it changes the height of the history). */
  onMedia: () => void;
}) {
  const t = useT();
  return (
    <>
      {day && <div className="ff-chat-day ff-muted ff-small">{day}</div>}
      <div
        className={mine ? "ff-chat-row ff-chat-row-mine" : "ff-chat-row"}
        data-testid={`chat-message-${message.id}`}
      >
        {!mine && (
          <Avatar size={32} className="ff-chat-avatar">
            {initialOf(message.sender.name)}
          </Avatar>
        )}
        <div className="ff-chat-bubble-wrap">
          {showSender && <div className="ff-chat-sender ff-muted ff-small">{message.sender.name}</div>}
          <div className={mine ? "ff-chat-bubble ff-chat-bubble-mine" : "ff-chat-bubble"}>
            {message.text && <div className="ff-chat-text">{message.text}</div>}
            {message.attachments.map((a) => (
              <Attachment key={a.id} attachment={a} onLoad={onMedia} />
            ))}
          </div>
          <div className="ff-chat-meta ff-small">
            <span className="ff-muted">{clockTime(message.createdAt)}</span>
            {mine && (
              <Receipt
                message={message}
                direct={direct}
                memberCount={memberCount}
                onResend={onResend}
                t={t}
              />
            )}
          </div>
        </div>
      </div>
    </>
  );
}

function Receipt({
  message,
  direct,
  memberCount,
  onResend,
  t,
}: {
  message: Shown;
  direct: boolean;
  memberCount: number;
  onResend: () => void;
  t: ReturnType<typeof useT>;
}) {
  const id = `chat-receipt-${message.id}`;
  if (message.state === "sending")
    return (
      <span className="ff-muted" data-testid={id}>
        <LoadingOutlined /> {t("chat.sending")}
      </span>
    );
  if (message.state === "failed")
    return (
      <span className="ff-chat-failed" data-testid={id}>
        <ExclamationCircleOutlined /> {message.error ?? t("chat.sendFailed")}{" "}
        <button type="button" className="ff-link-button" onClick={onResend}>
          {t("chat.resend")}
        </button>
      </span>
    );
  if (direct)
    return (
      <span className={message.readCount > 0 ? "ff-chat-read" : "ff-chat-unread"} data-testid={id}>
        {t(message.readCount > 0 ? "chat.read" : "chat.unread")}
      </span>
    );
  const label =
    message.readCount === 0
      ? t("chat.unread")
      : message.readCount >= memberCount - 1
        ? t("chat.allRead")
        : t("chat.readCount", { count: message.readCount });
  return (
    <Popover
      content={
        message.readers.length > 0
          ? t("chat.readBy", { names: message.readers.map((r) => r.name).join("、") })
          : t("chat.nobodyRead")
      }
    >
      <span className={message.readCount > 0 ? "ff-chat-read" : "ff-chat-unread"} data-testid={id}>
        {label}
      </span>
    </Popover>
  );
}

function Attachment({ attachment, onLoad }: { attachment: AttachmentRef; onLoad: () => void }) {
  const url = chatApi.attachmentUrl(attachment.id);
  const [broken, setBroken] = useState(false);
  if (IMAGE_TYPES.has(attachment.mediaType) && !broken)
    return (
      <a href={url} target="_blank" rel="noreferrer" className="ff-chat-image">
        <img src={url} alt={attachment.name} loading="lazy" onLoad={onLoad} onError={() => setBroken(true)} />
      </a>
    );
  return (
    <a href={url} download={attachment.name} className="ff-chat-file">
      <FileOutlined />
      <span className="ff-chat-file-name">{attachment.name}</span>
      <span className="ff-muted ff-small">{fileSize(attachment.size)}</span>
    </a>
  );
}

export function ConnectionNotice({ status }: { status: "connecting" | "open" | "closed" }) {
  const t = useT();
  if (status === "open") return null;
  return (
    <Alert
      type={status === "closed" ? "warning" : "info"}
      showIcon
      banner
      title={t(status === "closed" ? "chat.connection.closed" : "chat.connection.connecting")}
      data-testid="chat-connection"
    />
  );
}
