import {
  IdcardOutlined,
  LockOutlined,
  MessageOutlined,
  MobileOutlined,
  SafetyOutlined,
  UserOutlined,
} from "@ant-design/icons";
import { Alert, Button, Card, Divider, Form, Input, Segmented, Tabs } from "antd";
import { useEffect, useRef, useState } from "react";
import { Navigate, useLocation, useNavigate, useSearchParams } from "react-router";
import { ApiError, api, isApiError } from "../api";
import { homePath, useAuth } from "../auth";
import { BrandMark } from "../components/BrandMark";
import { LanguageSwitcher } from "../components/LanguageSwitcher";
import { applyFieldErrors, errorDetail, errorMessage } from "../errors";
import { formatDateTime } from "../format";
import type { LoginRedirectState } from "../guards";
import { useMediaQuery } from "../hooks/useMediaQuery";
import { useRequest } from "../hooks/useRequest";
import { type Translate, useT } from "../i18n";
import { PORTALS, portalOfPath } from "../portals";
import type { Me, Providers, SignInResult } from "../types";
import { FullPageSpin } from "./StatusPages";

const PHONE = /^1[3-9]\d{9}$/;
const SIX_DIGITS = /^\d{6}$/;
const SMS_COOLDOWN_SECONDS = 60;

interface ShownProblem {
  title: string;
  description?: string;
}

/** The sign-in problems the page words itself; anything else uses the shared messages. */
function describeSignInError(error: unknown, t: Translate): ShownProblem {
  if (isApiError(error)) {
    if (error.code === "ACCOUNT_LOCKED" || error.status === 423) {
      const until = typeof error.problem.lockedUntil === "string" ? error.problem.lockedUntil : null;
      return {
        title: t("problem.ACCOUNT_LOCKED"),
        description: until
          ? t("login.lockedUntil", { time: formatDateTime(until) })
          : (error.detail ?? undefined),
      };
    }
    if (error.status === 429 || error.code === "RATE_LIMITED") {
      return { title: t("problem.RATE_LIMITED"), description: t("login.rateLimitedHint") };
    }
    if (error.code === "INVALID_CREDENTIALS") return { title: t("problem.INVALID_CREDENTIALS") };
  }
  const description = errorDetail(error, t);
  return { title: errorMessage(error, t), ...(description ? { description } : {}) };
}

function maskPhone(phone: string): string {
  return phone.length === 11 ? `${phone.slice(0, 3)}****${phone.slice(7)}` : phone;
}

/** Where to go after signing in: back to the page that sent the user here if they may see it. */
function destination(me: Me, from: string | undefined): string {
  // The self-service kiosk is no portal of its own: citizens and enterprises sign in there to apply.
  if (from?.startsWith("/kiosk") && me.portals.includes("citizen")) return from;
  if (from && from !== "/" && !from.startsWith("/login")) {
    const portal = portalOfPath(from);
    if (portal && me.portals.includes(portal)) return from;
  }
  return homePath(me);
}

function useFinishSignIn() {
  const { signedIn } = useAuth();
  const navigate = useNavigate();
  const location = useLocation();
  const from = (location.state as LoginRedirectState | null)?.from;
  return (me: Me) => {
    signedIn(me);
    navigate(destination(me, from), { replace: true });
  };
}

function SignInProblem({ problem, testId }: { problem: ShownProblem | null; testId: string }) {
  if (!problem) return null;
  return (
    <Alert
      type="error"
      showIcon
      className="ff-login-alert"
      data-testid={testId}
      title={problem.title}
      description={problem.description}
    />
  );
}

interface StaffValues {
  username: string;
  password: string;
  totp?: string;
}

