import { existsSync, readFileSync } from "node:fs";
import path from "node:path";

/** Every setting of the platform, parsed once at start; nothing else reads process.env. */
export interface Config {
  port: number;
  host: string;
  dataDir: string;
  /** PostgreSQL connection string; when absent the embedded PGlite in dataDir is used. */
  databaseUrl: string | null;
  natsUrl: string | null;
  /** 32 hex digits sealing the platform's private keys; when absent it is kept in DATA_DIR/master.key. */
  masterKeyHex: string | null;
  /** Demo mode seeds the demo district and fixed demo passwords on a new data folder. */
  demo: boolean;
  logLevel: "fatal" | "error" | "warn" | "info" | "debug" | "trace" | "silent";
  /** Process roles: "web" serves HTTP, "worker" runs jobs, the outbox and the audit sealer. */
  roles: { web: boolean; worker: boolean };
  publicUrl: string;
  secureCookies: boolean;
  sessionTtlSeconds: number;
  tokenTtlSeconds: number;
  bodyLimitBytes: number;
  lockout: { maxFailures: number; lockMinutes: number };
  signInRateLimit: { max: number; windowSeconds: number };
  auditSealIntervalMs: number;
  jobPollIntervalMs: number;
  oidc: { issuer: string; clientId: string; clientSecret: string; label: string } | null;
  /** The provincial mobile government app (粤政易) adapter; see docs/integrations/yuezhengyi.md. */
  mobileApp: { webhookUrl: string | null; appId: string; secret: string | null; simulator: boolean };
  /** 一网共享: keys for sensitive data at rest, review deadlines in working days, gateway defaults. */
  datahub: {
    /**
     * SM4 keys for sensitive data at rest (DATA_KEYS="id:32hex,…", the first encrypts, all decrypt, so
     * keys rotate). When absent, one key is derived from the master key.
     */
    dataKeys: { id: string; key: Buffer }[] | null;
    checkDays: number;
    providerDays: number;
    disputeDays: number;
    errorReportDays: number;
    rateLimitPerMinute: number;
    exchangeTokenTtlSeconds: number;
    /**
     * Master-data entity resolution (percent of the weighted similarity): at or above `matchPercent` a
     * record joins the golden record; from `reviewPercent` it goes to a data officer's review queue.
     */
    matchPercent: number;
    reviewPercent: number;
  };
  /** 一网通办: time for the acceptance step, evaluations and the rectification a bad rating opens. */
  services: {
    /** Working days the window has to accept, refuse or ask for correction (受理). */
    acceptDays: number;
    /** Natural days after the decision within which an applicant rates; then 基本满意 is recorded. */
    evaluationDays: number;
    /** Working days for the department's rectification of a bad rating (回访 → 核实 → 整改). */
    rectificationDays: number;
    /** Largest material file, in bytes. */
    maxMaterialBytes: number;
    /** The administrative division code (GB/T 2260) that opens every receipt number (办件编号). */
    divisionCode: string;
  };
  /** 一网统管 telemetry: the MQTT broker (embedded or external), device credentials, retention. */
  telemetry: {
    /** TCP port of the embedded broker; 0 for none (MQTT over WebSocket at /mqtt stays). */
    mqttPort: number;
    /** An external broker to subscribe to instead of the embedded one (e.g. Mosquitto, EMQX). */
    mqttUrl: string | null;
    /** The platform's client id at MQTT_URL: stable, so the broker keeps its session across restarts. */
    mqttClientId: string;
    /** Devices allowed to publish (TELEMETRY_DEVICES="id:secret,…", secrets of ≥ 16 characters). */
    devices: { id: string; secret: string }[];
    /** Days raw readings are kept; minute roll-ups are kept 30 days, hour roll-ups 2 years. */
    rawDays: number;
    /** The demo's telemetry simulator (on by default in demo mode). */
    simulator: boolean;
  };
}

export class ConfigError extends Error {
  constructor(
    readonly variable: string,
    message: string,
  ) {
    super(`Invalid configuration ${variable}: ${message}`);
  }
}

type Source = Record<string, string | undefined>;

/**
 * Reads settings from the environment, with an optional JSON file (FOURFOLD_CONFIG) whose keys are the
 * same variable names; the environment wins. Throws ConfigError naming the first wrong variable.
 */
