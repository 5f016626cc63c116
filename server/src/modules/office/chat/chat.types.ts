import { Type } from "typebox";
import { StringEnum, Text, Uuid } from "../../../kernel/http/schemas";
import { LINK_TYPES, MAX_TEXT } from "./chat.service";

/** Request and response schemas of the chat API (documented in the OpenAPI document). */

const Nullable = <T extends Parameters<typeof Type.Union>[0][number]>(schema: T) =>
  Type.Union([schema, Type.Null()]);
const Instant = Type.String({ format: "date-time" });
const Person = Type.Object({ id: Type.String(), name: Type.String() });

export const RoomParams = Type.Object({ roomId: Uuid });

export const LinkBody = Type.Object(
  {
    type: StringEnum(LINK_TYPES, { description: "what the room discusses" }),
    id: Text(100, { description: "the document's or supervision item's id, the case number" }),
    title: Text(200),
  },
  { additionalProperties: false },
);

const MemberIds = Type.Array(Uuid, { maxItems: 200, uniqueItems: true, description: "staff user ids" });

export const CreateRoomBody = Type.Object(
  {
    kind: StringEnum(["direct", "group"] as const),
    name: Type.Optional(Text(50, { description: "groups; defaults to the first members' names" })),
    memberIds: MemberIds,
    link: Type.Optional(LinkBody),
  },
  { additionalProperties: false },
);

export const OpenLinkBody = Type.Object(
  {
    ...LinkBody.properties,
    memberIds: Type.Optional(MemberIds),
  },
  { additionalProperties: false },
);

export const AddMembersBody = Type.Object(
  { memberIds: Type.Array(Uuid, { minItems: 1, maxItems: 200, uniqueItems: true }) },
  { additionalProperties: false },
);

export const SendBody = Type.Object(
  {
    text: Type.String({ maxLength: MAX_TEXT, description: "may be empty when there are attachments" }),
    attachmentIds: Type.Optional(Type.Array(Uuid, { maxItems: 10, uniqueItems: true })),
    clientMessageId: Type.String({
      pattern: "^[A-Za-z0-9._:-]{1,64}$",
      description: "chosen by the client; sending again with the same id returns the stored message",
    }),
  },
  { additionalProperties: false },
);

export const ReadBody = Type.Object({ messageId: Uuid }, { additionalProperties: false });

export const MessagesQuery = Type.Object(
  {
    before: Type.Optional(Uuid),
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 100, default: 30 })),
  },
  { additionalProperties: false },
);

export const SearchQuery = Type.Object(
  {
    q: Text(100),
    before: Type.Optional(Uuid),
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 50, default: 20 })),
  },
  { additionalProperties: false },
);

export const StaffQuery = Type.Object(
  { departmentId: Type.Optional(Uuid), q: Type.Optional(Type.String({ maxLength: 50 })) },
  { additionalProperties: false },
);

export const UploadQuery = Type.Object(
  { name: Text(200, { description: "the file's name" }) },
  { additionalProperties: false },
);

export const AttachmentParams = Type.Object({ attachmentId: Uuid });

const AttachmentRef = Type.Object({
  id: Type.String(),
  name: Type.String(),
  mediaType: Type.String(),
  size: Type.Integer(),
});

export const AttachmentSchema = Type.Object({
  ...AttachmentRef.properties,
  sha256: Type.String(),
});

export const RoomSchema = Type.Object({
  id: Type.String(),
  kind: StringEnum(["direct", "group"] as const),
  name: Type.String(),
  peer: Nullable(Type.Object({ id: Type.String(), name: Type.String(), online: Type.Boolean() })),
  link: Nullable(Type.Object({ type: Type.String(), id: Type.String(), title: Type.String() })),
  memberCount: Type.Integer(),
  unreadCount: Type.Integer({ description: "at most 1000" }),
  lastReadId: Nullable(Type.String()),
  lastMessage: Nullable(
    Type.Object({
      id: Type.String(),
      sender: Person,
      text: Type.String({ description: "the first 200 characters" }),
      attachmentCount: Type.Integer(),
      createdAt: Instant,
    }),
  ),
  createdAt: Instant,
});

export const MemberSchema = Type.Object({
  id: Type.String(),
  name: Type.String(),
  position: Nullable(Type.String()),
  departmentName: Nullable(Type.String()),
  online: Type.Boolean(),
  lastSeenAt: Nullable(Instant),
  lastReadId: Nullable(Type.String()),
  joinedAt: Instant,
});

export const RoomDetailSchema = Type.Object({
  ...RoomSchema.properties,
  members: Type.Array(MemberSchema),
});

export const MessageSchema = Type.Object({
  id: Type.String(),
  roomId: Type.String(),
  clientMessageId: Type.String(),
  sender: Person,
  text: Type.String(),
  attachments: Type.Array(AttachmentRef),
  createdAt: Instant,
  readCount: Type.Integer({ description: "members other than the sender who have read it" }),
  readers: Type.Array(Person),
});

export const MessagePage = Type.Object({
  items: Type.Array(MessageSchema, { description: "newest first" }),
  nextCursor: Nullable(Type.String({ description: "pass as `before` for the next, older page" })),
});

export const SearchPage = Type.Object({
  items: Type.Array(
    Type.Object({
      ...MessageSchema.properties,
      roomName: Type.String(),
      roomKind: StringEnum(["direct", "group"] as const),
    }),
  ),
  nextCursor: Nullable(Type.String()),
});

export const ReadSchema = Type.Object({ roomId: Type.String(), lastReadId: Type.String() });

export const DirectoryDepartments = Type.Object({
  items: Type.Array(
    Type.Object({
      id: Type.String(),
      name: Type.String(),
      kind: Type.String(),
      parentId: Nullable(Type.String()),
      staffCount: Type.Integer(),
    }),
  ),
});

export const DirectoryStaff = Type.Object({
  items: Type.Array(
    Type.Object({
      id: Type.String(),
      name: Type.String(),
      position: Nullable(Type.String()),
      departmentId: Nullable(Type.String()),
      departmentName: Nullable(Type.String()),
      online: Type.Boolean(),
      lastSeenAt: Nullable(Instant),
    }),
    { description: "at most 200" },
  ),
});