function StaffSignIn() {
  const t = useT();
  const [form] = Form.useForm<StaffValues>();
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<ShownProblem | null>(null);
  const finish = useFinishSignIn();

  const submit = async (values: StaffValues) => {
    setBusy(true);
    setProblem(null);
    try {
      const totp = values.totp?.trim();
      const result = await api.post<SignInResult>("/api/auth/login", {
        username: values.username.trim(),
        password: values.password,
        ...(totp ? { totp } : {}),
      });
      finish(result.user);
    } catch (error) {
      if (isApiError(error) && (error.code === "TOTP_REQUIRED" || error.code === "INVALID_TOTP")) {
        form.setFields([
          {
            name: "totp",
            errors: [t(error.code === "TOTP_REQUIRED" ? "problem.TOTP_REQUIRED" : "problem.INVALID_TOTP")],
          },
        ]);
        form.getFieldInstance("totp")?.focus?.();
      } else {
        const unmatched = applyFieldErrors(form, error, t);
        if (!(error instanceof ApiError && error.errors.length > 0 && unmatched.length === 0)) {
          setProblem(describeSignInError(error, t));
        }
      }
    } finally {
      setBusy(false);
    }
  };

  return (
    <Form
      form={form}
      layout="vertical"
      requiredMark={false}
      onFinish={(v) => void submit(v)}
      onValuesChange={() => setProblem(null)}
      autoComplete="on"
      data-testid="login-staff-form"
    >
      <Form.Item
        name="username"
        label={t("login.username")}
        rules={[{ required: true, whitespace: true, message: t("login.usernameRequired") }]}
      >
        <Input
          prefix={<UserOutlined />}
          autoComplete="username"
          placeholder={t("login.usernamePlaceholder")}
          data-testid="login-staff-username"
          size="large"
        />
      </Form.Item>
      <Form.Item
        name="password"
        label={t("login.password")}
        rules={[{ required: true, message: t("login.passwordRequired") }]}
      >
        <Input.Password
          prefix={<LockOutlined />}
          autoComplete="current-password"
          placeholder={t("login.passwordPlaceholder")}
          data-testid="login-staff-password"
          size="large"
        />
      </Form.Item>
      <Form.Item
        name="totp"
        label={t("login.totp")}
        extra={t("login.totpHint")}
        rules={[{ pattern: SIX_DIGITS, message: t("login.totpFormat") }]}
      >
        <Input
          prefix={<SafetyOutlined />}
          inputMode="numeric"
          autoComplete="one-time-code"
          maxLength={6}
          placeholder={t("login.totpPlaceholder")}
          data-testid="login-staff-totp"
          size="large"
        />
      </Form.Item>
      <SignInProblem problem={problem} testId="login-error" />
      <Button
        type="primary"
        htmlType="submit"
        block
        size="large"
        loading={busy}
        data-testid="login-staff-submit"
      >
        {t("login.submit")}
      </Button>
    </Form>
  );
}

interface PasswordValues {
  username: string;
  password: string;
}

function PublicPasswordSignIn() {
  const t = useT();
  const [form] = Form.useForm<PasswordValues>();
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<ShownProblem | null>(null);
  const finish = useFinishSignIn();

  const submit = async (values: PasswordValues) => {
    setBusy(true);
    setProblem(null);
    try {
      const result = await api.post<SignInResult>("/api/auth/login", {
        username: values.username.trim(),
        password: values.password,
      });
      finish(result.user);
    } catch (error) {
      const unmatched = applyFieldErrors(form, error, t);
      if (!(error instanceof ApiError && error.errors.length > 0 && unmatched.length === 0)) {
        setProblem(describeSignInError(error, t));
      }
    } finally {
      setBusy(false);
    }
  };

  return (
    <Form
      form={form}
      layout="vertical"
      requiredMark={false}
      onFinish={(v) => void submit(v)}
      onValuesChange={() => setProblem(null)}
      data-testid="login-public-password-form"
    >
      <Form.Item
        name="username"
        label={t("login.publicUsername")}
        rules={[{ required: true, whitespace: true, message: t("login.usernameRequired") }]}
      >
        <Input
          prefix={<IdcardOutlined />}
          autoComplete="username"
          placeholder={t("login.publicUsernamePlaceholder")}
          data-testid="login-public-username"
          size="large"
        />
      </Form.Item>
      <Form.Item
        name="password"
        label={t("login.password")}
        rules={[{ required: true, message: t("login.passwordRequired") }]}
      >
        <Input.Password
          prefix={<LockOutlined />}
          autoComplete="current-password"
          placeholder={t("login.passwordPlaceholder")}
          data-testid="login-public-password"
          size="large"
        />
      </Form.Item>
      <SignInProblem problem={problem} testId="login-error" />
      <Button
        type="primary"
        htmlType="submit"
        block
        size="large"
        loading={busy}
        data-testid="login-public-submit"
      >
        {t("login.submit")}
      </Button>
    </Form>
  );
}

interface SmsValues {
  phone: string;
  code: string;
}

