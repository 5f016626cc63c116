import { sql } from "drizzle-orm";
import {
  bigint,
  boolean,
  date,
  index,
  integer,
  pgSchema,
  primaryKey,
  text,
  timestamp,
  uniqueIndex,
  uuid,
} from "drizzle-orm/pg-core";

export const identity = pgSchema("identity");

/** The organisation tree: government → bureaus → offices; sub-districts → communities → grids. */
export const departments = identity.table(
  "departments",
  {
    id: uuid("id").primaryKey(),
    code: text("code").notNull(),
    name: text("name").notNull(),
    nameEn: text("name_en"),
    kind: text("kind").notNull(),
    parentId: uuid("parent_id"),
    /** Materialised path of ids ("/root/child/"), so a subtree is one prefix match. */
    path: text("path").notNull(),
    orgPrefix: text("org_prefix"),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [uniqueIndex("departments_code_key").on(t.code), index("departments_path_idx").on(t.path)],
);

/** Every account that can sign in: staff, citizens, enterprise agents. */
export const users = identity.table(
  "users",
  {
    id: uuid("id").primaryKey(),
    username: text("username").notNull(),
    kind: text("kind").notNull(),
    displayName: text("display_name").notNull(),
    passwordHash: text("password_hash"),
    /** Sealed (SM4, authenticated) base32 TOTP secret. */
    totpSecret: text("totp_secret"),
    roles: text("roles").array().notNull().default(sql`'{}'::text[]`),
    departmentId: uuid("department_id"),
    position: text("position"),
    citizenId: uuid("citizen_id"),
    enterpriseId: uuid("enterprise_id"),
    phone: text("phone"),
    /** The last TOTP time step accepted, so a code cannot be used twice. */
    totpLastStep: bigint("totp_last_step", { mode: "number" }),
    failedAttempts: integer("failed_attempts").notNull().default(0),
    lockedUntil: timestamp("locked_until", { withTimezone: true }),
    disabled: boolean("disabled").notNull().default(false),
    mustChangePassword: boolean("must_change_password").notNull().default(false),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex("users_username_key").on(t.username),
    index("users_department_idx").on(t.departmentId),
    uniqueIndex("users_phone_key").on(t.phone),
  ],
);

export const citizens = identity.table(
  "citizens",
  {
    id: uuid("id").primaryKey(),
    idType: text("id_type").notNull(),
    idNumber: text("id_number").notNull(),
    name: text("name").notNull(),
    gender: text("gender"),
    birthDate: date("birth_date"),
    phone: text("phone"),
    address: text("address"),
    departmentId: uuid("department_id"),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex("citizens_document_key").on(t.idType, t.idNumber),
    index("citizens_department_idx").on(t.departmentId),
  ],
);

export const enterprises = identity.table(
  "enterprises",
  {
    id: uuid("id").primaryKey(),
    uscc: text("uscc").notNull(),
    name: text("name").notNull(),
    kind: text("kind").notNull(),
    legalRepCitizenId: uuid("legal_rep_citizen_id"),
    registeredCapitalFen: integer("registered_capital_fen"),
    establishedOn: date("established_on"),
    industry: text("industry"),
    address: text("address"),
    phone: text("phone"),
    departmentId: uuid("department_id"),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [uniqueIndex("enterprises_uscc_key").on(t.uscc)],
);

/** Who may act for an enterprise (法定代表人, 经办人). */
export const enterpriseAgents = identity.table(
  "enterprise_agents",
  {
    enterpriseId: uuid("enterprise_id").notNull(),
    userId: uuid("user_id").notNull(),
    role: text("role").notNull(),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.enterpriseId, t.userId] })],
);

/** Browser sessions and bearer tokens; only the SM3 hash of the secret is stored. */
export const sessions = identity.table(
  "sessions",
  {
    tokenHash: text("token_hash").primaryKey(),
    userId: uuid("user_id").notNull(),
    kind: text("kind").notNull(),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
    expiresAt: timestamp("expires_at", { withTimezone: true }).notNull(),
    revokedAt: timestamp("revoked_at", { withTimezone: true }),
    ip: text("ip"),
  },
  (t) => [index("sessions_user_idx").on(t.userId)],
);

export const externalIdentities = identity.table(
  "external_identities",
  {
    issuer: text("issuer").notNull(),
    subject: text("subject").notNull(),
    userId: uuid("user_id").notNull(),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.issuer, t.subject] })],
);

/** One-time sign-in codes sent by SMS; hashed, short-lived, single use. */
export const smsCodes = identity.table(
  "sms_codes",
  {
    id: uuid("id").primaryKey(),
    phone: text("phone").notNull(),
    codeHash: text("code_hash").notNull(),
    expiresAt: timestamp("expires_at", { withTimezone: true }).notNull(),
    attempts: integer("attempts").notNull().default(0),
    usedAt: timestamp("used_at", { withTimezone: true }),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index("sms_codes_phone_idx").on(t.phone, t.createdAt)],
);
