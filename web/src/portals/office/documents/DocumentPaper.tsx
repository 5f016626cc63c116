import { formatDate } from "../../../shared/format";
import { type Translate, useT } from "../../../shared/i18n";
import { type DocumentDetail, UPWARD_DOC_TYPES } from "../../../shared/office";
import { organOf } from "./docParts";

/** GB/T 9704 writes dates with Arabic numerals and no leading zeros: 2026年11月9日. */
export function chineseDate(date: string | null): string | null {
  const m = date ? /^(\d{4})-(\d{2})-(\d{2})/.exec(date) : null;
  return m ? `${m[1]}年${Number(m[2])}月${Number(m[3])}日` : null;
}

/** 密级 with its 保密期限: 机密★1年. */
function secrecyLine(doc: DocumentDetail, t: Translate): string | null {
  if (doc.classification === "none") return null;
  const level = t(`office.doc.classification.${doc.classification}`);
  return doc.secrecyPeriod ? `${level}★${doc.secrecyPeriod}` : level;
}

/** The date the document bears: the written date, else the day it was signed off. */
function writtenOn(doc: DocumentDetail): string | null {
  return chineseDate(doc.writtenDate ?? (doc.signedOffAt ? formatDate(doc.signedOffAt) : null));
}

/**
 * The document laid out like its printed form (GB/T 9704): the red 发文机关标志 and line, the
 * 发文字号, title, 主送, body, 附件说明, 署名 and date (with the seal once applied), 附注 and the
 * 版记 (抄送, 印发). The text is the document's own; only the fixed words follow the UI language.
 */
export function DocumentPaper({ doc }: { doc: DocumentDetail }) {
  const t = useT();
  const upward = UPWARD_DOC_TYPES.includes(doc.docType);
  const secrecy = secrecyLine(doc, t);
  const date = writtenOn(doc);
  const paragraphs = doc.body.split("\n").filter((p) => p.trim() !== "");
  const printedOn = chineseDate(doc.printingDate);
  return (
    <article className="ff-doc-paper" data-testid="doc-paper" lang="zh-CN">
      <header className="ff-doc-head">
        {(doc.copyNo || secrecy || doc.urgency !== "normal") && (
          <div className="ff-doc-marks">
            {doc.copyNo && <div data-testid="doc-paper-copy-no">{doc.copyNo}</div>}
            {secrecy && <div className="ff-doc-emphasis">{secrecy}</div>}
            {doc.urgency !== "normal" && (
              <div className="ff-doc-emphasis">{t(`office.doc.urgency.${doc.urgency}`)}</div>
            )}
          </div>
        )}
        <h2 className="ff-doc-organ" data-testid="doc-paper-organ">
          {doc.organMark}
        </h2>
        <div className={upward ? "ff-doc-number ff-doc-number-upward" : "ff-doc-number"}>
          <span data-testid="doc-paper-number">
            {doc.number ?? <span className="ff-doc-placeholder">{t("office.doc.paper.noNumber")}</span>}
          </span>
          {upward && (
            <span>
              {t("office.doc.paper.signer")}
              {doc.signer ?? "　　　"}
            </span>
          )}
        </div>
        <div className="ff-doc-rule" />
      </header>
      <h1 className="ff-doc-title" data-testid="doc-paper-title">
        {doc.title}
      </h1>
      {doc.mainRecipients.length > 0 && (
        <p className="ff-doc-recipients">{`${doc.mainRecipients.join("，")}：`}</p>
      )}
      <div className="ff-doc-body" data-testid="doc-paper-body">
        {paragraphs.map((p, i) => (
          // Paragraphs have no identity of their own; their order is the document's.
          // biome-ignore lint/suspicious/noArrayIndexKey: see above
          <p key={i}>{p}</p>
        ))}
      </div>
      {doc.attachmentNotes.length > 0 && (
        <div className="ff-doc-attachments">
          <span>{t("office.doc.paper.attachments")}</span>
          <ol>
            {doc.attachmentNotes.map((note) => (
              <li key={note}>{note}</li>
            ))}
          </ol>
        </div>
      )}
      <div className="ff-doc-signature">
        <div>{doc.signatureOrg}</div>
        <div data-testid="doc-paper-date">
          {date ?? <span className="ff-doc-placeholder">{t("office.doc.paper.noDate")}</span>}
        </div>
        {doc.sealedAt && (
          <div
            className="ff-doc-seal"
            data-testid="doc-paper-seal"
            role="img"
            aria-label={t("office.doc.paper.sealed")}
          >
            <span className="ff-doc-seal-star">★</span>
            <span className="ff-doc-seal-name">{doc.signatureOrg}</span>
          </div>
        )}
      </div>
      {doc.note && <p className="ff-doc-note">{`（${doc.note}）`}</p>}
      {(doc.ccRecipients.length > 0 || doc.printingOrg) && (
        <footer className="ff-doc-colophon">
          {doc.ccRecipients.length > 0 && (
            <div className="ff-doc-colophon-row">
              {t("office.doc.paper.cc", { list: doc.ccRecipients.join("，") })}
            </div>
          )}
          {doc.printingOrg && (
            <div className="ff-doc-colophon-row ff-doc-printing">
              <span>{doc.printingOrg}</span>
              <span>{printedOn ? t("office.doc.paper.printedOn", { date: printedOn }) : ""}</span>
            </div>
          )}
        </footer>
      )}
      {doc.direction === "incoming" && (
        <div className="ff-doc-from ff-small ff-muted">
          {t("office.doc.paper.from", { organ: organOf(doc.organMark) })}
        </div>
      )}
    </article>
  );
}
