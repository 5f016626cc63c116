import { AimOutlined, CameraOutlined, DeleteOutlined } from "@ant-design/icons";
import { Alert, Button, Card, Form, Input, Result, Select, Space } from "antd";
import { useRef, useState } from "react";
import { useNavigate } from "react-router";
import { PageHeader } from "../../../shared/components/PageHeader";
import { useFormSubmit } from "../../../shared/hooks/useFormSubmit";
import { useT } from "../../../shared/i18n";
import {
  MAX_PHOTO_BYTES,
  newIntentKey,
  REPORT_CATEGORIES,
  type ReportCategory,
  reportCityProblem,
} from "../../../shared/services";
import { ServiceProblem } from "./serviceParts";

interface Values {
  category: ReportCategory;
  description: string;
  address?: string;
}

/** A photo as base64 without its data: prefix, and as a data URL for the preview. */
function readPhoto(file: File): Promise<{ base64: string; preview: string }> {
  return new Promise((resolve, reject) => {
    const reader = new FileReader();
    reader.onload = () => {
      const url = String(reader.result);
      resolve({ base64: url.slice(url.indexOf(",") + 1), preview: url });
    };
    reader.onerror = () => reject(reader.error);
    reader.readAsDataURL(file);
  });
}

/** 随手拍: a citizen reports a problem in the city; it becomes a case of 一网统管. */
export function ReportPage() {
  const t = useT();
  const navigate = useNavigate();
  const [form] = Form.useForm<Values>();
  const { busy, error, unmatched, run } = useFormSubmit(form, true);
  const [photo, setPhoto] = useState<{ base64: string; preview: string; name: string } | null>(null);
  const [photoProblem, setPhotoProblem] = useState<string | null>(null);
  const [location, setLocation] = useState<{ lng: number; lat: number } | null>(null);
  const [locating, setLocating] = useState(false);
  const [locationProblem, setLocationProblem] = useState<string | null>(null);
  const [done, setDone] = useState<string | null>(null);
  const input = useRef<HTMLInputElement>(null);
  const key = useRef(newIntentKey());

  const pickPhoto = async (file: File) => {
    setPhotoProblem(null);
    if (!["image/jpeg", "image/png"].includes(file.type)) {
      setPhotoProblem(t("services.report.photoType"));
      return;
    }
    if (file.size > MAX_PHOTO_BYTES) {
      setPhotoProblem(t("services.report.photoSize"));
      return;
    }
    const read = await readPhoto(file);
    setPhoto({ ...read, name: file.name });
  };

  const locate = () => {
    setLocationProblem(null);
    if (!("geolocation" in navigator)) {
      setLocationProblem(t("services.report.noGeolocation"));
      return;
    }
    setLocating(true);
    navigator.geolocation.getCurrentPosition(
      (pos) => {
        setLocation({
          lng: Math.round(pos.coords.longitude * 1e6) / 1e6,
          lat: Math.round(pos.coords.latitude * 1e6) / 1e6,
        });
        setLocating(false);
      },
      () => {
        setLocationProblem(t("services.report.locationDenied"));
        setLocating(false);
      },
      { enableHighAccuracy: true, timeout: 10_000 },
    );
  };

  const submit = (values: Values) =>
    run(async () => {
      const address = values.address?.trim();
      const created = await reportCityProblem(
        {
          category: values.category,
          description: values.description.trim(),
          ...(address ? { address } : {}),
          ...(location ? { location } : {}),
          ...(photo ? { photo: photo.base64 } : {}),
        },
        key.current,
      );
      setDone(String(created?.caseNo ?? created?.id ?? ""));
    });

  if (done !== null) {
    return (
      <Result
        status="success"
        title={t("services.report.done")}
        subTitle={done ? t("services.report.caseNo", { no: done }) : undefined}
        data-testid="services-report-done"
        extra={
          <Button type="primary" onClick={() => navigate("/citizen")}>
            {t("common.backHome")}
          </Button>
        }
      />
    );
  }

  return (
    <div data-testid="services-report">
      <PageHeader title={t("services.report.title")} subtitle={t("services.report.subtitle")} />
      <Card className="ff-card ff-svc-report-card">
        <Form<Values>
          form={form}
          layout="vertical"
          onFinish={(v) => void submit(v)}
          onValuesChange={() => {
            key.current = newIntentKey();
          }}
        >
          <Form.Item
            name="category"
            label={t("services.report.category")}
            rules={[{ required: true, message: t("services.report.categoryRequired") }]}
          >
            <Select
              placeholder={t("services.report.categoryPlaceholder")}
              options={REPORT_CATEGORIES.map((c) => ({ value: c, label: t(`services.report.cat.${c}`) }))}
              data-testid="services-report-category"
            />
          </Form.Item>
          <Form.Item
            name="description"
            label={t("services.report.description")}
            rules={[
              { required: true, whitespace: true, message: t("services.report.descriptionRequired") },
              { min: 5, message: t("services.form.err.minLength", { limit: 5 }) },
            ]}
          >
            <Input.TextArea
              rows={4}
              maxLength={1000}
              showCount
              placeholder={t("services.report.descriptionPlaceholder")}
              data-testid="services-report-description"
            />
          </Form.Item>
          <Form.Item name="address" label={t("services.report.address")}>
            <Input
              maxLength={200}
              placeholder={t("services.report.addressPlaceholder")}
              data-testid="services-report-address"
            />
          </Form.Item>
          <Form.Item label={t("services.report.location")}>
            <Space wrap>
              <Button
                icon={<AimOutlined />}
                onClick={locate}
                loading={locating}
                data-testid="services-report-locate"
              >
                {t("services.report.useLocation")}
              </Button>
              {location && (
                <span className="ff-mono ff-small" data-testid="services-report-location">
                  {location.lng}, {location.lat}
                </span>
              )}
            </Space>
            {locationProblem && <div className="ff-svc-field-error">{locationProblem}</div>}
          </Form.Item>
          <Form.Item label={t("services.report.photo")} extra={t("services.report.photoHint")}>
            <input
              ref={input}
              type="file"
              style={{ display: "none" }}
              accept="image/jpeg,image/png"
              capture="environment"
              data-testid="services-report-photo-input"
              onChange={(e) => {
                const file = e.target.files?.[0];
                e.target.value = "";
                if (file) void pickPhoto(file);
              }}
            />
            {photo ? (
              <div className="ff-svc-photo">
                <img src={photo.preview} alt={photo.name} />
                <Button icon={<DeleteOutlined />} onClick={() => setPhoto(null)}>
                  {t("services.materials.delete")}
                </Button>
              </div>
            ) : (
              <Button
                icon={<CameraOutlined />}
                onClick={() => input.current?.click()}
                data-testid="services-report-photo"
              >
                {t("services.report.addPhoto")}
              </Button>
            )}
            {photoProblem && (
              <Alert type="error" showIcon title={photoProblem} className="ff-svc-material-alert" />
            )}
          </Form.Item>
          <ServiceProblem error={error} extra={unmatched} />
          <Button type="primary" htmlType="submit" loading={busy} block data-testid="services-report-submit">
            {t("services.report.submit")}
          </Button>
        </Form>
      </Card>
    </div>
  );
}
