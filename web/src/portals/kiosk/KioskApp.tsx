import {
  AccountBookOutlined,
  AppstoreOutlined,
  ArrowLeftOutlined,
  AuditOutlined,
  BuildOutlined,
  CarOutlined,
  CoffeeOutlined,
  EnvironmentOutlined,
  FileTextOutlined,
  FlagOutlined,
  FormOutlined,
  GiftOutlined,
  HeartOutlined,
  HomeOutlined,
  LoginOutlined,
  LogoutOutlined,
  MedicineBoxOutlined,
  ReadOutlined,
  SafetyCertificateOutlined,
  SearchOutlined,
  ShopOutlined,
  SmileOutlined,
  SolutionOutlined,
  StopOutlined,
  TeamOutlined,
} from "@ant-design/icons";
import { Button, ConfigProvider, Empty, Input, Pagination, Result, Skeleton, Spin } from "antd";
import { type ReactNode, useEffect, useState } from "react";
import { Route, Routes, useLocation, useNavigate, useParams, useSearchParams } from "react-router";
import { useAuth } from "../../shared/auth";
import { BrandMark } from "../../shared/components/BrandMark";
import { LanguageSwitcher } from "../../shared/components/LanguageSwitcher";
import { useRequest } from "../../shared/hooks/useRequest";
import { useT } from "../../shared/i18n";
import { positiveInt } from "../../shared/params";
import { getApplication, getService, listServices } from "../../shared/services";
import { ApplyFlow } from "../citizen/services/ApplyFlow";
import { Receipt } from "../citizen/services/Receipt";
import { ServiceCard } from "../citizen/services/ServiceCard";
import { ServiceGuide, useCanApply } from "../citizen/services/ServiceGuidePage";
import { lifeEventName, ServiceProblem } from "../citizen/services/serviceParts";
import { IdleGuard } from "./IdleGuard";
import "./kiosk.css";

const EVENT_ICONS: Record<string, ReactNode> = {
  birth: <SmileOutlined />,
  school: <ReadOutlined />,
  employment: <SolutionOutlined />,
  marriage: <HeartOutlined />,
  housing: <HomeOutlined />,
  residence: <EnvironmentOutlined />,
  "social-security": <SafetyCertificateOutlined />,
  health: <MedicineBoxOutlined />,
  retirement: <CoffeeOutlined />,
  disability: <TeamOutlined />,
  assistance: <GiftOutlined />,
  "military-service": <FlagOutlined />,
  death: <FileTextOutlined />,
  "start-business": <ShopOutlined />,
  "run-business": <AuditOutlined />,
  construction: <BuildOutlined />,
  "city-management": <CarOutlined />,
  tax: <AccountBookOutlined />,
  "close-business": <StopOutlined />,
};

/** Touch-sized controls and large type for a self-service terminal. */
const KIOSK_THEME = {
  token: { fontSize: 20, controlHeight: 56, controlHeightLG: 64, controlHeightSM: 44 },
};

function KioskSearch({ initial = "" }: { initial?: string }) {
  const t = useT();
  const navigate = useNavigate();
  const [draft, setDraft] = useState(initial);
  useEffect(() => setDraft(initial), [initial]);
  return (
    <Input.Search
      size="large"
      value={draft}
      onChange={(e) => setDraft(e.target.value)}
      onSearch={(v) => navigate(`/kiosk/services${v.trim() ? `?q=${encodeURIComponent(v.trim())}` : ""}`)}
      placeholder={t("services.hall.searchPlaceholder")}
      enterButton={
        <span>
          <SearchOutlined /> {t("common.search")}
        </span>
      }
      className="ff-kiosk-search"
      data-testid="kiosk-search"
    />
  );
}

/** 自助终端 start page: one big search and the life events as tiles. */
function KioskHome() {
  const t = useT();
  const navigate = useNavigate();
  const facets = useRequest((signal) => listServices({ page: 1, pageSize: 1 }, signal), []);
  return (
    <div data-testid="kiosk-home">
      <h1 className="ff-kiosk-title">{t("services.kiosk.welcome")}</h1>
      <p className="ff-kiosk-lead">{t("services.kiosk.lead")}</p>
      <KioskSearch />
      <ServiceProblem error={facets.error} onRetry={facets.reload} />
      <div className="ff-kiosk-tiles" data-testid="kiosk-tiles">
        {(facets.data?.facets.lifeEvents ?? []).map((f) => (
          <button
            type="button"
            key={f.key}
            className="ff-kiosk-tile"
            onClick={() => navigate(`/kiosk/services?lifeEvent=${encodeURIComponent(f.key)}`)}
            data-testid={`kiosk-tile-${f.key}`}
          >
            <span className="ff-kiosk-tile-icon">{EVENT_ICONS[f.key] ?? <AppstoreOutlined />}</span>
            <span className="ff-kiosk-tile-name">{lifeEventName(f.key, t, f.name)}</span>
            <span className="ff-kiosk-tile-count">{t("services.kiosk.items", { count: f.count })}</span>
          </button>
        ))}
        <button
          type="button"
          className="ff-kiosk-tile"
          onClick={() => navigate("/kiosk/services")}
          data-testid="kiosk-tile-all"
        >
          <span className="ff-kiosk-tile-icon">
            <AppstoreOutlined />
          </span>
          <span className="ff-kiosk-tile-name">{t("services.kiosk.all")}</span>
          <span className="ff-kiosk-tile-count">
            {facets.data ? t("services.kiosk.items", { count: facets.data.total }) : ""}
          </span>
        </button>
      </div>
    </div>
  );
}

