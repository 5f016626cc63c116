import { InboxOutlined, PaperClipOutlined, SaveOutlined } from "@ant-design/icons";
import {
  Alert,
  App,
  Button,
  Card,
  Col,
  DatePicker,
  Form,
  Input,
  Row,
  Select,
  Space,
  Spin,
  Typography,
  Upload,
} from "antd";
import dayjs, { type Dayjs } from "dayjs";
import { type ReactNode, useMemo, useState } from "react";
import { useNavigate, useParams } from "react-router";
import { PageHeader } from "../../../shared/components/PageHeader";
import { ProblemAlert } from "../../../shared/components/ProblemAlert";
import { useFormSubmit } from "../../../shared/hooks/useFormSubmit";
import { useRequest } from "../../../shared/hooks/useRequest";
import { useT } from "../../../shared/i18n";
import {
  CLASSIFICATIONS,
  type Classification,
  type CreateDocumentInput,
  createDocument,
  DOC_TYPES,
  type DocRecipient,
  type DocType,
  type DocumentDetail,
  getDocument,
  type UpdateDocumentInput,
  URGENCIES,
  type Urgency,
  updateDocument,
  uploadAttachment,
} from "../../../shared/office";
import { DepartmentPicker } from "./DepartmentPicker";
import { docTypeName, fileSize } from "./docParts";
import "./documents.css";

/** The server's limit on one attachment. */
const ATTACHMENT_LIMIT = 20 * 1024 * 1024;
const DATE = "YYYY-MM-DD";

interface EditorValues {
  docType: DocType;
  urgency: Urgency;
  classification: Classification;
  secrecyPeriod?: string;
  copyNo?: string;
  organMark?: string;
  title: string;
  mainRecipients: string[];
  body: string;
  /** 附件说明, one per line */
  attachmentNotes?: string;
  signatureOrg?: string;
  writtenDate?: Dayjs | null;
  note?: string;
  ccRecipients: string[];
  printingOrg?: string;
  printingDate?: Dayjs | null;
  countersignDepartmentIds?: string[];
  recipientsMain?: string[];
  recipientsCc?: string[];
  /** 修改说明 of an edit */
  comment?: string;
}

const NEW_DOCUMENT: Partial<EditorValues> = {
  docType: "通知",
  urgency: "normal",
  classification: "none",
  mainRecipients: [],
  ccRecipients: [],
};

function valuesOf(doc: DocumentDetail): EditorValues {
  return {
    docType: doc.docType,
    urgency: doc.urgency,
    classification: doc.classification,
    secrecyPeriod: doc.secrecyPeriod ?? "",
    copyNo: doc.copyNo ?? "",
    organMark: doc.organMark,
    title: doc.title,
    mainRecipients: doc.mainRecipients,
    body: doc.body,
    attachmentNotes: doc.attachmentNotes.join("\n"),
    signatureOrg: doc.signatureOrg,
    writtenDate: doc.writtenDate ? dayjs(doc.writtenDate) : null,
    note: doc.note ?? "",
    ccRecipients: doc.ccRecipients,
    printingOrg: doc.printingOrg ?? "",
    printingDate: doc.printingDate ? dayjs(doc.printingDate) : null,
    countersignDepartmentIds: doc.countersignDepartmentIds,
    recipientsMain: doc.recipients.filter((r) => r.role === "main").map((r) => r.departmentId),
    recipientsCc: doc.recipients.filter((r) => r.role === "cc").map((r) => r.departmentId),
  };
}

const text = (value: string | undefined) => (value?.trim() ? value.trim() : null);
const lines = (value: string | undefined) =>
  (value ?? "")
    .split("\n")
    .map((l) => l.trim())
    .filter(Boolean);