function SmsSignIn({ demoHint }: { demoHint: boolean }) {
  const t = useT();
  const [form] = Form.useForm<SmsValues>();
  const [busy, setBusy] = useState(false);
  const [sending, setSending] = useState(false);
  const [problem, setProblem] = useState<ShownProblem | null>(null);
  const [sentTo, setSentTo] = useState<{ phone: string; expiresIn: number } | null>(null);
  const [cooldown, setCooldown] = useState(0);
  const timer = useRef<number | null>(null);
  const finish = useFinishSignIn();

  useEffect(
    () => () => {
      if (timer.current !== null) window.clearInterval(timer.current);
    },
    [],
  );

  const startCooldown = () => {
    setCooldown(SMS_COOLDOWN_SECONDS);
    if (timer.current !== null) window.clearInterval(timer.current);
    timer.current = window.setInterval(() => {
      setCooldown((s) => {
        if (s <= 1 && timer.current !== null) {
          window.clearInterval(timer.current);
          timer.current = null;
        }
        return Math.max(0, s - 1);
      });
    }, 1000);
  };

  const sendCode = async () => {
    setProblem(null);
    let phone: string;
    try {
      phone = ((await form.validateFields(["phone"])) as Pick<SmsValues, "phone">).phone.trim();
    } catch {
      return;
    }
    setSending(true);
    try {
      const result = await api.post<{ expiresIn: number }>("/api/auth/sms-code", { phone });
      setSentTo({ phone, expiresIn: result?.expiresIn ?? 300 });
      startCooldown();
      form.getFieldInstance("code")?.focus?.();
    } catch (error) {
      const unmatched = applyFieldErrors(form, error, t);
      if (!(error instanceof ApiError && error.errors.length > 0 && unmatched.length === 0)) {
        setProblem(describeSignInError(error, t));
      }
    } finally {
      setSending(false);
    }
  };

  const submit = async (values: SmsValues) => {
    setBusy(true);
    setProblem(null);
    try {
      const result = await api.post<SignInResult>("/api/auth/sms-login", {
        phone: values.phone.trim(),
        code: values.code.trim(),
      });
      finish(result.user);
    } catch (error) {
      if (isApiError(error) && error.code === "INVALID_SMS_CODE") {
        form.setFields([{ name: "code", errors: [t("problem.INVALID_SMS_CODE")] }]);
      } else {
        const unmatched = applyFieldErrors(form, error, t);
        if (!(error instanceof ApiError && error.errors.length > 0 && unmatched.length === 0)) {
          setProblem(describeSignInError(error, t));
        }
      }
    } finally {
      setBusy(false);
    }
  };

  return (
    <Form
      form={form}
      layout="vertical"
      requiredMark={false}
      onFinish={(v) => void submit(v)}
      data-testid="login-sms-form"
    >
      <Form.Item
        name="phone"
        label={t("login.phone")}
        rules={[
          { required: true, message: t("login.phoneRequired") },
          { pattern: PHONE, message: t("login.phoneFormat") },
        ]}
      >
        <Input
          prefix={<MobileOutlined />}
          inputMode="tel"
          autoComplete="tel-national"
          maxLength={11}
          placeholder={t("login.phonePlaceholder")}
          data-testid="login-phone"
          size="large"
        />
      </Form.Item>
      <Form.Item label={t("login.smsCode")} required={false}>
        <div className="ff-sms-row">
          <Form.Item
            name="code"
            noStyle
            rules={[
              { required: true, message: t("login.smsCodeRequired") },
              { pattern: SIX_DIGITS, message: t("login.smsCodeFormat") },
            ]}
          >
            <Input
              prefix={<MessageOutlined />}
              inputMode="numeric"
              autoComplete="one-time-code"
              maxLength={6}
              placeholder={t("login.smsCodePlaceholder")}
              data-testid="login-sms-code"
              size="large"
            />
          </Form.Item>
          <Button
            size="large"
            onClick={() => void sendCode()}
            loading={sending}
            disabled={cooldown > 0}
            data-testid="login-sms-send"
            className="ff-sms-button"
          >
            {cooldown > 0 ? t("login.smsResend", { seconds: cooldown }) : t("login.smsSend")}
          </Button>
        </div>
      </Form.Item>
      {sentTo && (
        <Alert
          type="info"
          showIcon
          className="ff-login-alert"
          data-testid="login-sms-sent"
          title={t("login.smsSent", {
            phone: maskPhone(sentTo.phone),
            minutes: Math.max(1, Math.round(sentTo.expiresIn / 60)),
          })}
          description={demoHint ? t("login.smsDemoHint") : undefined}
        />
      )}
      <SignInProblem problem={problem} testId="login-error" />
      <Button
        type="primary"
        htmlType="submit"
        block
        size="large"
        loading={busy}
        data-testid="login-sms-submit"
      >
        {t("login.submit")}
      </Button>
    </Form>
  );
}

