import { Alert, Button, Form, Input, Radio, Rate } from "antd";
import { useRef, useState } from "react";
import { type Translate, useT } from "../../../shared/i18n";
import {
  type ApplicationView,
  EVALUATION_INDICATORS,
  type EvaluationIndicator,
  newIntentKey,
  OFFLINE_EVALUATION_INDICATORS,
  rateApplication,
} from "../../../shared/services";
import { ServiceProblem } from "./serviceParts";

/** 5 非常满意 … 1 非常不满意 (好差评 five levels) */
const LEVELS = [5, 4, 3, 2, 1] as const;

export function ratingName(rating: number, t: Translate): string {
  const level = Math.min(5, Math.max(1, Math.round(rating))) as (typeof LEVELS)[number];
  return t(`services.rating.${level}`);
}

interface Values {
  rating: number;
  indicators: Partial<Record<EvaluationIndicator, number>>;
  comment?: string;
}

/** 好差评 after the decision: the overall level, the five online indicators and an optional comment. */
export function EvaluationForm({
  app,
  onRated,
  large = false,
}: {
  app: ApplicationView;
  onRated: (app: ApplicationView) => void;
  large?: boolean;
}) {
  const t = useT();
  const [form] = Form.useForm<Values>();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const inFlight = useRef(false);
  const rating = Form.useWatch("rating", form);
  const tooltips = LEVELS.map((l) => t(`services.rating.${l}`)).reverse();

  const submit = async (values: Values) => {
    if (inFlight.current) return;
    inFlight.current = true;
    setBusy(true);
    setError(null);
    try {
      const indicators = Object.fromEntries(
        Object.entries(values.indicators ?? {}).filter(([, v]) => typeof v === "number" && v > 0),
      );
      const comment = values.comment?.trim();
      const rated = await rateApplication(
        app.id,
        { rating: values.rating, indicators, ...(comment ? { comment } : {}) },
        newIntentKey(),
      );
      onRated(rated);
    } catch (e) {
      setError(e);
    } finally {
      inFlight.current = false;
      setBusy(false);
    }
  };

  return (
    <Form<Values>
      form={form}
      layout="vertical"
      onFinish={(v) => void submit(v)}
      className={large ? "ff-svc-evaluation ff-svc-evaluation-large" : "ff-svc-evaluation"}
      data-testid="services-evaluation-form"
      initialValues={{ indicators: {} }}
    >
      <Form.Item
        name="rating"
        label={t("services.evaluation.rating")}
        rules={[{ required: true, message: t("services.evaluation.ratingRequired") }]}
      >
        <Radio.Group className="ff-svc-rating" data-testid="services-evaluation-rating">
          {LEVELS.map((l) => (
            <Radio.Button key={l} value={l}>
              <span data-testid={`services-rating-${l}`}>{t(`services.rating.${l}`)}</span>
            </Radio.Button>
          ))}
        </Radio.Group>
      </Form.Item>
      <div className="ff-svc-indicators">
        {(app.channel === "window" ? OFFLINE_EVALUATION_INDICATORS : EVALUATION_INDICATORS).map((key) => (
          <Form.Item
            key={key}
            name={["indicators", key]}
            label={t(`services.indicator.${key}`)}
            className="ff-svc-indicator"
          >
            <Rate tooltips={tooltips} data-testid={`services-indicator-${key}`} />
          </Form.Item>
        ))}
      </div>
      {typeof rating === "number" && rating <= 2 && (
        <Alert type="info" showIcon className="ff-svc-section" title={t("services.evaluation.lowHint")} />
      )}
      <Form.Item name="comment" label={t("services.evaluation.comment")}>
        <Input.TextArea
          rows={3}
          maxLength={500}
          showCount
          placeholder={t("services.evaluation.commentPlaceholder")}
          data-testid="services-evaluation-comment"
        />
      </Form.Item>
      <ServiceProblem error={error} />
      <Button type="primary" htmlType="submit" loading={busy} data-testid="services-evaluation-submit">
        {t("services.evaluation.submit")}
      </Button>
    </Form>
  );
}
