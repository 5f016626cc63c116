import {
  ArrowLeftOutlined,
  CheckCircleOutlined,
  CloudUploadOutlined,
  DownloadOutlined,
} from "@ant-design/icons";
import { Alert, App, Button, Card, Col, Row, Space, Spin, Tag } from "antd";
import { useCallback, useEffect, useRef, useState } from "react";
import { useNavigate, useSearchParams } from "react-router";
import { ApiError, type FieldProblem } from "../../shared/api";
import type { BpmnElement, Canvas, ElementRegistry, Selection } from "../../shared/bpmn/services";
import { PageHeader } from "../../shared/components/PageHeader";
import { ProblemAlert } from "../../shared/components/ProblemAlert";
import { errorMessage } from "../../shared/errors";
import { useIsMobile } from "../../shared/hooks/useMediaQuery";
import { useRequest } from "../../shared/hooks/useRequest";
import { useT } from "../../shared/i18n";
import { deployProcess, getProcess, type ModelProblem, validateProcess } from "../../shared/workflow";
import { blankDiagram, declareNamespaces, type ModdleElement, newProcessId } from "./bpmnModel";
import { ElementForm } from "./ElementForm";
import { ProblemList, VersionList } from "./ProcessEditorParts";
import { type Modeler, ProcessModeler } from "./ProcessModeler";

type Outcome =
  | { kind: "valid"; processes: { key: string; name: string }[] }
  | { kind: "invalid"; problems: ModelProblem[] }
  | { kind: "error"; error: unknown };

