import { DeleteOutlined, FileOutlined, UploadOutlined } from "@ant-design/icons";
import { Alert, Button, Popconfirm, Progress, Tag, Tooltip, Typography } from "antd";
import { useRef, useState } from "react";
import { type Translate, useT } from "../../../shared/i18n";
import {
  type ApplicationView,
  DEFAULT_ACCEPT,
  deleteMaterial,
  getApplication,
  MAX_MATERIAL_BYTES,
  type MaterialSpec,
  type MaterialView,
  materialContentUrl,
  uploadMaterial,
} from "../../../shared/services";
import { serviceErrorMessage } from "./serviceParts";

/** "1.2 MB", "830 KB" */
export function sizeText(bytes: number): string {
  if (bytes >= 1024 * 1024) return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
  if (bytes >= 1024) return `${Math.round(bytes / 1024)} KB`;
  return `${bytes} B`;
}

const TYPE_NAMES: Record<string, string> = {
  "application/pdf": "PDF",
  "image/jpeg": "JPG",
  "image/png": "PNG",
  "application/ofd": "OFD",
};

function acceptText(accept: readonly string[]): string {
  return accept.map((m) => TYPE_NAMES[m] ?? m.split("/").pop()?.toUpperCase()).join(" / ");
}

/** Why a file cannot go: the wrong type or too large; null when it can. */
export function fileProblem(file: File, accept: readonly string[], t: Translate): string | null {
  const byExtension: Record<string, string> = {
    pdf: "application/pdf",
    jpg: "image/jpeg",
    jpeg: "image/jpeg",
    png: "image/png",
    ofd: "application/ofd",
  };
  const type = file.type || byExtension[file.name.split(".").pop()?.toLowerCase() ?? ""] || "";
  if (!accept.includes(type)) return t("services.materials.wrongType", { types: acceptText(accept) });
  if (file.size > MAX_MATERIAL_BYTES) return t("services.materials.tooLarge", { max: "10 MB" });
  if (file.size === 0) return t("services.materials.empty");
  return null;
}

interface Row {
  code: string;
  name: string;
  mandatory: boolean;
  sharedData?: boolean | undefined;
  spec: MaterialSpec | undefined;
}

interface Props {
  application: ApplicationView | null;
  specs: MaterialSpec[];
  /** Creates the draft the first upload needs (or returns the one there is). */
  ensureDraft: () => Promise<ApplicationView>;
  onChanged: (application: ApplicationView) => void;
  editable: boolean;
  /** material code → what the clerk asked to correct */
  corrections?: Record<string, string>;
}

/** 申请材料: each required material with its tags, its uploaded files (name, size, hash) and an upload. */
export function MaterialsPanel({ application, specs, ensureDraft, onChanged, editable, corrections }: Props) {
  const t = useT();
  const specOf = (code: string) => specs.find((s) => s.code === code);
  const rows: Row[] = application
    ? application.requiredMaterials.map((m) => ({ ...m, spec: specOf(m.code) }))
    : specs.map((s) => ({ code: s.code, name: s.name, mandatory: s.mandatory, spec: s }));
  const files = application?.materials ?? [];
  return (
    <div className="ff-svc-materials" data-testid="services-materials">
      {rows.length === 0 && <div className="ff-muted">{t("services.materials.none")}</div>}
      {rows.map((row) => (
        <MaterialRow
          key={row.code}
          row={row}
          files={files.filter((f) => f.code === row.code)}
          application={application}
          ensureDraft={ensureDraft}
          onChanged={onChanged}
          editable={editable}
          correction={corrections?.[row.code]}
          t={t}
        />
      ))}
    </div>
  );
}