export function loadConfig(env: Source = process.env, cwd = process.cwd()): Config {
  const source: Source = { ...readConfigFile(env, cwd), ...definedOnly(env) };
  const read = reader(source);
  const port = read.int("PORT", 3000, 0, 65535);
  const host = read.string("HOST", "0.0.0.0");
  const dataDir = path.resolve(cwd, read.string("DATA_DIR", "./data"));
  const databaseUrl = read.optionalUrl("DATABASE_URL", ["postgres:", "postgresql:"]);
  const natsUrl = read.optionalUrl("NATS_URL", ["nats:", "tls:", "ws:", "wss:"]);
  const roleList = read.list("ROLES", ["web", "worker"], ["web", "worker"]);
  const oidcIssuer = read.optionalUrl("OIDC_ISSUER", ["http:", "https:"]);
  const publicUrl = read.string("PUBLIC_URL", `http://localhost:${port}`);
  const mobileWebhookUrl = read.optionalUrl("MOBILE_APP_WEBHOOK_URL", ["http:", "https:"]);
  const mobileSecret = mobileWebhookUrl
    ? read.required("MOBILE_APP_SECRET")
    : (source.MOBILE_APP_SECRET ?? null);
  if (mobileSecret !== null && mobileSecret.length < 16)
    throw new ConfigError("MOBILE_APP_SECRET", "must be at least 16 characters");
  try {
    new URL(publicUrl);
  } catch {
    throw new ConfigError("PUBLIC_URL", `"${publicUrl}" is not a URL`);
  }
  const matchPercent = read.int("MASTER_MATCH_PERCENT", 85, 50, 100);
  const reviewPercent = read.int("MASTER_REVIEW_PERCENT", 65, 30, 100);
  if (reviewPercent > matchPercent)
    throw new ConfigError(
      "MASTER_REVIEW_PERCENT",
      `${reviewPercent} is above MASTER_MATCH_PERCENT (${matchPercent})`,
    );
  return {
    port,
    host,
    dataDir,
    databaseUrl,
    natsUrl,
    masterKeyHex: read.hex("MASTER_KEY", 32),
    demo: read.bool("DEMO", true),
    logLevel: read.oneOf("LOG_LEVEL", "info", ["fatal", "error", "warn", "info", "debug", "trace", "silent"]),
    roles: { web: roleList.includes("web"), worker: roleList.includes("worker") },
    publicUrl: publicUrl.replace(/\/$/, ""),
    secureCookies: read.bool("SECURE_COOKIES", publicUrl.startsWith("https:")),
    sessionTtlSeconds: read.int("SESSION_TTL_SECONDS", 8 * 3600, 60, 30 * 86400),
    tokenTtlSeconds: read.int("TOKEN_TTL_SECONDS", 3600, 60, 30 * 86400),
    bodyLimitBytes: read.int("BODY_LIMIT_BYTES", 1024 * 1024, 1024, 100 * 1024 * 1024),
    lockout: {
      maxFailures: read.int("LOCKOUT_MAX_FAILURES", 5, 1, 100),
      lockMinutes: read.int("LOCKOUT_MINUTES", 15, 1, 24 * 60),
    },
    signInRateLimit: {
      max: read.int("SIGNIN_RATE_LIMIT", 20, 1, 100_000),
      windowSeconds: read.int("SIGNIN_RATE_WINDOW_SECONDS", 60, 1, 3600),
    },
    auditSealIntervalMs: read.int("AUDIT_SEAL_INTERVAL_MS", 1000, 10, 3_600_000),
    jobPollIntervalMs: read.int("JOB_POLL_INTERVAL_MS", 250, 10, 60_000),
    mobileApp: {
      webhookUrl: mobileWebhookUrl,
      appId: read.string("MOBILE_APP_ID", "fourfold"),
      secret: mobileSecret,
      simulator: read.bool("MOBILE_APP_SIMULATOR", mobileWebhookUrl === null),
    },
    datahub: {
      dataKeys: read.keyList("DATA_KEYS"),
      checkDays: read.int("DATAHUB_CHECK_DAYS", 2, 1, 60),
      providerDays: read.int("DATAHUB_PROVIDER_DAYS", 5, 1, 60),
      disputeDays: read.int("DATAHUB_DISPUTE_DAYS", 5, 1, 60),
      errorReportDays: read.int("DATAHUB_ERROR_REPORT_DAYS", 5, 1, 60),
      rateLimitPerMinute: read.int("DATAHUB_RATE_LIMIT_PER_MINUTE", 600, 1, 1_000_000),
      exchangeTokenTtlSeconds: read.int("EXCHANGE_TOKEN_TTL_SECONDS", 3600, 60, 86_400),
      matchPercent,
      reviewPercent,
    },
    services: {
      acceptDays: read.int("SERVICES_ACCEPT_DAYS", 2, 1, 30),
      evaluationDays: read.int("SERVICES_EVALUATION_DAYS", 7, 1, 90),
      rectificationDays: read.int("SERVICES_RECTIFICATION_DAYS", 5, 1, 60),
      maxMaterialBytes: read.int("SERVICES_MAX_MATERIAL_BYTES", 10 * 1024 * 1024, 1024, 100 * 1024 * 1024),
      divisionCode: divisionCode(read.string("DIVISION_CODE", "440120")),
    },
    telemetry: {
      mqttPort: read.int("MQTT_PORT", 1883, 0, 65535),
      mqttUrl: read.optionalUrl("MQTT_URL", ["mqtt:", "mqtts:", "ws:", "wss:", "tcp:"]),
      mqttClientId: read.string("MQTT_CLIENT_ID", "fourfold-platform"),
      devices: read.secretList("TELEMETRY_DEVICES"),
      rawDays: read.int("TELEMETRY_RAW_DAYS", 7, 1, 3650),
      simulator: read.bool("TELEMETRY_SIMULATOR", read.bool("DEMO", true)),
    },
    oidc: oidcIssuer
      ? {
          issuer: oidcIssuer,
          clientId: read.required("OIDC_CLIENT_ID"),
          clientSecret: read.required("OIDC_CLIENT_SECRET"),
          label: read.string("OIDC_LABEL", "统一身份认证"),
        }
      : null,
  };
}