/** 流程建模: edit a process in bpmn-js, validate it on the server, deploy it as a new version. */
export function ProcessEditorPage() {
  const t = useT();
  const mobile = useIsMobile();
  const navigate = useNavigate();
  const { message } = App.useApp();
  const [params, setParams] = useSearchParams();
  const key = params.get("key") ?? "";
  const source = useRequest(
    (signal) => (key ? getProcess(key, undefined, signal) : Promise.resolve(null)),
    [key],
  );
  const [xml, setXml] = useState<string | null>(null);
  const [shownVersion, setShownVersion] = useState<number | null>(null);
  const loadedFor = useRef<string | null>(null);
  const [modeler, setModeler] = useState<Modeler | null>(null);
  const [selected, setSelected] = useState<BpmnElement | null>(null);
  const [revision, setRevision] = useState(0);
  const [dirty, setDirty] = useState(false);
  const [busy, setBusy] = useState<"validate" | "deploy" | null>(null);
  const [outcome, setOutcome] = useState<Outcome | null>(null);
  const marked = useRef<string[]>([]);

  // The diagram loads once per process: reloading the versions after a deploy keeps the canvas as is.
  useEffect(() => {
    if (loadedFor.current === key) return;
    if (!key) {
      loadedFor.current = key;
      setXml(blankDiagram(newProcessId(), t("modeler.newProcessName"), t("modeler.startEventName")));
      setShownVersion(null);
    } else if (source.data && source.data.key === key) {
      loadedFor.current = key;
      setXml(source.data.xml);
      setShownVersion(source.data.version);
    }
  }, [key, source.data, t]);

  const onChange = useCallback((kind: "edit" | "import") => {
    setRevision((r) => r + 1);
    setDirty(kind === "edit");
  }, []);

  const openVersion = async (version: number) => {
    try {
      const detail = await getProcess(key, version);
      setXml(detail.xml);
      setShownVersion(detail.version);
      setOutcome(null);
    } catch (error) {
      message.error(errorMessage(error, t));
    }
  };

  const currentXml = async (): Promise<string> => {
    if (!modeler) throw new Error(t("modeler.notReady"));
    declareNamespaces(modeler.getDefinitions() as ModdleElement);
    const { xml: saved } = await modeler.saveXML({ format: true });
    if (!saved) throw new Error(t("modeler.notReady"));
    return saved;
  };

  const markProblems = (problems: ModelProblem[]) => {
    if (!modeler) return;
    const canvas = modeler.get<Canvas>("canvas");
    const registry = modeler.get<ElementRegistry>("elementRegistry");
    for (const id of marked.current) if (registry.get(id)) canvas.removeMarker(id, "ff-problem");
    marked.current = problems.flatMap((p) => (p.elementId && registry.get(p.elementId) ? [p.elementId] : []));
    for (const id of marked.current) canvas.addMarker(id, "ff-problem");
  };

  const validate = async () => {
    setBusy("validate");
    try {
      const result = await validateProcess(await currentXml());
      markProblems(result.errors);
      setOutcome(
        result.valid
          ? { kind: "valid", processes: result.processes }
          : { kind: "invalid", problems: result.errors },
      );
    } catch (error) {
      markProblems([]);
      setOutcome({ kind: "error", error });
    } finally {
      setBusy(null);
    }
  };

  const deploy = async () => {
    setBusy("deploy");
    try {
      const deployed = await deployProcess(await currentXml());
      markProblems([]);
      setOutcome(null);
      setDirty(false);
      setShownVersion(deployed.version);
      message.success(t("modeler.deployed", { key: deployed.key, version: deployed.version }));
      if (deployed.key !== key) {
        // The canvas already holds what was deployed; only the URL and the versions follow.
        loadedFor.current = deployed.key;
        setParams({ key: deployed.key }, { replace: true });
      } else source.reload();
    } catch (error) {
      const problems = problemsOf(error);
      markProblems(problems ?? []);
      setOutcome(problems ? { kind: "invalid", problems } : { kind: "error", error });
    } finally {
      setBusy(null);
    }
  };

  const download = async () => {
    try {
      const text = await currentXml();
      const root = modeler?.get<Canvas>("canvas").getRootElement();
      const name = (root?.businessObject as ModdleElement | undefined)?.id ?? (key || "process");
      const url = URL.createObjectURL(new Blob([text], { type: "application/xml" }));
      const link = document.createElement("a");
      link.href = url;
      link.download = `${name}.bpmn`;
      link.click();
      URL.revokeObjectURL(url);
    } catch (error) {
      message.error(errorMessage(error, t));
    }
  };

  const focus = (elementId: string) => {
    const element = modeler?.get<ElementRegistry>("elementRegistry").get(elementId);
    if (!modeler || !element) return;
    modeler.get<Selection>("selection").select(element);
    modeler.get<Canvas>("canvas").scrollToElement(element);
  };

  const title = source.data?.name ?? (key || t("modeler.newTitle"));

  return (
    <div data-testid="admin-process-editor">
      <PageHeader
        title={title}
        subtitle={
          <Space wrap size={[8, 4]}>
            {key && <span className="ff-mono">{key}</span>}
            {shownVersion !== null && <Tag>{t("process.versionTag", { version: shownVersion })}</Tag>}
            {dirty && <Tag color="orange">{t("modeler.unsaved")}</Tag>}
          </Space>
        }
        extra={
          <Space wrap>
            <Button
              icon={<ArrowLeftOutlined />}
              onClick={() => navigate("/admin/processes")}
              aria-label={t("modeler.back")}
            >
              {!mobile && t("modeler.back")}
            </Button>
            <Button
              icon={<CheckCircleOutlined />}
              onClick={() => void validate()}
              loading={busy === "validate"}
              disabled={!modeler || busy !== null}
              data-testid="modeler-validate"
            >
              {t("modeler.validate")}
            </Button>
            <Button
              icon={<DownloadOutlined />}
              onClick={() => void download()}
              data-testid="modeler-download"
            >
              {t("modeler.download")}
            </Button>
            <Button
              type="primary"
              icon={<CloudUploadOutlined />}
              onClick={() => void deploy()}
              loading={busy === "deploy"}
              disabled={!modeler || busy !== null}
              data-testid="modeler-deploy"
            >
              {t("modeler.deploy")}
            </Button>
          </Space>
        }
      />
      <ProblemAlert error={source.error} onRetry={source.reload} style={{ marginBottom: 16 }} />
      {mobile && (
        <Alert
          type="info"
          showIcon
          className="ff-modeler-outcome"
          title={t("modeler.phoneHint")}
          data-testid="modeler-phone-hint"
        />
      )}
      {outcome?.kind === "valid" && (
        <Alert
          type="success"
          showIcon
          closable
          onClose={() => setOutcome(null)}
          className="ff-modeler-outcome"
          data-testid="modeler-valid"
          title={t("modeler.valid")}
          description={outcome.processes.map((p) => `${p.name} (${p.key})`).join(t("common.listSeparator"))}
        />
      )}
      {outcome?.kind === "error" && (
        <ProblemAlert error={outcome.error} style={{ marginBottom: 16 }} testId="modeler-error" />
      )}
      <Row gutter={[16, 16]}>
        <Col xs={24} xl={17}>
          <Card className="ff-card ff-modeler-card" styles={{ body: { padding: 0 } }}>
            {xml === null ? (
              <Spin className="ff-block-spin" />
            ) : (
              <ProcessModeler xml={xml} onReady={setModeler} onSelect={setSelected} onChange={onChange} />
            )}
          </Card>
        </Col>
        <Col xs={24} xl={7}>
          <Space orientation="vertical" size={16} className="ff-full-width">
            {outcome?.kind === "invalid" && <ProblemList problems={outcome.problems} onFocus={focus} />}
            <Card className="ff-card" size="small" title={t("modeler.properties")}>
              {modeler ? (
                <ElementForm modeler={modeler} element={selected} revision={revision} />
              ) : (
                <Spin className="ff-block-spin" />
              )}
            </Card>
            {source.data && (
              <VersionList
                versions={source.data.versions}
                shown={shownVersion}
                onOpen={(v) => void openVersion(v)}
              />
            )}
          </Space>
        </Col>
      </Row>
    </div>
  );
}

/** The model problems in a 422 from deploying, when the server names them. */
function problemsOf(error: unknown): ModelProblem[] | null {
  if (!(error instanceof ApiError) || error.status !== 422 || error.errors.length === 0) return null;
  return error.errors.map((e: FieldProblem & { elementId?: string | null }) => ({
    elementId: e.elementId ?? null,
    message: e.message,
  }));
}
