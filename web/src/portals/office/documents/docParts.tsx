import { Tag } from "antd";
import type { MessageKey, Translate } from "../../../shared/i18n";
import type { Classification, DocStatus, DocType, Urgency } from "../../../shared/office";
import type { Task } from "../../../shared/workflow";
import "./documents.css";

/** 文种 in the user's language (the document itself always carries the Chinese term). */
const DOC_TYPE_NAMES: Record<DocType, MessageKey> = {
  决议: "office.doc.docType.resolution",
  决定: "office.doc.docType.decision",
  命令: "office.doc.docType.order",
  公报: "office.doc.docType.communique",
  公告: "office.doc.docType.announcement",
  通告: "office.doc.docType.circular",
  意见: "office.doc.docType.opinion",
  通知: "office.doc.docType.notice",
  通报: "office.doc.docType.bulletin",
  报告: "office.doc.docType.report",
  请示: "office.doc.docType.request",
  批复: "office.doc.docType.reply",
  议案: "office.doc.docType.motion",
  函: "office.doc.docType.letter",
  纪要: "office.doc.docType.minutes",
};

export function docTypeName(docType: string, t: Translate): string {
  const key = DOC_TYPE_NAMES[docType as DocType];
  return key ? t(key) : docType;
}

const STATUS_COLORS: Record<DocStatus, string> = {
  draft: "default",
  reviewing: "processing",
  countersigning: "processing",
  signing: "processing",
  signed_off: "cyan",
  numbered: "cyan",
  sealed: "geekblue",
  distributed: "success",
  withdrawn: "default",
  pending: "orange",
  received: "processing",
  proposed: "processing",
  instructed: "processing",
  handled: "processing",
  closed: "success",
  archived: "default",
};

export function statusName(status: string, t: Translate): string {
  return status in STATUS_COLORS ? t(`office.doc.status.${status as DocStatus}`) : status;
}

export function DocStatusTag({ status, t }: { status: string; t: Translate }) {
  return (
    <Tag color={STATUS_COLORS[status as DocStatus] ?? "default"} data-testid="doc-status">
      {statusName(status, t)}
    </Tag>
  );
}

/** 紧急程度 and 密级 as tags; nothing for an ordinary, unclassified document. */
export function DocMarks({
  urgency,
  classification,
  t,
}: {
  urgency: Urgency;
  classification: Classification;
  t: Translate;
}) {
  return (
    <>
      {urgency !== "normal" && (
        <Tag color={urgency === "extra_urgent" ? "red" : "volcano"}>{t(`office.doc.urgency.${urgency}`)}</Tag>
      )}
      {classification !== "none" && (
        <Tag color="purple">{t(`office.doc.classification.${classification}`)}</Tag>
      )}
    </>
  );
}

/** Bytes as "12.3 KB". */
export function fileSize(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KB`;
  return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
}

/** "云溪区人民政府文件" → "云溪区人民政府": the organ a 发文机关标志 names. */
export function organOf(organMark: string): string {
  return organMark.replace(/文件$/, "");
}

/** The flows whose business key is an official document's id. */
const DOCUMENT_PROCESSES = new Set(["outgoing-document", "incoming-document"]);

/** The document a task of the 发文/收文 flows works on, or null for any other task. */
export function documentOfTask(task: Pick<Task, "processKey" | "businessKey">): string | null {
  return DOCUMENT_PROCESSES.has(task.processKey) ? task.businessKey : null;
}