function PublicSignIn({ providers }: { providers: Providers | undefined }) {
  const t = useT();
  const smsAvailable = providers?.sms !== false;
  const [mode, setMode] = useState<"sms" | "password">(smsAvailable ? "sms" : "password");
  const effective = smsAvailable ? mode : "password";
  const demoHint = providers?.demo === true;

  return (
    <div>
      {smsAvailable && (
        <Segmented
          block
          value={effective}
          onChange={(v) => setMode(v as "sms" | "password")}
          className="ff-login-mode"
          data-testid="login-public-mode"
          options={[
            { value: "sms", label: <span data-testid="login-mode-sms">{t("login.modeSms")}</span> },
            {
              value: "password",
              label: <span data-testid="login-mode-password">{t("login.modePassword")}</span>,
            },
          ]}
        />
      )}
      {effective === "sms" ? <SmsSignIn demoHint={demoHint} /> : <PublicPasswordSignIn />}
      {providers?.oidc && (
        <>
          <Divider plain className="ff-login-divider">
            {t("login.or")}
          </Divider>
          <Button
            block
            size="large"
            icon={<SafetyOutlined />}
            data-testid="login-oidc"
            onClick={() => window.location.assign("/api/auth/oidc/login")}
          >
            {providers.oidcLabel || t("login.oidc")}
          </Button>
        </>
      )}
    </div>
  );
}

const NETWORKS = ["citizen", "office", "operations", "datahub"] as const;

export function LoginPage() {
  const t = useT();
  const { state } = useAuth();
  const location = useLocation();
  const [params] = useSearchParams();
  const redirect = location.state as LoginRedirectState | null;
  const providers = useRequest((signal) => api.get<Providers>("/api/auth/providers", undefined, signal), []);
  const [tab, setTab] = useState(params.get("tab") === "public" ? "public" : "staff");
  const callbackError = params.get("error");
  const narrow = useMediaQuery("(max-width: 991.98px)");

  if (state.status === "loading") return <FullPageSpin />;
  if (state.status === "signed-in") return <Navigate to={destination(state.me, redirect?.from)} replace />;

  return (
    <div className="ff-login">
      {!narrow && (
        <aside className="ff-login-brand">
          <div className="ff-login-brand-inner">
            <div className="ff-login-logo">
              <BrandMark size={44} />
              <div>
                <div className="ff-login-product">{t("app.name")}</div>
                <div className="ff-login-product-en">Fourfold</div>
              </div>
            </div>
            <p className="ff-login-slogan">{t("login.slogan")}</p>
            <ul className="ff-login-networks">
              {NETWORKS.map((id) => (
                <li key={id}>
                  <span className="ff-login-network-icon">{PORTALS[id].icon}</span>
                  <span>
                    <strong>{t(PORTALS[id].name)}</strong>
                    <span className="ff-login-network-text">{t(PORTALS[id].short)}</span>
                  </span>
                </li>
              ))}
            </ul>
          </div>
        </aside>
      )}
      <main className="ff-login-main">
        {narrow ? (
          <div className="ff-login-band">
            <div className="ff-login-band-brand">
              <BrandMark size={32} />
              <div>
                <div className="ff-login-band-name">{t("app.name")}</div>
                <div className="ff-login-band-sub">{t("app.tagline")}</div>
              </div>
            </div>
            <LanguageSwitcher compact />
          </div>
        ) : (
          <div className="ff-login-toolbar">
            <LanguageSwitcher tone="light" />
          </div>
        )}
        <Card className="ff-login-card" variant="borderless">
          <h1 className="ff-login-title">{t("login.title")}</h1>
          <p className="ff-login-subtitle">{t("login.subtitle")}</p>
          {redirect?.expired && (
            <Alert type="warning" showIcon className="ff-login-alert" title={t("login.sessionExpired")} />
          )}
          {callbackError && (
            <Alert
              type="error"
              showIcon
              className="ff-login-alert"
              data-testid="login-callback-error"
              title={errorMessage(
                new ApiError({ type: "about:blank", title: callbackError, status: 401, code: callbackError }),
                t,
              )}
            />
          )}
          <Tabs
            activeKey={tab}
            onChange={setTab}
            className="ff-login-tabs"
            items={[
              {
                key: "staff",
                label: <span data-testid="login-tab-staff">{t("login.tabStaff")}</span>,
                children: <StaffSignIn />,
              },
              {
                key: "public",
                label: <span data-testid="login-tab-public">{t("login.tabPublic")}</span>,
                children: <PublicSignIn providers={providers.data} />,
              },
            ]}
          />
        </Card>
        <div className="ff-login-footer">{t("login.footer")}</div>
      </main>
    </div>
  );
}
