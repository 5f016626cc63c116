/** The chat API (/api/office/chat) as the chat page uses it. */
import { api, request } from "../../../shared/api";

export interface Person {
  id: string;
  name: string;
}

export interface ChatRoom {
  id: string;
  kind: "direct" | "group";
  name: string;
  peer: (Person & { online: boolean }) | null;
  link: { type: "document" | "case" | "supervision"; id: string; title: string } | null;
  memberCount: number;
  unreadCount: number;
  lastReadId: string | null;
  lastMessage: {
    id: string;
    sender: Person;
    text: string;
    attachmentCount: number;
    createdAt: string;
  } | null;
  createdAt: string;
}

export interface ChatMember extends Person {
  position: string | null;
  departmentName: string | null;
  online: boolean;
  lastSeenAt: string | null;
  lastReadId: string | null;
  joinedAt: string;
}

export interface AttachmentRef {
  id: string;
  name: string;
  mediaType: string;
  size: number;
}

export interface ChatMessage {
  id: string;
  roomId: string;
  clientMessageId: string;
  sender: Person;
  text: string;
  attachments: AttachmentRef[];
  createdAt: string;
  readCount: number;
  readers: Person[];
}

export interface SearchHit extends ChatMessage {
  roomName: string;
  roomKind: "direct" | "group";
}

export interface DirectoryDepartment {
  id: string;
  name: string;
  kind: string;
  parentId: string | null;
  staffCount: number;
}

export interface DirectoryStaff extends Person {
  position: string | null;
  departmentId: string | null;
  departmentName: string | null;
  online: boolean;
  lastSeenAt: string | null;
}

const BASE = "/api/office/chat";

export const chatApi = {
  rooms: (signal?: AbortSignal) => api.get<{ items: ChatRoom[] }>(`${BASE}/rooms`, undefined, signal),
  room: (roomId: string, signal?: AbortSignal) =>
    api.get<ChatRoom & { members: ChatMember[] }>(`${BASE}/rooms/${roomId}`, undefined, signal),
  createRoom: (body: { kind: "direct" | "group"; name?: string; memberIds: string[] }) =>
    api.post<ChatRoom>(`${BASE}/rooms`, body),
  addMembers: (roomId: string, memberIds: string[]) =>
    api.post<ChatRoom>(`${BASE}/rooms/${roomId}/members`, { memberIds }),
  leave: (roomId: string) => api.post<void>(`${BASE}/rooms/${roomId}/leave`),
  messages: (roomId: string, before: string | null, signal?: AbortSignal) =>
    api.get<{ items: ChatMessage[]; nextCursor: string | null }>(
      `${BASE}/rooms/${roomId}/messages`,
      { before, limit: 30 },
      signal,
    ),
  /** The client message id doubles as the Idempotency-Key: a retried send is answered, not repeated. */
  send: (roomId: string, body: { text: string; attachmentIds?: string[]; clientMessageId: string }) =>
    api.post<ChatMessage>(`${BASE}/rooms/${roomId}/messages`, body, { idempotencyKey: body.clientMessageId }),
  markRead: (roomId: string, messageId: string) =>
    api.post<{ roomId: string; lastReadId: string }>(`${BASE}/rooms/${roomId}/read`, { messageId }),
  search: (q: string, before: string | null, signal?: AbortSignal) =>
    api.get<{ items: SearchHit[]; nextCursor: string | null }>(`${BASE}/search`, { q, before }, signal),
  departments: (signal?: AbortSignal) =>
    api.get<{ items: DirectoryDepartment[] }>(`${BASE}/directory/departments`, undefined, signal),
  staff: (filter: { departmentId?: string; q?: string }, signal?: AbortSignal) =>
    api.get<{ items: DirectoryStaff[] }>(`${BASE}/directory/staff`, filter, signal),
  attachmentUrl: (id: string) => `${BASE}/attachments/${id}`,
};

export const MAX_ATTACHMENT_BYTES = 10 * 1024 * 1024;
export const MAX_TEXT = 5000;

/** Uploads a file as the request body, its type the media type. */
export function uploadAttachment(file: File): Promise<AttachmentRef & { sha256: string }> {
  return request<AttachmentRef & { sha256: string }>("POST", `${BASE}/attachments`, {
    query: { name: file.name },
    body: file,
    contentType: file.type || "application/octet-stream",
  });
}

/** A fresh id for a message (or an upload's Idempotency-Key), also where randomUUID is missing. */
export function newClientId(): string {
  if (typeof crypto.randomUUID === "function") return crypto.randomUUID();
  return Array.from(crypto.getRandomValues(new Uint8Array(16)), (b) => b.toString(16).padStart(2, "0")).join(
    "",
  );
}
