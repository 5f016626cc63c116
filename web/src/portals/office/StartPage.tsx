import { NodeIndexOutlined, PlusCircleOutlined, ReloadOutlined, SearchOutlined } from "@ant-design/icons";
import { Button, Card, Col, Empty, Input, Row, Spin, Tag } from "antd";
import { useSearchParams } from "react-router";
import { PageHeader } from "../../shared/components/PageHeader";
import { ProblemAlert } from "../../shared/components/ProblemAlert";
import { useIsMobile } from "../../shared/hooks/useMediaQuery";
import { useRequest } from "../../shared/hooks/useRequest";
import { useT } from "../../shared/i18n";
import { useSearchDraft, useUpdateParams } from "../../shared/params";
import { listProcesses, type ProcessSummary } from "../../shared/workflow";
import { StartDrawer } from "./StartDrawer";

function matches(process: ProcessSummary, q: string): boolean {
  if (!q) return true;
  return process.name.toLowerCase().includes(q) || process.key.toLowerCase().includes(q);
}

/** 发起流程: the processes the civil servant may start by hand; `?process=<key>` opens its start form. */
export function StartPage() {
  const t = useT();
  const mobile = useIsMobile();
  const [params] = useSearchParams();
  const update = useUpdateParams();
  const [qDraft, setQDraft] = useSearchDraft("q", 250);
  const list = useRequest((signal) => listProcesses(signal), []);
  const openKey = params.get("process");

  const startable = (list.data?.items ?? []).filter((p) => p.startable);
  const q = qDraft.trim().toLowerCase();
  const shown = startable.filter((p) => matches(p, q));

  return (
    <div data-testid="office-start">
      <PageHeader
        title={t("nav.office.start")}
        subtitle={t("start.subtitle")}
        extra={
          <Button icon={<ReloadOutlined />} onClick={list.reload} aria-label={t("common.reload")}>
            {!mobile && t("common.reload")}
          </Button>
        }
      />
      <Card className="ff-card ff-filter-card">
        <Input
          allowClear
          prefix={<SearchOutlined />}
          value={qDraft}
          onChange={(e) => setQDraft(e.target.value)}
          placeholder={t("start.searchPlaceholder")}
          className="ff-filter-search"
          data-testid="start-search"
        />
      </Card>
      <ProblemAlert error={list.error} onRetry={list.reload} style={{ marginBottom: 16 }} />
      {list.loading && !list.data && <Spin className="ff-block-spin" />}
      {list.data && shown.length === 0 && (
        <Card className="ff-card" data-testid="start-empty">
          <Empty
            image={<NodeIndexOutlined className="ff-empty-icon" />}
            description={
              startable.length === 0 ? (
                <span>
                  <strong className="ff-empty-title">{t("start.empty")}</strong>
                  <br />
                  <span className="ff-muted">{t("start.emptyHint")}</span>
                </span>
              ) : (
                t("start.noMatch")
              )
            }
          />
        </Card>
      )}
      {shown.length > 0 && (
        <Row gutter={[16, 16]} data-testid="start-processes">
          {shown.map((p) => (
            <Col key={p.key} xs={24} sm={12} lg={8} xxl={6}>
              <Card className="ff-card ff-card-fill ff-start-card" data-testid={`start-card-${p.key}`}>
                <div className="ff-start-card-body">
                  <div className="ff-start-card-text">
                    <strong className="ff-start-card-name">{p.name}</strong>
                    <span className="ff-mono ff-muted ff-small ff-break">{p.key}</span>
                  </div>
                  <Tag className="ff-start-card-version">
                    {t("process.versionTag", { version: p.version })}
                  </Tag>
                </div>
                <Button
                  type="primary"
                  block={mobile}
                  icon={<PlusCircleOutlined />}
                  onClick={() => update({ process: p.key }, true)}
                  data-testid={`start-process-${p.key}`}
                  className="ff-start-card-button"
                >
                  {t("start.start")}
                </Button>
              </Card>
            </Col>
          ))}
        </Row>
      )}
      <StartDrawer processKey={openKey} onClose={() => update({ process: null })} />
    </div>
  );
}