/** The elements as the API takes them: blanks become null, and organ names left blank keep the default. */
function elementsOf(v: EditorValues): CreateDocumentInput {
  const recipients: DocRecipient[] = [
    ...(v.recipientsMain ?? []).map((departmentId) => ({ departmentId, role: "main" as const })),
    ...(v.recipientsCc ?? []).map((departmentId) => ({ departmentId, role: "cc" as const })),
  ];
  const classified = v.classification !== "none";
  const organMark = text(v.organMark);
  const signatureOrg = text(v.signatureOrg);
  return {
    title: v.title.trim(),
    docType: v.docType,
    body: v.body,
    urgency: v.urgency,
    classification: v.classification,
    secrecyPeriod: classified ? text(v.secrecyPeriod) : null,
    copyNo: text(v.copyNo),
    ...(organMark ? { organMark } : {}),
    mainRecipients: v.mainRecipients.map((r) => r.trim()).filter(Boolean),
    attachmentNotes: lines(v.attachmentNotes),
    ...(signatureOrg ? { signatureOrg } : {}),
    writtenDate: v.writtenDate ? v.writtenDate.format(DATE) : null,
    note: text(v.note),
    ccRecipients: v.ccRecipients.map((r) => r.trim()).filter(Boolean),
    printingOrg: text(v.printingOrg),
    printingDate: v.printingDate ? v.printingDate.format(DATE) : null,
    recipients,
    countersignDepartmentIds: v.countersignDepartmentIds ?? [],
  };
}

function Section({ title, children }: { title: string; children: ReactNode }) {
  return (
    <>
      <Typography.Title level={5} className="ff-section-title">
        {title}
      </Typography.Title>
      <Row gutter={16}>{children}</Row>
    </>
  );
}

