import { WarningOutlined } from "@ant-design/icons";
import { Button, Card, Table, Tag } from "antd";
import { formatDateTime } from "../../shared/format";
import { useT } from "../../shared/i18n";
import type { ModelProblem, ProcessVersion } from "../../shared/workflow";

/** The server's objections to a model; one naming an element selects it on the canvas. */
export function ProblemList({
  problems,
  onFocus,
}: {
  problems: ModelProblem[];
  onFocus: (elementId: string) => void;
}) {
  const t = useT();
  return (
    <Card
      className="ff-card ff-problems-card"
      size="small"
      title={
        <span className="ff-problems-title">
          <WarningOutlined /> {t("modeler.problems", { count: problems.length })}
        </span>
      }
      data-testid="modeler-problems"
    >
      <ol className="ff-model-problems">
        {problems.map((problem, i) => (
          // biome-ignore lint/suspicious/noArrayIndexKey: problems may repeat and have no id
          <li key={i} data-testid={`modeler-problem-${i}`}>
            {problem.elementId ? (
              <button
                type="button"
                className="ff-link-button ff-mono"
                onClick={() => onFocus(problem.elementId ?? "")}
              >
                {problem.elementId}
              </button>
            ) : (
              <span className="ff-muted">{t("modeler.wholeModel")}</span>
            )}
            <div>{problem.message}</div>
          </li>
        ))}
      </ol>
    </Card>
  );
}

/** Deployed versions, newest first; any one can be opened on the canvas as the base of a new version. */
export function VersionList({
  versions,
  shown,
  onOpen,
}: {
  versions: ProcessVersion[];
  shown: number | null;
  onOpen: (version: number) => void;
}) {
  const t = useT();
  const sorted = [...versions].sort((a, b) => b.version - a.version);
  return (
    <Card className="ff-card" size="small" title={t("process.versions")} data-testid="process-versions">
      <Table<ProcessVersion>
        rowKey="version"
        size="small"
        pagination={sorted.length > 10 ? { pageSize: 10, size: "small" } : false}
        dataSource={sorted}
        columns={[
          {
            title: t("process.version"),
            dataIndex: "version",
            width: 64,
            render: (v: number) => (
              <span data-testid={`process-version-${v}`}>
                {t("process.versionTag", { version: v })}
                {v === shown && (
                  <Tag color="blue" className="ff-version-shown">
                    {t("process.shown")}
                  </Tag>
                )}
              </span>
            ),
          },
          {
            title: t("process.deployedAt"),
            dataIndex: "deployedAt",
            render: (v: string) => <span className="ff-small">{formatDateTime(v).slice(0, 16)}</span>,
          },
          { title: t("process.activeInstances"), dataIndex: "activeInstances", width: 72, align: "right" },
          {
            key: "open",
            width: 56,
            render: (_, row) =>
              row.version === shown ? null : (
                <Button
                  size="small"
                  type="link"
                  onClick={() => onOpen(row.version)}
                  data-testid={`process-version-open-${row.version}`}
                >
                  {t("process.open")}
                </Button>
              ),
          },
        ]}
      />
    </Card>
  );
}
