import {
  CommentOutlined,
  EditOutlined,
  FieldNumberOutlined,
  FilePdfOutlined,
  NodeIndexOutlined,
  SendOutlined,
  ShareAltOutlined,
} from "@ant-design/icons";
import { App, Button, Form, Input, Modal, Popconfirm, Space } from "antd";
import { useState } from "react";
import { Link, useNavigate } from "react-router";
import { ProblemAlert } from "../../../shared/components/ProblemAlert";
import { errorMessage } from "../../../shared/errors";
import { useFormSubmit } from "../../../shared/hooks/useFormSubmit";
import { useIsMobile } from "../../../shared/hooks/useMediaQuery";
import { useT } from "../../../shared/i18n";
import {
  type DocRecipient,
  type DocumentDetail,
  distributeDocument,
  documentPdfUrl,
  numberDocument,
  openDiscussion,
  submitDocument,
} from "../../../shared/office";
import { DepartmentPicker } from "./DepartmentPicker";

interface DistributeValues {
  main?: string[];
  cc?: string[];
}

/** 分发: to the departments the document names, adjusted here if need be. */
function DistributeModal({
  doc,
  open,
  onClose,
  onDone,
}: {
  doc: DocumentDetail;
  open: boolean;
  onClose: () => void;
  onDone: (doc: DocumentDetail) => void;
}) {
  const t = useT();
  const [form] = Form.useForm<DistributeValues>();
  const { busy, error, unmatched, run } = useFormSubmit(form, open);
  const initial: DistributeValues = {
    main: doc.recipients.filter((r) => r.role === "main").map((r) => r.departmentId),
    cc: doc.recipients.filter((r) => r.role === "cc").map((r) => r.departmentId),
  };
  const submit = (values: DistributeValues) =>
    run(async () => {
      const recipients: DocRecipient[] = [
        ...(values.main ?? []).map((departmentId) => ({ departmentId, role: "main" as const })),
        ...(values.cc ?? []).map((departmentId) => ({ departmentId, role: "cc" as const })),
      ];
      onDone(await distributeDocument(doc.id, recipients.length ? recipients : undefined));
    });
  return (
    <Modal
      open={open}
      onCancel={onClose}
      title={t("office.doc.distribute")}
      okText={t("office.doc.distributeOk")}
      onOk={() => form.submit()}
      confirmLoading={busy}
      okButtonProps={{ "data-testid": "doc-distribute-submit" }}
      destroyOnHidden
    >
      <p className="ff-muted">{t("office.doc.distributeHint")}</p>
      <Form form={form} layout="vertical" initialValues={initial} onFinish={(v) => void submit(v)}>
        <Form.Item name="main" label={t("office.doc.field.recipientsMain")}>
          <DepartmentPicker multiple testId="doc-distribute-main" />
        </Form.Item>
        <Form.Item name="cc" label={t("office.doc.field.recipientsCc")}>
          <DepartmentPicker multiple testId="doc-distribute-cc" />
        </Form.Item>
      </Form>
      <ProblemAlert error={error} extra={unmatched} testId="doc-distribute-error" />
    </Modal>
  );
}

interface SubmitValues {
  reviewer?: string;
  signer?: string;
}

/** 送审: optionally naming who does 核稿 and 签发 (by username); else the department's own. */
function SubmitModal({
  doc,
  open,
  onClose,
  onDone,
}: {
  doc: DocumentDetail;
  open: boolean;
  onClose: () => void;
  onDone: (doc: DocumentDetail) => void;
}) {
  const t = useT();
  const [form] = Form.useForm<SubmitValues>();
  const { busy, error, unmatched, run } = useFormSubmit(form, open);
  const submit = (values: SubmitValues) =>
    run(async () => {
      const reviewer = values.reviewer?.trim();
      const signer = values.signer?.trim();
      onDone(
        await submitDocument(doc.id, { ...(reviewer ? { reviewer } : {}), ...(signer ? { signer } : {}) }),
      );
    });
  return (
    <Modal
      open={open}
      onCancel={onClose}
      title={t("office.doc.submit")}
      okText={t("office.doc.submitOk")}
      onOk={() => form.submit()}
      confirmLoading={busy}
      okButtonProps={{ "data-testid": "doc-submit-confirm" }}
      destroyOnHidden
    >
      <p className="ff-muted">{t("office.doc.submitHint")}</p>
      <Form form={form} layout="vertical" onFinish={(v) => void submit(v)}>
        <Form.Item name="reviewer" label={t("office.doc.reviewer")} extra={t("office.doc.reviewerHint")}>
          <Input maxLength={100} autoComplete="off" data-testid="doc-submit-reviewer" />
        </Form.Item>
        <Form.Item name="signer" label={t("office.doc.signerChoice")} extra={t("office.doc.signerHint")}>
          <Input maxLength={100} autoComplete="off" data-testid="doc-submit-signer" />
        </Form.Item>
      </Form>
      <ProblemAlert error={error} extra={unmatched} testId="doc-submit-error" />
    </Modal>
  );
}