const PAGE_SIZE = 8;

function KioskResults() {
  const t = useT();
  const [params, setParams] = useSearchParams();
  const q = params.get("q") ?? "";
  const lifeEvent = params.get("lifeEvent") ?? "";
  const page = positiveInt(params.get("page"), 1);
  const list = useRequest(
    (signal) => listServices({ q, lifeEvent, page, pageSize: PAGE_SIZE }, signal),
    [q, lifeEvent, page],
  );
  const eventName = lifeEvent
    ? lifeEventName(lifeEvent, t, list.data?.facets.lifeEvents.find((f) => f.key === lifeEvent)?.name)
    : null;
  return (
    <div data-testid="kiosk-results">
      <BackButton to="/kiosk" />
      <KioskSearch initial={q} />
      <h2 className="ff-kiosk-subtitle">
        {eventName ?? (q ? t("services.kiosk.resultsFor", { q }) : t("services.kiosk.all"))}
      </h2>
      <ServiceProblem error={list.error} onRetry={list.reload} />
      <Spin spinning={list.loading}>
        <div className="ff-kiosk-results">
          {(list.data?.items ?? []).map((s) => (
            <ServiceCard key={s.id} service={s} to={`/kiosk/services/${s.id}`} large />
          ))}
          {list.data && list.data.items.length === 0 && <Empty description={t("services.hall.none")} />}
        </div>
      </Spin>
      {(list.data?.total ?? 0) > PAGE_SIZE && (
        <Pagination
          className="ff-pagination"
          current={page}
          pageSize={PAGE_SIZE}
          total={list.data?.total ?? 0}
          showSizeChanger={false}
          onChange={(p) => {
            const next = new URLSearchParams(params);
            next.set("page", String(p));
            setParams(next);
          }}
        />
      )}
    </div>
  );
}

function BackButton({ to }: { to?: string }) {
  const t = useT();
  const navigate = useNavigate();
  return (
    <Button
      icon={<ArrowLeftOutlined />}
      onClick={() => (to ? navigate(to) : navigate(-1))}
      className="ff-kiosk-back"
      data-testid="kiosk-back"
    >
      {t("services.kiosk.back")}
    </Button>
  );
}

function KioskGuide() {
  const t = useT();
  const { id = "" } = useParams();
  const navigate = useNavigate();
  const service = useRequest((signal) => getService(id, signal), [id]);
  const canApply = useCanApply(service.data);
  return (
    <div data-testid="kiosk-guide">
      <BackButton />
      <ServiceProblem error={service.error} onRetry={service.reload} />
      {!service.data && !service.error && <Skeleton active />}
      {service.data && (
        <>
          <h1 className="ff-kiosk-title">{service.data.name}</h1>
          <p className="ff-kiosk-lead">{service.data.department.name}</p>
          <ServiceGuide service={service.data} large />
          <div className="ff-kiosk-bottom-bar">
            <Button
              type="primary"
              size="large"
              icon={<FormOutlined />}
              disabled={!canApply}
              onClick={() => navigate(`/kiosk/services/${id}/apply`)}
              data-testid="kiosk-apply"
            >
              {t("services.guide.apply")}
            </Button>
          </div>
        </>
      )}
    </div>
  );
}

/** The apply flow and the receipt need a signed-in citizen or enterprise. */
function SignedIn({ children }: { children: ReactNode }) {
  const t = useT();
  const { state } = useAuth();
  const navigate = useNavigate();
  const location = useLocation();
  if (state.status === "loading") return <Spin size="large" className="ff-kiosk-spin" />;
  if (state.status !== "signed-in") {
    const here = location.pathname + location.search;
    return (
      <Result
        status="info"
        title={t("services.kiosk.signInTitle")}
        subTitle={t("services.kiosk.signInHint")}
        data-testid="kiosk-sign-in-needed"
        extra={
          <Button
            type="primary"
            size="large"
            icon={<LoginOutlined />}
            data-testid="kiosk-sign-in"
            onClick={() => {
              navigate("/login?tab=public", { state: { from: here } });
            }}
          >
            {t("services.kiosk.signIn")}
          </Button>
        }
      />
    );
  }
  return <>{children}</>;
}

