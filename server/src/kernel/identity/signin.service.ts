import { and, desc, eq, gt, isNull, lt, or, sql } from "drizzle-orm";
import type { Actor } from "../access/actor";
import { isRole, portalsOf, ROLE_INFO } from "../access/roles";
import { type AuditSource, appendAudit } from "../audit/audit";
import { openSecret } from "../crypto/sm";
import { newId } from "../db/ids";
import { AppError } from "../http/errors";
import type { Platform } from "../platform";
import { IdentityErrors } from "./errors";
import { hashPassword, smsCode, verifyPassword } from "./passwords";
import { departments, sessions, smsCodes, users } from "./schema";
import { createSession, tokenHash } from "./sessions";
import { matchTotpStep } from "./totp";

export interface Me {
  id: string;
  username: string;
  kind: "staff" | "citizen" | "enterprise";
  displayName: string;
  roles: string[];
  department: { id: string; code: string; name: string } | null;
  portals: string[];
  mustChangePassword: boolean;
}

type UserRow = typeof users.$inferSelect;

export async function describeUser(platform: Platform, userId: string): Promise<Me> {
  const [row] = await platform.db
    .select({ user: users, dept: { id: departments.id, code: departments.code, name: departments.name } })
    .from(users)
    .leftJoin(departments, eq(departments.id, users.departmentId))
    .where(eq(users.id, userId));
  if (!row) throw new AppError(IdentityErrors.INVALID_CREDENTIALS);
  const roles = row.user.roles.filter(isRole);
  return {
    id: row.user.id,
    username: row.user.username,
    kind: row.user.kind as Me["kind"],
    displayName: row.user.displayName,
    roles,
    department: row.dept?.id ? row.dept : null,
    portals: portalsOf(roles),
    mustChangePassword: row.user.mustChangePassword,
  };
}

function requiresTotp(user: UserRow): boolean {
  return user.roles.some((r) => isRole(r) && ROLE_INFO[r].staff);
}

function auditSource(
  platform: Platform,
  user: UserRow | null,
  meta: { ip: string | null; requestId: string },
) {
  const actor: Actor | null = user
    ? {
        id: user.id,
        username: user.username,
        kind: user.kind as Actor["kind"],
        displayName: user.displayName,
        roles: user.roles.filter(isRole),
        departmentId: user.departmentId,
        departmentPath: null,
        citizenId: user.citizenId,
        enterpriseId: user.enterpriseId,
      }
    : null;
  return { actor, ip: meta.ip, requestId: meta.requestId, clock: platform.clock } satisfies AuditSource;
}

/** Records a failed attempt in its own transaction (the caller then throws) and locks when due. */
async function recordFailure(
  platform: Platform,
  user: UserRow | null,
  meta: { ip: string | null; requestId: string },
  reason: string,
  username: string,
): Promise<void> {
  await platform.db.transaction(async (tx) => {
    if (user) {
      const { maxFailures, lockMinutes } = platform.config.lockout;
      const lockUntil = new Date(platform.clock.now().getTime() + lockMinutes * 60_000);
      await tx
        .update(users)
        .set({
          failedAttempts: sql`${users.failedAttempts} + 1`,
          lockedUntil: sql`case when ${users.failedAttempts} + 1 >= ${maxFailures} then ${lockUntil.toISOString()}::timestamptz else ${users.lockedUntil} end`,
        })
        .where(eq(users.id, user.id));
    }
    await appendAudit(tx, auditSource(platform, user, meta), {
      action: "identity.signin.failed",
      resourceType: "user",
      resourceId: user?.id ?? null,
      outcome: "failure",
      details: { reason, username: user ? undefined : username },
    });
  });
}

export interface Credentials {
  username: string;
  password: string;
  totp?: string | undefined;
}

/**
 * Checks a password (and, for staff, a TOTP code), counting failures and locking the account after
 * too many. Returns the user on success; the caller then opens a session or issues a token.
 */