/**
 * What the caller may do with the document: 送审, 编辑, 编号, 分发 as its permissions allow, and
 * always 查看PDF, 讨论 (its chat room) and the flow's record.
 */
export function DocumentActions({
  doc,
  onChanged,
}: {
  doc: DocumentDetail;
  onChanged: (doc: DocumentDetail, done: string) => void;
}) {
  const t = useT();
  const mobile = useIsMobile();
  const navigate = useNavigate();
  const { message } = App.useApp();
  const [busy, setBusy] = useState<string | null>(null);
  const [distributing, setDistributing] = useState(false);
  const [submitting, setSubmitting] = useState(false);

  const act = async (name: string, action: () => Promise<DocumentDetail>, done: string) => {
    setBusy(name);
    try {
      onChanged(await action(), done);
    } catch (e) {
      message.error(errorMessage(e, t));
    } finally {
      setBusy(null);
    }
  };

  const discuss = async () => {
    setBusy("discuss");
    try {
      const room = await openDiscussion({ type: "document", id: doc.id, title: doc.title });
      navigate(`/office/chat/${encodeURIComponent(room.id)}`);
    } catch (e) {
      message.error(errorMessage(e, t));
      setBusy(null);
    }
  };

  const { permissions } = doc;
  return (
    <Space wrap className="ff-doc-actions" data-testid="doc-actions">
      {permissions.submit && (
        <Button
          type="primary"
          icon={<SendOutlined />}
          onClick={() => setSubmitting(true)}
          data-testid="doc-submit"
        >
          {t("office.doc.submit")}
        </Button>
      )}
      {permissions.edit && (
        <Button
          icon={<EditOutlined />}
          onClick={() => navigate(`/office/documents/${encodeURIComponent(doc.id)}/edit`)}
          data-testid="doc-edit"
        >
          {t("office.doc.edit")}
        </Button>
      )}
      {permissions.number && (
        <Popconfirm
          title={t("office.doc.numberConfirm")}
          onConfirm={() => void act("number", () => numberDocument(doc.id), t("office.doc.numbered"))}
          okButtonProps={{ "data-testid": "doc-number-confirm" }}
        >
          <Button icon={<FieldNumberOutlined />} loading={busy === "number"} data-testid="doc-number">
            {t("office.doc.number")}
          </Button>
        </Popconfirm>
      )}
      {permissions.distribute && (
        <Button
          icon={<ShareAltOutlined />}
          onClick={() => setDistributing(true)}
          data-testid="doc-distribute"
        >
          {t("office.doc.distribute")}
        </Button>
      )}
      <Button
        icon={<FilePdfOutlined />}
        href={documentPdfUrl(doc.id)}
        target="_blank"
        rel="noopener"
        data-testid="doc-pdf"
      >
        {t("office.doc.pdf")}
      </Button>
      <Button
        icon={<CommentOutlined />}
        loading={busy === "discuss"}
        onClick={() => void discuss()}
        data-testid="doc-discuss"
      >
        {t("office.doc.discuss")}
      </Button>
      {doc.instanceId && (
        <Link to={`/office/instances/${encodeURIComponent(doc.instanceId)}`} data-testid="doc-open-instance">
          <NodeIndexOutlined /> {!mobile && t("office.doc.flow")}
        </Link>
      )}
      <SubmitModal
        doc={doc}
        open={submitting}
        onClose={() => setSubmitting(false)}
        onDone={(updated) => {
          setSubmitting(false);
          onChanged(updated, t("office.doc.submitted"));
        }}
      />
      <DistributeModal
        doc={doc}
        open={distributing}
        onClose={() => setDistributing(false)}
        onDone={(updated) => {
          setDistributing(false);
          onChanged(updated, t("office.doc.distributed"));
        }}
      />
    </Space>
  );
}