function KioskApply() {
  const t = useT();
  const { id = "" } = useParams();
  const navigate = useNavigate();
  const service = useRequest((signal) => getService(id, signal), [id]);
  return (
    <div data-testid="kiosk-apply-page">
      <BackButton to={`/kiosk/services/${id}`} />
      <h1 className="ff-kiosk-title">{service.data?.name ?? t("services.apply.title")}</h1>
      <ApplyFlow
        serviceId={id}
        kiosk
        onSubmitted={(app) => navigate(`/kiosk/receipt/${app.id}`, { replace: true })}
      />
    </div>
  );
}

function KioskReceipt() {
  const t = useT();
  const { id = "" } = useParams();
  const navigate = useNavigate();
  const { signOut } = useAuth();
  const app = useRequest((signal) => getApplication(id, signal), [id]);
  return (
    <div data-testid="kiosk-receipt">
      <Result
        status="success"
        title={t("services.apply.submitted")}
        subTitle={t("services.kiosk.receiptHint")}
      />
      <ServiceProblem error={app.error} onRetry={app.reload} />
      {app.data && <Receipt app={app.data} large />}
      <div className="ff-kiosk-bottom-bar ff-svc-no-print">
        <Button
          size="large"
          icon={<HomeOutlined />}
          onClick={() => navigate("/kiosk")}
          data-testid="kiosk-home-button"
        >
          {t("services.kiosk.home")}
        </Button>
        <Button
          size="large"
          danger
          icon={<LogoutOutlined />}
          onClick={() => void signOut().then(() => navigate("/kiosk", { replace: true }))}
          data-testid="kiosk-sign-out-done"
        >
          {t("services.kiosk.finish")}
        </Button>
      </div>
    </div>
  );
}

function KioskHeader() {
  const t = useT();
  const { me, signOut } = useAuth();
  const navigate = useNavigate();
  const [now, setNow] = useState(() => new Date());
  useEffect(() => {
    const timer = window.setInterval(() => setNow(new Date()), 30_000);
    return () => window.clearInterval(timer);
  }, []);
  const time = new Intl.DateTimeFormat("zh-CN", {
    timeZone: "Asia/Shanghai",
    month: "long",
    day: "numeric",
    weekday: "short",
    hour: "2-digit",
    minute: "2-digit",
    hourCycle: "h23",
  }).format(now);
  return (
    <header className="ff-kiosk-header ff-svc-no-print">
      <button
        type="button"
        className="ff-kiosk-brand"
        onClick={() => navigate("/kiosk")}
        data-testid="kiosk-brand"
      >
        <BrandMark size={44} />
        <span>
          <span className="ff-kiosk-brand-name">{t("services.kiosk.name")}</span>
          <span className="ff-kiosk-brand-sub">{t("app.name")}</span>
        </span>
      </button>
      <span className="ff-kiosk-clock">{time}</span>
      <LanguageSwitcher />
      {me ? (
        <Button
          size="large"
          icon={<LogoutOutlined />}
          onClick={() => void signOut().then(() => navigate("/kiosk", { replace: true }))}
          data-testid="kiosk-sign-out"
        >
          {t("services.kiosk.signOut", { name: me.displayName })}
        </Button>
      ) : null}
    </header>
  );
}

/** The self-service terminal (自助终端): a full-screen layout of its own, without the app shell. */
export function KioskApp() {
  return (
    <ConfigProvider theme={KIOSK_THEME} componentSize="large">
      <div className="ff-kiosk" data-testid="kiosk">
        <KioskHeader />
        <main className="ff-kiosk-main">
          <Routes>
            <Route index element={<KioskHome />} />
            <Route path="services" element={<KioskResults />} />
            <Route path="services/:id" element={<KioskGuide />} />
            <Route
              path="services/:id/apply"
              element={
                <SignedIn>
                  <KioskApply />
                </SignedIn>
              }
            />
            <Route
              path="receipt/:id"
              element={
                <SignedIn>
                  <KioskReceipt />
                </SignedIn>
              }
            />
            <Route path="*" element={<KioskHome />} />
          </Routes>
        </main>
        <IdleGuard />
      </div>
    </ConfigProvider>
  );
}
