import { isApiError } from "../../../shared/api";
import { errorMessage } from "../../../shared/errors";
import { formatDate, formatDateTime } from "../../../shared/format";
import type { MessageKey, Translate } from "../../../shared/i18n";

const CHAT_PROBLEMS: Record<string, MessageKey> = {
  CHAT_NOT_A_MEMBER: "chat.problem.notMember",
  CHAT_ATTACHMENT_TOO_LARGE: "chat.problem.tooLarge",
  CHAT_MEMBER_INVALID: "chat.problem.memberInvalid",
  CHAT_DIRECT_FIXED: "chat.problem.directFixed",
};

/** A chat problem in the user's language; others as the rest of the app words them. */
export function chatErrorMessage(error: unknown, t: Translate): string {
  if (isApiError(error) && CHAT_PROBLEMS[error.code]) return t(CHAT_PROBLEMS[error.code]!);
  return errorMessage(error, t);
}

/** "14:05" today, "03-09" earlier this year, "2025-12-31" before (Asia/Shanghai). */
export function shortTime(value: string, now: Date = new Date()): string {
  const day = formatDate(value);
  if (day === formatDate(now)) return formatDateTime(value).slice(11, 16);
  return day.slice(0, 4) === formatDate(now).slice(0, 4) ? day.slice(5) : day;
}

/** "14:05" — the time of a message (its day is shown above it). */
export function clockTime(value: string): string {
  return formatDateTime(value).slice(11, 16);
}

export function fileSize(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KB`;
  return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
}

/** The first character of a name, for an avatar. */
export function initialOf(name: string): string {
  return Array.from(name.trim())[0] ?? "?";
}