/** The drafting form: every GB/T 9704 element a drafter writes, with the usual defaults. */
function EditorForm({ doc }: { doc: DocumentDetail | null }) {
  const t = useT();
  const navigate = useNavigate();
  const { message } = App.useApp();
  const [form] = Form.useForm<EditorValues>();
  const { busy, error, unmatched, run } = useFormSubmit(form, true);
  const [files, setFiles] = useState<File[]>([]);
  const classification = Form.useWatch("classification", form);
  const initial = useMemo(() => (doc ? valuesOf(doc) : NEW_DOCUMENT), [doc]);

  const save = (values: EditorValues) =>
    run(async () => {
      const elements = elementsOf(values);
      const saved = doc
        ? await updateDocument(doc.id, {
            ...elements,
            revision: doc.revision,
            ...(text(values.comment) ? { comment: text(values.comment)! } : {}),
          } satisfies UpdateDocumentInput)
        : await createDocument(elements);
      for (const file of files) await uploadAttachment(saved.id, file);
      message.success(doc ? t("office.doc.saved") : t("office.doc.created"));
      navigate(`/office/documents/${encodeURIComponent(saved.id)}`, { replace: true });
    });

  const tooBig = files.filter((f) => f.size > ATTACHMENT_LIMIT);

  return (
    <Form<EditorValues>
      form={form}
      layout="vertical"
      initialValues={initial}
      onFinish={(v) => void save(v)}
      scrollToFirstError
      data-testid="doc-editor-form"
    >
      <Section title={t("office.doc.section.head")}>
        <Col xs={24} sm={12} lg={6}>
          <Form.Item name="docType" label={t("office.doc.field.docType")} rules={[{ required: true }]}>
            <Select
              showSearch={{ optionFilterProp: "label" }}
              options={DOC_TYPES.map((d) => ({ value: d, label: docTypeName(d, t) }))}
              data-testid="doc-field-docType"
            />
          </Form.Item>
        </Col>
        <Col xs={24} sm={12} lg={6}>
          <Form.Item name="urgency" label={t("office.doc.field.urgency")}>
            <Select
              options={URGENCIES.map((u) => ({ value: u, label: t(`office.doc.urgency.${u}`) }))}
              data-testid="doc-field-urgency"
            />
          </Form.Item>
        </Col>
        <Col xs={24} sm={12} lg={6}>
          <Form.Item name="classification" label={t("office.doc.field.classification")}>
            <Select
              options={CLASSIFICATIONS.map((c) => ({ value: c, label: t(`office.doc.classification.${c}`) }))}
              data-testid="doc-field-classification"
            />
          </Form.Item>
        </Col>
        {classification && classification !== "none" && (
          <Col xs={24} sm={12} lg={6}>
            <Form.Item name="secrecyPeriod" label={t("office.doc.field.secrecyPeriod")} rules={[{ max: 20 }]}>
              <Input placeholder={t("office.doc.secrecyPeriodHint")} data-testid="doc-field-secrecyPeriod" />
            </Form.Item>
          </Col>
        )}
        <Col xs={24} sm={12} lg={6}>
          <Form.Item
            name="copyNo"
            label={t("office.doc.field.copyNo")}
            extra={t("office.doc.copyNoHint")}
            rules={[{ pattern: /^[0-9]{6}$/, message: t("office.doc.copyNoFormat") }]}
          >
            <Input maxLength={6} inputMode="numeric" data-testid="doc-field-copyNo" />
          </Form.Item>
        </Col>
        <Col xs={24} sm={12} lg={18}>
          <Form.Item
            name="organMark"
            label={t("office.doc.field.organMark")}
            extra={doc ? undefined : t("office.doc.organDefault")}
            rules={[{ max: 40 }]}
          >
            <Input placeholder={t("office.doc.organMarkHint")} data-testid="doc-field-organMark" />
          </Form.Item>
        </Col>
      </Section>

      <Section title={t("office.doc.section.body")}>
        <Col xs={24}>
          <Form.Item
            name="title"
            label={t("office.doc.field.title")}
            rules={[{ required: true, whitespace: true, message: t("field.required") }, { max: 200 }]}
          >
            <Input maxLength={200} data-testid="doc-field-title" />
          </Form.Item>
        </Col>
        <Col xs={24}>
          <Form.Item
            name="mainRecipients"
            label={t("office.doc.field.mainRecipients")}
            extra={t("office.doc.tagsHint")}
          >
            <Select
              mode="tags"
              tokenSeparators={["，", ",", "、"]}
              open={false}
              suffixIcon={null}
              placeholder={t("office.doc.mainRecipientsHint")}
              data-testid="doc-field-mainRecipients"
            />
          </Form.Item>
        </Col>
        <Col xs={24}>
          <Form.Item
            name="body"
            label={t("office.doc.field.body")}
            extra={t("office.doc.bodyHint")}
            rules={[{ required: true, whitespace: true, message: t("field.required") }]}
          >
            <Input.TextArea
              className="ff-doc-body-input"
              autoSize={{ minRows: 14, maxRows: 40 }}
              maxLength={100_000}
              data-testid="doc-field-body"
            />
          </Form.Item>
        </Col>
        <Col xs={24}>
          <Form.Item
            name="attachmentNotes"
            label={t("office.doc.field.attachmentNotes")}
            extra={t("office.doc.attachmentNotesHint")}
          >
            <Input.TextArea autoSize={{ minRows: 2, maxRows: 8 }} data-testid="doc-field-attachmentNotes" />
          </Form.Item>
        </Col>
        <Col xs={24} sm={12}>
          <Form.Item
            name="signatureOrg"
            label={t("office.doc.field.signatureOrg")}
            extra={doc ? undefined : t("office.doc.organDefault")}
            rules={[{ max: 60 }]}
          >
            <Input data-testid="doc-field-signatureOrg" />
          </Form.Item>
        </Col>
        <Col xs={24} sm={12}>
          <Form.Item
            name="writtenDate"
            label={t("office.doc.field.writtenDate")}
            extra={t("office.doc.writtenDateHint")}
          >
            <DatePicker className="ff-full-width" inputReadOnly data-testid="doc-field-writtenDate" />
          </Form.Item>
        </Col>
        <Col xs={24}>
          <Form.Item name="note" label={t("office.doc.field.note")} rules={[{ max: 500 }]}>
            <Input placeholder={t("office.doc.noteHint")} data-testid="doc-field-note" />
          </Form.Item>
        </Col>
      </Section>

      <Section title={t("office.doc.section.colophon")}>
        <Col xs={24}>
          <Form.Item name="ccRecipients" label={t("office.doc.field.ccRecipients")}>
            <Select
              mode="tags"
              tokenSeparators={["，", ",", "、"]}
              open={false}
              suffixIcon={null}
              data-testid="doc-field-ccRecipients"
            />
          </Form.Item>
        </Col>
        <Col xs={24} sm={12}>
          <Form.Item name="printingOrg" label={t("office.doc.field.printingOrg")} rules={[{ max: 60 }]}>
            <Input data-testid="doc-field-printingOrg" />
          </Form.Item>
        </Col>
        <Col xs={24} sm={12}>
          <Form.Item name="printingDate" label={t("office.doc.field.printingDate")}>
            <DatePicker className="ff-full-width" inputReadOnly data-testid="doc-field-printingDate" />
          </Form.Item>
        </Col>
      </Section>

      <Section title={t("office.doc.section.routing")}>
        <Col xs={24}>
          <Form.Item
            name="countersignDepartmentIds"
            label={t("office.doc.field.countersign")}
            extra={t("office.doc.countersignHint")}
          >
            <DepartmentPicker multiple testId="doc-field-countersign" />
          </Form.Item>
        </Col>
        <Col xs={24} md={12}>
          <Form.Item name="recipientsMain" label={t("office.doc.field.recipientsMain")}>
            <DepartmentPicker multiple testId="doc-field-recipientsMain" />
          </Form.Item>
        </Col>
        <Col xs={24} md={12}>
          <Form.Item name="recipientsCc" label={t("office.doc.field.recipientsCc")}>
            <DepartmentPicker multiple testId="doc-field-recipientsCc" />
          </Form.Item>
        </Col>
      </Section>

      <Section title={t("office.doc.files")}>
        <Col xs={24} className="ff-doc-upload">
          {doc && doc.files.filter((f) => f.kind === "attachment").length > 0 && (
            <ul className="ff-doc-files">
              {doc.files
                .filter((f) => f.kind === "attachment")
                .map((f) => (
                  <li key={f.id}>
                    <a href={f.url}>
                      <PaperClipOutlined /> {f.name}
                    </a>
                    <span className="ff-muted ff-small">{fileSize(f.size)}</span>
                  </li>
                ))}
            </ul>
          )}
          <Upload.Dragger
            multiple
            fileList={files.map((f, i) => ({
              uid: `${i}-${f.name}`,
              name: f.name,
              size: f.size,
              status: f.size > ATTACHMENT_LIMIT ? "error" : "done",
            }))}
            beforeUpload={(file) => {
              setFiles((current) => [...current, file]);
              return false;
            }}
            onRemove={(removed) => {
              setFiles((current) => current.filter((f, i) => `${i}-${f.name}` !== removed.uid));
            }}
            data-testid="doc-attachments-upload"
          >
            <p className="ant-upload-drag-icon">
              <InboxOutlined />
            </p>
            <p className="ant-upload-text">{t("office.doc.uploadText")}</p>
            <p className="ant-upload-hint">{t("office.doc.uploadHint")}</p>
          </Upload.Dragger>
          {tooBig.length > 0 && (
            <Alert
              type="warning"
              showIcon
              className="ff-doc-upload-alert"
              title={t("office.doc.tooBig", { names: tooBig.map((f) => f.name).join("、") })}
            />
          )}
        </Col>
      </Section>

      {doc && (
        <Form.Item
          name="comment"
          label={t("office.doc.field.comment")}
          extra={t("office.doc.commentHint")}
          rules={[{ max: 500 }]}
          className="ff-doc-comment"
        >
          <Input data-testid="doc-field-comment" />
        </Form.Item>
      )}
      <ProblemAlert error={error} extra={unmatched} style={{ marginBottom: 16 }} testId="doc-editor-error" />
      <Space wrap>
        <Button
          type="primary"
          htmlType="submit"
          icon={<SaveOutlined />}
          loading={busy}
          disabled={tooBig.length > 0}
          data-testid="doc-save"
        >
          {doc ? t("office.doc.save") : t("office.doc.saveDraft")}
        </Button>
        <Button onClick={() => navigate(-1)} data-testid="doc-cancel">
          {t("common.cancel")}
        </Button>
      </Space>
    </Form>
  );
}

/** 拟稿 (`/office/documents/new`) and 修改 (`/office/documents/:id/edit`). */
export function DocumentEditorPage() {
  const t = useT();
  const { id } = useParams();
  const doc = useRequest((signal) => (id ? getDocument(id, signal) : Promise.resolve(null)), [id]);
  const data = doc.data && doc.data.id === id ? doc.data : null;
  return (
    <div data-testid="office-document-editor">
      <PageHeader
        title={id ? t("office.doc.editTitle") : t("office.doc.new")}
        subtitle={data ? data.title : t("office.doc.newSubtitle")}
      />
      <ProblemAlert error={doc.error} onRetry={doc.reload} style={{ marginBottom: 16 }} />
      {id && doc.loading && !data && <Spin className="ff-block-spin" />}
      {data && !data.permissions.edit && (
        <Alert type="info" showIcon title={t("office.doc.notEditable")} data-testid="doc-not-editable" />
      )}
      {(!id || data?.permissions.edit) && (
        <Card className="ff-card">
          <EditorForm key={data?.revision ?? "new"} doc={data} />
        </Card>
      )}
    </div>
  );
}