function divisionCode(raw: string): string {
  if (!/^\d{6}$/.test(raw))
    throw new ConfigError("DIVISION_CODE", `"${raw}" is not a six-digit division code`);
  return raw;
}

function definedOnly(env: Source): Source {
  return Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v !== ""));
}

function readConfigFile(env: Source, cwd: string): Source {
  const file = env.FOURFOLD_CONFIG;
  if (!file) return {};
  const full = path.resolve(cwd, file);
  if (!existsSync(full)) throw new ConfigError("FOURFOLD_CONFIG", `file ${full} does not exist`);
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(full, "utf8"));
  } catch (e) {
    throw new ConfigError("FOURFOLD_CONFIG", `file ${full} is not valid JSON (${(e as Error).message})`);
  }
  if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed)) {
    throw new ConfigError("FOURFOLD_CONFIG", "the file must hold a JSON object of VARIABLE: value");
  }
  return Object.fromEntries(Object.entries(parsed).map(([k, v]) => [k, String(v)]));
}

function reader(source: Source) {
  return {
    string(name: string, fallback: string): string {
      return source[name] ?? fallback;
    },
    required(name: string): string {
      const value = source[name];
      if (!value) throw new ConfigError(name, "is required");
      return value;
    },
    int(name: string, fallback: number, min: number, max: number): number {
      const raw = source[name];
      if (raw === undefined) return fallback;
      if (!/^\d+$/.test(raw.trim())) throw new ConfigError(name, `"${raw}" is not a whole number`);
      const value = Number(raw);
      if (value < min || value > max) throw new ConfigError(name, `${value} is outside ${min}..${max}`);
      return value;
    },
    bool(name: string, fallback: boolean): boolean {
      const raw = source[name]?.toLowerCase();
      if (raw === undefined) return fallback;
      if (["1", "true", "yes", "on"].includes(raw)) return true;
      if (["0", "false", "no", "off"].includes(raw)) return false;
      throw new ConfigError(name, `"${source[name]}" is not a boolean (true/false)`);
    },
    oneOf<T extends string>(name: string, fallback: T, allowed: readonly T[]): T {
      const raw = source[name];
      if (raw === undefined) return fallback;
      if (!(allowed as readonly string[]).includes(raw)) {
        throw new ConfigError(name, `"${raw}" is not one of ${allowed.join(", ")}`);
      }
      return raw as T;
    },
    list(name: string, fallback: string[], allowed: string[]): string[] {
      const raw = source[name];
      if (raw === undefined) return fallback;
      const items = raw
        .split(",")
        .map((s) => s.trim())
        .filter(Boolean);
      const bad = items.find((i) => !allowed.includes(i));
      if (bad || items.length === 0)
        throw new ConfigError(name, `"${raw}" must be a list of ${allowed.join(", ")}`);
      return items;
    },
    hex(name: string, digits: number): string | null {
      const raw = source[name];
      if (raw === undefined) return null;
      if (!new RegExp(`^[0-9a-fA-F]{${digits}}$`).test(raw))
        throw new ConfigError(name, `must be ${digits} hex digits`);
      return raw.toLowerCase();
    },
    keyList(name: string): { id: string; key: Buffer }[] | null {
      const raw = source[name];
      if (raw === undefined) return null;
      const keys = raw.split(",").map((entry) => {
        const match = /^([A-Za-z0-9_-]{1,32}):([0-9a-fA-F]{32})$/.exec(entry.trim());
        if (!match) throw new ConfigError(name, 'must be a list of "id:32-hex-digit-key" entries');
        return { id: match[1]!, key: Buffer.from(match[2]!, "hex") };
      });
      if (new Set(keys.map((k) => k.id)).size !== keys.length)
        throw new ConfigError(name, "repeats a key id");
      return keys;
    },
    secretList(name: string): { id: string; secret: string }[] {
      const raw = source[name];
      if (raw === undefined) return [];
      const entries = raw.split(",").map((entry) => {
        const match = /^([A-Za-z0-9_.-]{1,64}):(\S{16,200})$/.exec(entry.trim());
        if (!match)
          throw new ConfigError(
            name,
            'must be a list of "id:secret" entries, secrets of at least 16 characters',
          );
        return { id: match[1]!, secret: match[2]! };
      });
      if (new Set(entries.map((e) => e.id)).size !== entries.length)
        throw new ConfigError(name, "repeats an id");
      return entries;
    },
    optionalUrl(name: string, protocols: string[]): string | null {
      const raw = source[name];
      if (raw === undefined) return null;
      let url: URL;
      try {
        url = new URL(raw);
      } catch {
        throw new ConfigError(name, "is not a valid URL");
      }
      if (!protocols.includes(url.protocol)) {
        throw new ConfigError(name, `protocol ${url.protocol} is not one of ${protocols.join(", ")}`);
      }
      return raw;
    },
  };
}
