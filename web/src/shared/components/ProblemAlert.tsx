import { Alert } from "antd";
import { errorDetail, errorMessage } from "../errors";
import { useT } from "../i18n";

interface Props {
  error: unknown;
  /** Field errors that could not be shown next to a field. */
  extra?: { field: string; message: string }[];
  onRetry?: () => void;
  style?: React.CSSProperties;
  testId?: string;
}

/** A problem document (or any error) as an antd Alert in the user's language. */
export function ProblemAlert({ error, extra, onRetry, style, testId = "problem-alert" }: Props) {
  const t = useT();
  if (!error) return null;
  const detail = errorDetail(error, t);
  const lines = (extra ?? []).map((e) => `${e.field}: ${e.message}`);
  const description = [detail, ...lines].filter(Boolean);
  return (
    <Alert
      type="error"
      showIcon
      data-testid={testId}
      style={style}
      title={errorMessage(error, t)}
      description={description.length ? description.map((line) => <div key={line}>{line}</div>) : undefined}
      action={
        onRetry ? (
          <button type="button" className="ff-link-button" onClick={onRetry}>
            {t("common.retry")}
          </button>
        ) : undefined
      }
    />
  );
}
