import { EditOutlined, FileAddOutlined, UploadOutlined } from "@ant-design/icons";
import { Alert, Button, Descriptions, Drawer, Empty, Modal, Progress, Radio, Space, Spin, Table } from "antd";
import type { ColumnsType } from "antd/es/table";
import { type HTMLAttributes, useEffect, useRef, useState } from "react";
import { isApiError } from "../../../shared/api";
import { formatDateTime, formatNumber } from "../../../shared/format";
import { useIsMobile } from "../../../shared/hooks/useMediaQuery";
import { useRequest } from "../../../shared/hooks/useRequest";
import { useLocale, useT } from "../../../shared/i18n";
import {
  datasetType,
  getLoad,
  getSource,
  importDataset,
  type Load,
  type LoadMode,
  listLoads,
  type Source,
} from "../../../shared/masterdata";
import { relativeTime } from "../datahubParts";
import { LoadReport } from "./LoadReport";
import { BaseTag, fieldTitle, LoadStatusTag, MasterProblem } from "./masterParts";

/** How often the running load's progress is asked for while a file uploads. */
const POLL_MS = 1000;

function sizeText(bytes: number, locale: string): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${formatNumber(Math.round(bytes / 102.4) / 10, locale)} KB`;
  return `${formatNumber(Math.round(bytes / 104_857.6) / 10, locale)} MB`;
}

/** 导入数据: a file picked, uploaded and loaded, the running load's progress shown, then its report. */
function ImportPanel({ source, onLoaded }: { source: Source; onLoaded: () => void }) {
  const t = useT();
  const locale = useLocale();
  const input = useRef<HTMLInputElement>(null);
  const [file, setFile] = useState<File | null>(null);
  const [mode, setMode] = useState<LoadMode>("full");
  const [running, setRunning] = useState(false);
  const [progress, setProgress] = useState<Load | null>(null);
  const [report, setReport] = useState<Load | null>(null);
  const [error, setError] = useState<unknown>(null);
  const type = file ? datasetType(file.name) : null;

  // While the upload runs, the newest load of the source is the running one: its bytes and rows.
  useEffect(() => {
    if (!running) return;
    const started = Date.now();
    const controller = new AbortController();
    const timer = window.setInterval(() => {
      listLoads({ source: source.code, page: 1, pageSize: 1 }, controller.signal).then(
        (page) => {
          const latest = page.items[0];
          if (latest?.status === "running" && Date.parse(latest.startedAt) >= started - 60_000)
            setProgress(latest);
        },
        () => undefined,
      );
    }, POLL_MS);
    return () => {
      window.clearInterval(timer);
      controller.abort();
    };
  }, [running, source.code]);

  const start = async () => {
    if (!file || !type) return;
    setRunning(true);
    setProgress(null);
    setReport(null);
    setError(null);
    try {
      setReport(await importDataset(source.code, file, type, mode));
    } catch (e) {
      setError(e);
      // A file refused as a whole still has its report.
      const load = isApiError(e) ? (e.problem.load as Load | undefined) : undefined;
      if (load && typeof load === "object") setReport(load);
    } finally {
      setRunning(false);
      onLoaded();
    }
  };

  const total = progress?.bytesTotal ?? file?.size ?? 0;
  const done = progress?.bytesRead ?? 0;
  const pct = total > 0 ? Math.min(99, Math.floor((done / total) * 100)) : 0;

  return (
    <div className="ff-master-import" data-testid="master-import">
      <input
        ref={input}
        type="file"
        accept=".csv,.ndjson,.jsonl,.json"
        style={{ display: "none" }}
        data-testid="master-import-file"
        onChange={(e) => {
          setFile(e.target.files?.[0] ?? null);
          setReport(null);
          setError(null);
          e.target.value = "";
        }}
      />
      <Space wrap className="ff-master-import-pick">
        <Button
          icon={<FileAddOutlined />}
          onClick={() => input.current?.click()}
          disabled={running}
          data-testid="master-import-pick"
        >
          {file ? t("master.import.another") : t("master.import.pick")}
        </Button>
        {file && (
          <span data-testid="master-import-file-name">
            <strong>{file.name}</strong>{" "}
            <span className="ff-muted ff-small">{sizeText(file.size, locale)}</span>
          </span>
        )}
      </Space>
      {file && !type && (
        <Alert
          type="warning"
          showIcon
          title={t("master.import.badType")}
          data-testid="master-import-bad-type"
        />
      )}
      <div className="ff-master-import-mode">
        <Radio.Group value={mode} onChange={(e) => setMode(e.target.value as LoadMode)} disabled={running}>
          <Radio value="full" data-testid="master-import-mode-full">
            {t("master.load.mode.full")}
          </Radio>
          <Radio value="delta" data-testid="master-import-mode-delta">
            {t("master.load.mode.delta")}
          </Radio>
        </Radio.Group>
        <div className="ff-muted ff-small">{t(`master.import.modeHint.${mode}`)}</div>
      </div>
      <Button
        type="primary"
        icon={<UploadOutlined />}
        disabled={!file || !type}
        loading={running}
        onClick={() => void start()}
        data-testid="master-import-submit"
      >
        {running ? t("master.import.running") : t("master.import.start")}
      </Button>
      {running && (
        <div className="ff-master-import-progress" data-testid="master-import-progress" data-percent={pct}>
          <Progress percent={pct} status="active" />
          <span className="ff-muted ff-small">
            {progress
              ? t("master.import.progress", {
                  read: sizeText(done, locale),
                  total: sizeText(total, locale),
                  rows: formatNumber(progress.rowsRead, locale),
                })
              : t("master.import.uploading")}
          </span>
        </div>
      )}
      {error !== null && <MasterProblem error={error} testId="master-import-error" />}
      {report && <LoadReport load={report} />}
    </div>
  );
}

/** 导入记录: the source's loads, newest first; one opens with its whole report. */
function LoadHistory({ source, generation }: { source: Source; generation: number }) {
  const t = useT();
  const locale = useLocale();
  const mobile = useIsMobile();
  const [page, setPage] = useState(1);
  const [openId, setOpenId] = useState<string | null>(null);
  const loads = useRequest(
    (signal) => listLoads({ source: source.code, page, pageSize: 10 }, signal),
    [source.code, page, generation],
  );
  const opened = useRequest((signal) => (openId ? getLoad(openId, signal) : Promise.resolve(null)), [openId]);
  const n = (v: number) => formatNumber(v, locale);
  const columns: ColumnsType<Load> = [
    {
      title: t("master.report.startedAt"),
      dataIndex: "startedAt",
      render: (v: string) => <span className="ff-nowrap">{formatDateTime(v).slice(0, 16)}</span>,
    },
    {
      title: t("master.load.status"),
      dataIndex: "status",
      render: (_, l) => <LoadStatusTag status={l.status} t={t} />,
    },
    {
      title: t("master.load.modeLabel"),
      dataIndex: "mode",
      render: (v: LoadMode) => t(`master.load.mode.${v}`),
    },
    { title: t("master.report.rowsRead"), dataIndex: "rowsRead", align: "right", render: n },
    { title: t("master.report.rowsRejected"), dataIndex: "rowsRejected", align: "right", render: n },
    {
      title: t("master.load.by"),
      dataIndex: "startedByName",
      render: (v: string | null) => v ?? t("master.load.byPull"),
    },
  ];
  const items = loads.data?.items ?? [];
  return (
    <>
      <MasterProblem error={loads.error} onRetry={loads.reload} />
      {mobile ? (
        <Spin spinning={loads.loading}>
          <div className="ff-card-list" data-testid="master-loads">
            {items.length === 0 && !loads.loading && <Empty description={t("master.load.empty")} />}
            {items.map((l) => (
              <button
                type="button"
                key={l.id}
                className="ff-staff-card ff-master-card-button"
                onClick={() => setOpenId(l.id)}
                data-testid={`master-load-row-${l.id}`}
              >
                <span className="ff-staff-card-head">
                  <strong>{formatDateTime(l.startedAt).slice(0, 16)}</strong>
                  <LoadStatusTag status={l.status} t={t} />
                </span>
                <span className="ff-small ff-muted">
                  {t(`master.load.mode.${l.mode}`)} ·{" "}
                  {t("master.load.rows", { rows: n(l.rowsRead), rejected: n(l.rowsRejected) })}
                </span>
              </button>
            ))}
          </div>
        </Spin>
      ) : (
        <Table<Load>
          rowKey="id"
          size="small"
          loading={loads.loading}
          columns={columns}
          dataSource={items}
          rowClassName="ff-clickable-row"
          onRow={(l) =>
            ({
              onClick: () => setOpenId(l.id),
              "data-testid": `master-load-row-${l.id}`,
            }) as HTMLAttributes<HTMLElement>
          }
          pagination={
            (loads.data?.total ?? 0) > 10
              ? {
                  current: page,
                  pageSize: 10,
                  total: loads.data?.total,
                  onChange: setPage,
                  showSizeChanger: false,
                }
              : false
          }
          locale={{ emptyText: <Empty description={t("master.load.empty")} /> }}
          data-testid="master-loads"
        />
      )}
      <Modal
        open={openId !== null}
        onCancel={() => setOpenId(null)}
        footer={null}
        width={mobile ? "100%" : 880}
        title={t("master.report.title")}
        destroyOnHidden
        data-testid="master-load-modal"
      >
        <MasterProblem error={opened.error} onRetry={opened.reload} />
        {opened.loading && <Spin className="ff-block-spin" />}
        {opened.data && <LoadReport load={opened.data} testId="master-load-report" />}
      </Modal>
    </>
  );
}

/** A source: its facts and mapping, a file to load (officers), and its loads. */
export function SourceDrawer({
  code,
  generation,
  mayLoad,
  onClose,
  onEdit,
  onLoaded,
}: {
  code: string | null;
  /** changes when the source or its records changed: everything loads again */
  generation: number;
  mayLoad: boolean;
  onClose: () => void;
  onEdit: (source: Source) => void;
  onLoaded: () => void;
}) {
  const t = useT();
  const locale = useLocale();
  const mobile = useIsMobile();
  const source = useRequest(
    (signal) => (code ? getSource(code, signal) : Promise.resolve(null)),
    [code, generation],
  );
  const s = source.data && source.data.code === code ? source.data : null;
  return (
    <Drawer
      open={code !== null}
      onClose={onClose}
      size={mobile ? "100%" : 880}
      destroyOnHidden
      title={s?.name ?? code ?? ""}
      extra={
        s && mayLoad ? (
          <Button icon={<EditOutlined />} onClick={() => onEdit(s)} data-testid="master-source-edit">
            {!mobile && t("master.sources.edit")}
          </Button>
        ) : undefined
      }
      data-testid="master-source-drawer"
    >
      <MasterProblem error={source.error} onRetry={source.reload} />
      {!s && source.loading && <Spin className="ff-block-spin" />}
      {s && (
        <div className="ff-master-source" data-testid={`master-source-detail-${s.code}`}>
          <Descriptions
            size="small"
            bordered
            column={mobile ? 1 : 2}
            className="ff-resource-facts"
            data-testid="master-source-facts"
          >
            <Descriptions.Item label={t("master.source.code")}>
              <span className="ff-mono">{s.code}</span>
            </Descriptions.Item>
            <Descriptions.Item label={t("master.source.base")}>
              <BaseTag base={s.base} t={t} />
            </Descriptions.Item>
            <Descriptions.Item label={t("master.source.department")}>{s.departmentName}</Descriptions.Item>
            <Descriptions.Item label={t("master.source.records")}>
              {formatNumber(s.records, locale)}
            </Descriptions.Item>
            <Descriptions.Item label={t("master.source.keyColumn")}>
              <span className="ff-mono">{s.keyColumn}</span>
            </Descriptions.Item>
            <Descriptions.Item label={t("master.source.updateCycle")}>
              {t("master.source.everyDays", { days: s.updateCycleDays })}
            </Descriptions.Item>
            <Descriptions.Item label={t("master.source.lastLoad")}>
              {s.lastLoadAt ? (
                <span title={formatDateTime(s.lastLoadAt)}>{relativeTime(s.lastLoadAt, locale)}</span>
              ) : (
                t("master.source.never")
              )}
            </Descriptions.Item>
            <Descriptions.Item label={t("master.source.pull")}>
              {s.pullUrl ? (
                <span className="ff-break">
                  <span className="ff-mono ff-small">{s.pullUrl}</span>{" "}
                  {t("master.source.pullEveryText", { minutes: s.pullEveryMinutes ?? 60 })}
                </span>
              ) : (
                t("master.source.noPull")
              )}
            </Descriptions.Item>
          </Descriptions>
          <div className="ff-form-section ff-master-section">{t("master.form.mapping")}</div>
          <ul className="ff-master-mapping-view" data-testid="master-source-mapping">
            {Object.entries(s.mapping).map(([column, field]) => (
              <li key={column}>
                <span className="ff-mono">{column}</span>
                <span className="ff-muted" aria-hidden>
                  →
                </span>
                <span>{fieldTitle(s.base, field, t)}</span>
              </li>
            ))}
          </ul>
          {mayLoad && (
            <>
              <div className="ff-form-section ff-master-section">{t("master.import.title")}</div>
              <ImportPanel source={s} onLoaded={onLoaded} />
            </>
          )}
          {mayLoad && (
            <>
              <div className="ff-form-section ff-master-section">{t("master.load.history")}</div>
              <LoadHistory source={s} generation={generation} />
            </>
          )}
        </div>
      )}
    </Drawer>
  );
}