export async function checkCredentials(
  platform: Platform,
  credentials: Credentials,
  meta: { ip: string | null; requestId: string },
): Promise<UserRow> {
  const [user] = await platform.db.select().from(users).where(eq(users.username, credentials.username));
  const now = platform.clock.now();
  if (user?.lockedUntil && user.lockedUntil > now) {
    await verifyPassword(null, credentials.password);
    await recordFailure(platform, user, meta, "locked", credentials.username);
    throw new AppError(IdentityErrors.ACCOUNT_LOCKED, {
      message: `The account is locked until ${user.lockedUntil.toISOString()} after repeated failed sign-ins`,
      details: { lockedUntil: user.lockedUntil.toISOString() },
    });
  }
  const passwordOk = await verifyPassword(user?.passwordHash ?? null, credentials.password);
  if (!user || !passwordOk) {
    await recordFailure(platform, user ?? null, meta, "password", credentials.username);
    throw new AppError(IdentityErrors.INVALID_CREDENTIALS);
  }
  if (user.disabled) throw new AppError(IdentityErrors.ACCOUNT_DISABLED);
  if (requiresTotp(user)) {
    if (!credentials.totp) throw new AppError(IdentityErrors.TOTP_REQUIRED);
    const secret = user.totpSecret
      ? openSecret(platform.masterKey, Buffer.from(user.totpSecret, "base64"))
      : null;
    const step = secret ? matchTotpStep(secret.toString("utf8"), credentials.totp, now.getTime()) : null;
    // Accept each time step once: a code seen on the wire (or over a shoulder) cannot be replayed.
    const fresh =
      step !== null &&
      (
        await platform.db
          .update(users)
          .set({ totpLastStep: step })
          .where(and(eq(users.id, user.id), or(isNull(users.totpLastStep), lt(users.totpLastStep, step))))
          .returning({ id: users.id })
      ).length === 1;
    if (!fresh) {
      await recordFailure(platform, user, meta, step === null ? "totp" : "totp-reused", credentials.username);
      throw new AppError(IdentityErrors.INVALID_TOTP);
    }
  }
  return user;
}

export async function openSession(
  platform: Platform,
  user: UserRow,
  kind: "cookie" | "bearer",
  meta: { ip: string | null; requestId: string; method: string },
): Promise<{ token: string; expiresAt: Date; ttlSeconds: number }> {
  const ttlSeconds = kind === "cookie" ? platform.config.sessionTtlSeconds : platform.config.tokenTtlSeconds;
  return platform.db.transaction(async (tx) => {
    await tx.update(users).set({ failedAttempts: 0, lockedUntil: null }).where(eq(users.id, user.id));
    const session = await createSession(tx, {
      userId: user.id,
      kind,
      ttlSeconds,
      now: platform.clock.now(),
      ip: meta.ip,
    });
    await appendAudit(tx, auditSource(platform, user, meta), {
      action: kind === "cookie" ? "identity.signin.succeeded" : "identity.token.created",
      resourceType: "user",
      resourceId: user.id,
      details: { method: meta.method },
    });
    return { ...session, ttlSeconds };
  });
}

export async function revokeSession(platform: Platform, token: string, actor: Actor | null, meta: AuditMeta) {
  await platform.sessions.revoke(token);
  await platform.db.transaction(async (tx) => {
    await tx
      .update(sessions)
      .set({ revokedAt: sql`now()` })
      .where(eq(sessions.tokenHash, tokenHash(token)));
    await appendAudit(
      tx,
      { actor, ip: meta.ip, requestId: meta.requestId, clock: platform.clock },
      { action: "identity.signout", resourceType: "user", resourceId: actor?.id ?? null },
    );
  });
}

type AuditMeta = { ip: string | null; requestId: string };

const SMS_TTL_MS = 5 * 60_000;
const SMS_MAX_ATTEMPTS = 5;

