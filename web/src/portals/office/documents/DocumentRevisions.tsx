import { Empty, Spin, Tag, Timeline } from "antd";
import { ProblemAlert } from "../../../shared/components/ProblemAlert";
import { formatDateTime } from "../../../shared/format";
import { useRequest } from "../../../shared/hooks/useRequest";
import { type MessageKey, type Translate, useT } from "../../../shared/i18n";
import { type DiffOp, type DocumentRevision, listRevisions } from "../../../shared/office";

/** Kept text longer than this around a change is cut to its ends, so a small edit of a long body reads at a glance. */
const CONTEXT = 40;

export type DiffPiece = DiffOp | { op: "gap"; text: "" };

/** Track changes as shown: changes in full, long kept runs between them shortened to their edges. */
export function compactDiff(ops: readonly DiffOp[], context = CONTEXT): DiffPiece[] {
  const out: DiffPiece[] = [];
  ops.forEach((op, i) => {
    if (op.op !== "equal" || op.text.length <= 2 * context) {
      out.push(op);
      return;
    }
    const first = i === 0;
    const last = i === ops.length - 1;
    if (!first) out.push({ op: "equal", text: op.text.slice(0, context) });
    out.push({ op: "gap", text: "" });
    if (!last) out.push({ op: "equal", text: op.text.slice(-context) });
  });
  return out;
}

/** The body's track changes: inserted text underlined green, deleted text struck through red. */
export function BodyDiff({ ops }: { ops: readonly DiffOp[] }) {
  const t = useT();
  return (
    <div className="ff-diff" data-testid="doc-revision-diff">
      {compactDiff(ops).map((piece, i) => {
        // Pieces are positional: the same text can appear twice.
        const key = `${i}-${piece.op}`;
        if (piece.op === "insert")
          return (
            <ins key={key} className="ff-diff-ins">
              {piece.text}
            </ins>
          );
        if (piece.op === "delete")
          return (
            <del key={key} className="ff-diff-del">
              {piece.text}
            </del>
          );
        if (piece.op === "gap")
          return (
            <span key={key} className="ff-diff-gap" title={t("office.doc.revision.gap")}>
              …
            </span>
          );
        return <span key={key}>{piece.text}</span>;
      })}
    </div>
  );
}

const FIELD_LABELS: Record<string, MessageKey> = {
  title: "office.doc.field.title",
  docType: "office.doc.field.docType",
  urgency: "office.doc.field.urgency",
  classification: "office.doc.field.classification",
  secrecyPeriod: "office.doc.field.secrecyPeriod",
  copyNo: "office.doc.field.copyNo",
  organMark: "office.doc.field.organMark",
  mainRecipients: "office.doc.field.mainRecipients",
  attachmentNotes: "office.doc.field.attachmentNotes",
  signatureOrg: "office.doc.field.signatureOrg",
  writtenDate: "office.doc.field.writtenDate",
  note: "office.doc.field.note",
  ccRecipients: "office.doc.field.ccRecipients",
  printingOrg: "office.doc.field.printingOrg",
  printingDate: "office.doc.field.printingDate",
  recipients: "office.doc.field.recipients",
  countersignDepartmentIds: "office.doc.field.countersign",
};

/** A changed element's value as text; department lists only say how many. */
function valueText(field: string, value: unknown, t: Translate): string {
  if (value === null || value === undefined || value === "") return "—";
  if (field === "recipients" || field === "countersignDepartmentIds")
    return t("office.doc.revision.departments", { count: Array.isArray(value) ? value.length : 0 });
  if (Array.isArray(value)) return value.length ? value.join("，") : "—";
  if (field === "urgency") return t(`office.doc.urgency.${value as "normal"}`);
  if (field === "classification") return t(`office.doc.classification.${value as "none"}`);
  return String(value);
}

function Revision({ revision }: { revision: DocumentRevision }) {
  const t = useT();
  const fields = Object.entries(revision.changes);
  const first = revision.revision === 1;
  return (
    <div className="ff-revision" data-testid={`doc-revision-${revision.revision}`}>
      <div className="ff-revision-head">
        <Tag>{t("office.doc.revision.number", { n: revision.revision })}</Tag>
        <strong>{revision.changedByName}</strong>
        <span className="ff-muted ff-small">{formatDateTime(revision.changedAt).slice(0, 16)}</span>
      </div>
      {revision.comment && <div className="ff-revision-comment">{revision.comment}</div>}
      {fields.length > 0 && (
        <ul className="ff-revision-fields">
          {fields.map(([field, change]) => (
            <li key={field}>
              <span className="ff-muted">
                {t("office.doc.revision.field", {
                  label: FIELD_LABELS[field] ? t(FIELD_LABELS[field]) : field,
                })}
              </span>
              <del className="ff-diff-del">{valueText(field, change.from, t)}</del>
              {" → "}
              <ins className="ff-diff-ins">{valueText(field, change.to, t)}</ins>
            </li>
          ))}
        </ul>
      )}
      {revision.bodyDiff && !first && <BodyDiff ops={revision.bodyDiff} />}
      {first && <div className="ff-muted ff-small">{t("office.doc.revision.drafted")}</div>}
      {!first && !revision.bodyDiff && fields.length === 0 && (
        <div className="ff-muted ff-small">{t("office.doc.revision.noChange")}</div>
      )}
    </div>
  );
}

/** 修订记录: every revision, newest first, with who changed what. */
export function DocumentRevisions({ documentId, revision }: { documentId: string; revision: number }) {
  const t = useT();
  // The document's revision number is a dependency, so an edit made elsewhere on the page shows here.
  const revisions = useRequest((signal) => listRevisions(documentId, signal), [documentId, revision]);
  return (
    <div data-testid="doc-revisions">
      <ProblemAlert error={revisions.error} onRetry={revisions.reload} />
      {revisions.loading && !revisions.data && <Spin className="ff-block-spin" />}
      {revisions.data && revisions.data.length === 0 && (
        <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t("office.doc.revision.none")} />
      )}
      {revisions.data && revisions.data.length > 0 && (
        <Timeline
          className="ff-history"
          items={revisions.data.map((r) => ({
            key: r.revision,
            color: r.revision === 1 ? "blue" : "green",
            content: <Revision revision={r} />,
          }))}
        />
      )}
    </div>
  );
}