function MaterialRow({
  row,
  files,
  application,
  ensureDraft,
  onChanged,
  editable,
  correction,
  t,
}: {
  row: Row;
  files: MaterialView[];
  application: ApplicationView | null;
  ensureDraft: () => Promise<ApplicationView>;
  onChanged: (application: ApplicationView) => void;
  editable: boolean;
  correction: string | undefined;
  t: Translate;
}) {
  const input = useRef<HTMLInputElement>(null);
  const [progress, setProgress] = useState<number | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  const [deleting, setDeleting] = useState<string | null>(null);
  const accept = row.spec?.accept?.length ? row.spec.accept : DEFAULT_ACCEPT;
  const shared = row.spec?.sharedData === true || row.sharedData === true;

  const upload = async (file: File) => {
    setProblem(null);
    const refused = fileProblem(file, accept, t);
    if (refused) {
      setProblem(refused);
      return;
    }
    setProgress(0);
    try {
      const draft = await ensureDraft();
      await uploadMaterial(draft.id, row.code, file, setProgress);
      onChanged(await getApplication(draft.id));
    } catch (error) {
      setProblem(serviceErrorMessage(error, t));
    } finally {
      setProgress(null);
    }
  };

  const remove = async (file: MaterialView) => {
    if (!application) return;
    setDeleting(file.id);
    setProblem(null);
    try {
      await deleteMaterial(application.id, file.id);
      onChanged(await getApplication(application.id));
    } catch (error) {
      setProblem(serviceErrorMessage(error, t));
    } finally {
      setDeleting(null);
    }
  };

  return (
    <div
      className={`ff-svc-material${correction ? " ff-svc-material-correct" : ""}`}
      data-testid={`services-material-${row.code}`}
      data-uploaded={files.length > 0 ? "true" : "false"}
    >
      <div className="ff-svc-material-head">
        <div className="ff-svc-material-name">
          <FileOutlined /> <strong>{row.name}</strong>
          <span className="ff-svc-material-tags">
            {!shared &&
              (row.mandatory ? (
                <Tag color="red">{t("services.materials.mandatory")}</Tag>
              ) : (
                <Tag>{t("services.materials.optional")}</Tag>
              ))}
            {shared && <Tag color="green">{t("services.materials.shared")}</Tag>}
            {row.spec?.certificateType && <Tag color="blue">{t("services.materials.certificate")}</Tag>}
          </span>
        </div>
        {editable && (
          <>
            <input
              ref={input}
              type="file"
              style={{ display: "none" }}
              accept={accept.join(",")}
              data-testid={`services-material-input-${row.code}`}
              onChange={(e) => {
                const file = e.target.files?.[0];
                e.target.value = "";
                if (file) void upload(file);
              }}
            />
            <Button
              icon={<UploadOutlined />}
              onClick={() => input.current?.click()}
              loading={progress !== null}
              data-testid={`services-material-upload-${row.code}`}
            >
              {files.length ? t("services.materials.uploadMore") : t("services.materials.upload")}
            </Button>
          </>
        )}
      </div>
      <div className="ff-muted ff-small">
        {row.spec?.note && <div>{row.spec.note}</div>}
        {t("services.materials.accept", { types: acceptText(accept), max: "10 MB" })}
      </div>
      {correction && (
        <Alert
          type="warning"
          showIcon
          className="ff-svc-material-alert"
          title={t("services.form.correct", { note: correction })}
        />
      )}
      {progress !== null && (
        <Progress percent={progress} size="small" data-testid={`services-material-progress-${row.code}`} />
      )}
      {problem && (
        <Alert
          type="error"
          showIcon
          className="ff-svc-material-alert"
          title={problem}
          data-testid={`services-material-error-${row.code}`}
        />
      )}
      {files.map((file) => (
        <div key={file.id} className="ff-svc-file" data-testid={`services-file-${file.id}`}>
          <a
            href={application ? materialContentUrl(application.id, file.id) : undefined}
            target="_blank"
            rel="noreferrer"
            className="ff-svc-file-name"
          >
            {file.fileName}
          </a>
          <span className="ff-muted ff-small ff-nowrap">{sizeText(file.size)}</span>
          <Tooltip title={`SHA-256 ${file.sha256}`}>
            <Typography.Text
              className="ff-mono ff-small ff-svc-hash"
              copyable={{ text: file.sha256 }}
              data-testid="services-file-hash"
            >
              {file.sha256.slice(0, 12)}…
            </Typography.Text>
          </Tooltip>
          {editable && (
            <Popconfirm
              title={t("services.materials.deleteConfirm")}
              onConfirm={() => void remove(file)}
              okText={t("common.ok")}
              cancelText={t("common.cancel")}
            >
              <Button
                size="small"
                type="text"
                danger
                icon={<DeleteOutlined />}
                loading={deleting === file.id}
                aria-label={t("services.materials.delete")}
                data-testid={`services-file-delete-${file.id}`}
              />
            </Popconfirm>
          )}
        </div>
      ))}
    </div>
  );
}