/** Sends a sign-in code when the phone belongs to a citizen or enterprise account; silent otherwise. */
export async function requestSmsCode(platform: Platform, phone: string, meta: AuditMeta): Promise<number> {
  if (!platform.sms.available) throw new AppError(IdentityErrors.SMS_SIGN_IN_UNAVAILABLE);
  const [user] = await platform.db.select().from(users).where(eq(users.phone, phone));
  if (!user || user.kind === "staff" || user.disabled) return SMS_TTL_MS / 1000;
  const code = smsCode();
  await platform.db.transaction(async (tx) => {
    await tx.insert(smsCodes).values({
      id: newId(),
      phone,
      codeHash: tokenHash(`${phone}:${code}`),
      expiresAt: new Date(platform.clock.now().getTime() + SMS_TTL_MS),
    });
    await appendAudit(tx, auditSource(platform, user, meta), {
      action: "identity.sms_code.sent",
      resourceType: "user",
      resourceId: user.id,
    });
  });
  await platform.sms.send(phone, `【云溪区政务服务】您的登录验证码为 ${code}，5分钟内有效。请勿泄露给他人。`);
  return SMS_TTL_MS / 1000;
}

export async function checkSmsCode(platform: Platform, phone: string, code: string, meta: AuditMeta) {
  if (!platform.sms.available) throw new AppError(IdentityErrors.SMS_SIGN_IN_UNAVAILABLE);
  const now = platform.clock.now();
  const [user] = await platform.db.select().from(users).where(eq(users.phone, phone));
  const [pending] = await platform.db
    .select()
    .from(smsCodes)
    .where(and(eq(smsCodes.phone, phone), isNull(smsCodes.usedAt), gt(smsCodes.expiresAt, now)))
    .orderBy(desc(smsCodes.createdAt))
    .limit(1);
  if (!user || user.kind === "staff" || !pending || pending.attempts >= SMS_MAX_ATTEMPTS) {
    await recordFailure(platform, null, meta, "sms", phone.slice(0, 3));
    throw new AppError(IdentityErrors.INVALID_SMS_CODE);
  }
  if (user.lockedUntil && user.lockedUntil > now) throw new AppError(IdentityErrors.ACCOUNT_LOCKED);
  const used = await platform.db
    .update(smsCodes)
    .set({
      attempts: sql`${smsCodes.attempts} + 1`,
      usedAt: sql`case when ${smsCodes.codeHash} = ${tokenHash(`${phone}:${code}`)} then now() else null end`,
    })
    .where(and(eq(smsCodes.id, pending.id), isNull(smsCodes.usedAt)))
    .returning({ usedAt: smsCodes.usedAt });
  if (!used[0]?.usedAt) {
    await recordFailure(platform, user, meta, "sms", phone.slice(0, 3));
    throw new AppError(IdentityErrors.INVALID_SMS_CODE);
  }
  return user;
}

/** Replaces a password after checking the current one; clears the one-time-password flag. */
export async function changePassword(
  platform: Platform,
  actor: Actor,
  currentPassword: string,
  newPassword: string,
  meta: AuditMeta,
): Promise<void> {
  const [user] = await platform.db.select().from(users).where(eq(users.id, actor.id));
  if (!user || !(await verifyPassword(user.passwordHash, currentPassword))) {
    await recordFailure(platform, user ?? null, meta, "password-change", actor.username);
    throw new AppError(IdentityErrors.INVALID_CREDENTIALS, {
      errors: [{ field: "/body/currentPassword", message: "is not the current password" }],
    });
  }
  const weak = newPassword === currentPassword || !/[A-Za-z]/.test(newPassword) || !/[0-9]/.test(newPassword);
  if (weak || newPassword.toLowerCase().includes(user.username.toLowerCase())) {
    throw new AppError(IdentityErrors.PASSWORD_TOO_WEAK, {
      errors: [
        {
          field: "/body/newPassword",
          message:
            "needs letters and digits, must differ from the current password and not contain the username",
        },
      ],
    });
  }
  const passwordHash = await hashPassword(newPassword);
  await platform.db.transaction(async (tx) => {
    await tx.update(users).set({ passwordHash, mustChangePassword: false }).where(eq(users.id, user.id));
    await appendAudit(tx, auditSource(platform, user, meta), {
      action: "identity.password.changed",
      resourceType: "user",
      resourceId: user.id,
    });
  });
  platform.sessions.forgetUser(user.id);
}
