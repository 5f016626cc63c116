import { defineErrors } from "../../../kernel/http/errors";

export const ChatErrors = defineErrors({
  CHAT_ROOM_NOT_FOUND: { status: 404, title: "Chat room not found" },
  CHAT_NOT_A_MEMBER: { status: 403, title: "You are not a member of this chat room" },
  CHAT_MEMBER_INVALID: { status: 400, title: "A member is not an active staff account" },
  CHAT_DIRECT_MEMBERS: { status: 400, title: "A direct chat is between you and exactly one other person" },
  CHAT_DIRECT_FIXED: { status: 409, title: "A direct chat keeps its two members" },
  CHAT_MESSAGE_NOT_FOUND: { status: 404, title: "Message not found in this chat room" },
  CHAT_CLIENT_MESSAGE_ID_REUSED: {
    status: 409,
    title: "This clientMessageId was already used for a different message",
  },
  CHAT_ATTACHMENT_INVALID: { status: 400, title: "An attachment is unknown or was not uploaded by you" },
  CHAT_ATTACHMENT_NOT_FOUND: { status: 404, title: "Attachment not found" },
  CHAT_ATTACHMENT_TOO_LARGE: { status: 413, title: "The attachment is too large" },
  CHAT_ATTACHMENT_EMPTY: { status: 400, title: "The attachment is empty" },
  CHAT_UPGRADE_REQUIRED: { status: 426, title: "Connect with a WebSocket" },
});
