import { ArrowLeftOutlined, PaperClipOutlined, SafetyCertificateOutlined } from "@ant-design/icons";
import { App, Button, Card, Col, Descriptions, Empty, Row, Space, Spin, Tag } from "antd";
import { useEffect, useRef } from "react";
import { useNavigate, useParams } from "react-router";
import { PageHeader } from "../../../shared/components/PageHeader";
import { ProblemAlert } from "../../../shared/components/ProblemAlert";
import { formatDateTime } from "../../../shared/format";
import { useIsMobile } from "../../../shared/hooks/useMediaQuery";
import { useRequest } from "../../../shared/hooks/useRequest";
import { useT } from "../../../shared/i18n";
import { type DocumentDetail, getDocument } from "../../../shared/office";
import { DocumentActions } from "./DocumentActions";
import { DocumentDistribution } from "./DocumentDistribution";
import { DocumentPaper } from "./DocumentPaper";
import { DocumentRevisions } from "./DocumentRevisions";
import { DocumentSteps } from "./DocumentSteps";
import { DocMarks, DocStatusTag, docTypeName, fileSize } from "./docParts";
import "./documents.css";

/** The flow's service steps (编号, 用印, 分发) may finish just after a step is completed: look again then. */
const SETTLE_MS = 1500;

function Files({ doc }: { doc: DocumentDetail }) {
  const t = useT();
  if (doc.files.length === 0)
    return <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t("office.doc.noFiles")} />;
  return (
    <ul className="ff-doc-files" data-testid="doc-files">
      {doc.files.map((f) => (
        <li key={f.id}>
          <a href={f.url} data-testid={`doc-file-${f.id}`}>
            {f.kind === "sealed_pdf" ? <SafetyCertificateOutlined /> : <PaperClipOutlined />} {f.name}
          </a>
          <span className="ff-muted ff-small">
            {f.kind === "sealed_pdf" ? `${t("office.doc.sealedPdf")} · ` : ""}
            {fileSize(f.size)}
          </span>
        </li>
      ))}
    </ul>
  );
}

function Facts({ doc }: { doc: DocumentDetail }) {
  const t = useT();
  return (
    <Descriptions size="small" column={1} bordered data-testid="doc-facts">
      <Descriptions.Item label={t("office.doc.field.docType")}>
        {docTypeName(doc.docType, t)}
      </Descriptions.Item>
      <Descriptions.Item label={t("office.doc.field.number")}>{doc.number ?? "—"}</Descriptions.Item>
      <Descriptions.Item
        label={
          doc.direction === "incoming" ? t("office.doc.dist.department") : t("office.doc.field.department")
        }
      >
        {doc.departmentName}
      </Descriptions.Item>
      {doc.direction === "outgoing" && (
        <Descriptions.Item label={t("office.doc.field.drafter")}>{doc.createdBy.name}</Descriptions.Item>
      )}
      {doc.signer && (
        <Descriptions.Item label={t("office.doc.field.signer")}>
          {doc.signer}
          {doc.signedOffAt ? ` · ${formatDateTime(doc.signedOffAt).slice(0, 16)}` : ""}
        </Descriptions.Item>
      )}
      {doc.sealedAt && (
        <Descriptions.Item label={t("office.doc.field.sealedAt")}>
          {formatDateTime(doc.sealedAt).slice(0, 16)}
        </Descriptions.Item>
      )}
      <Descriptions.Item label={t("office.doc.field.revision")}>{doc.revision}</Descriptions.Item>
      <Descriptions.Item label={t("office.doc.field.updatedAt")}>
        {formatDateTime(doc.updatedAt).slice(0, 16)}
      </Descriptions.Item>
    </Descriptions>
  );
}

/** One official document: laid out like paper, where its flow stands, and what the caller can do. */
export function DocumentPage() {
  const t = useT();
  const mobile = useIsMobile();
  const navigate = useNavigate();
  const { message } = App.useApp();
  const { id = "" } = useParams();
  const doc = useRequest((signal) => getDocument(id, signal), [id]);
  const settle = useRef<number | undefined>(undefined);
  useEffect(() => () => window.clearTimeout(settle.current), []);
  const data = doc.data && doc.data.id === id ? doc.data : null;

  const changed = (updated: DocumentDetail | null, done: string) => {
    message.success(done);
    if (updated) doc.setData(updated);
    else doc.reload();
    window.clearTimeout(settle.current);
    settle.current = window.setTimeout(doc.reload, SETTLE_MS);
  };

  const back = data?.direction === "incoming" ? "/office/documents?direction=incoming" : "/office/documents";
  return (
    <div data-testid="office-document">
      <PageHeader
        title={data ? data.title : t("office.doc.detail")}
        subtitle={
          data && (
            <Space wrap size={[8, 4]}>
              <DocStatusTag status={data.status} t={t} />
              <DocMarks urgency={data.urgency} classification={data.classification} t={t} />
              <Tag>{t(`office.doc.tab.${data.direction}`)}</Tag>
              {data.number && <span data-testid="doc-number-text">{data.number}</span>}
            </Space>
          )
        }
        extra={
          <Button icon={<ArrowLeftOutlined />} onClick={() => navigate(back)} data-testid="doc-back">
            {!mobile && t("office.doc.back")}
          </Button>
        }
      />
      <ProblemAlert error={doc.error} onRetry={doc.reload} style={{ marginBottom: 16 }} />
      {doc.loading && !data && <Spin className="ff-block-spin" />}
      {data && (
        <>
          <DocumentActions doc={data} onChanged={changed} />
          <DocumentSteps
            steps={data.steps}
            onDone={(name) => changed(null, t("office.doc.step.done", { name }))}
          />
          <Row gutter={[16, 16]}>
            <Col xs={24} xl={16}>
              <div className="ff-doc-desk">
                <DocumentPaper doc={data} />
              </div>
            </Col>
            <Col xs={24} xl={8}>
              <Space orientation="vertical" size={16} className="ff-full-width">
                <Card size="small" className="ff-card" title={t("office.doc.facts")}>
                  <Facts doc={data} />
                </Card>
                <Card size="small" className="ff-card" title={t("office.doc.files")}>
                  <Files doc={data} />
                </Card>
              </Space>
            </Col>
            {data.direction === "outgoing" && (
              <Col xs={24} xl={12}>
                <Card className="ff-card ff-card-fill" title={t("office.doc.distribution")}>
                  <DocumentDistribution entries={data.distribution} />
                </Card>
              </Col>
            )}
            {data.direction === "outgoing" && (
              <Col xs={24} xl={12}>
                <Card className="ff-card ff-card-fill" title={t("office.doc.revisions")}>
                  <DocumentRevisions documentId={data.id} revision={data.revision} />
                </Card>
              </Col>
            )}
          </Row>
        </>
      )}
    </div>
  );
}
