import { shanghaiDate } from "../../../kernel/calendar/calendar";
import type { OfficialDocumentLayout } from "../pdf/render";
import type { DocumentRow } from "./documents.queries";
import { type Classification, type DocType, UPWARD_TYPES, type Urgency } from "./elements";

/** Renders a document record as its GB/T 9704 PDF (unsealed). */
export type DocumentRenderer = (row: DocumentRow, options?: { sealName?: string }) => Promise<Uint8Array>;

/** The layout the PDF renderer needs, from a document record. */
export function layoutOf(row: DocumentRow, sealName?: string): OfficialDocumentLayout {
  return {
    copyNo: row.copyNo,
    classification: row.classification as Classification,
    secrecyPeriod: row.secrecyPeriod,
    urgency: row.urgency as Urgency,
    organMark: row.organMark,
    number: row.number,
    // 签发人 is printed on 上行文 only.
    signer: UPWARD_TYPES.includes(row.docType as DocType) ? row.signer : null,
    title: row.title,
    mainRecipients: row.mainRecipients,
    body: row.body,
    attachmentNotes: row.attachmentNotes,
    signatureOrg: row.signatureOrg,
    writtenDate: row.writtenDate ?? (row.signedOffAt ? shanghaiDate(new Date(row.signedOffAt)) : null),
    seal: sealName ? { name: sealName } : null,
    note: row.note,
    ccRecipients: row.ccRecipients,
    printingOrg: row.printingOrg,
    printingDate: row.printingDate,
  };
}

/** What the seal covers besides the PDF bytes: the record's elements, canonical, as the SM2 seal signs them. */
export function sealedContent(row: DocumentRow): Record<string, unknown> {
  const {
    departmentPath: _p,
    organPath: _op,
    organDeptCode: _oc,
    createdByName: _n,
    status: _s,
    updatedAt: _u,
    instanceId: _i,
    ...elements
  } = row;
  return elements;
}
