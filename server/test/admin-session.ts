import { totpCode } from "../src/kernel/identity/totp";
import type { ServerProcess } from "./process";

/**
 * Signs in as the administrator a real installation (DEMO=false) prints once, replacing the
 * one-time password as the platform requires, and returns a bearer token.
 */
export async function adminTokenFromFirstStart(server: ServerProcess): Promise<string> {
  const password = /password: (\S+)/.exec(server.stdout())?.[1];
  const secret = /TOTP secret: (\S+)/.exec(server.stdout())?.[1];
  if (!password || !secret) throw new Error(`no one-time password printed:\n${server.stdout()}`);
  const token = async (pw: string) => {
    const res = await fetch(`${server.url}/api/auth/token`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ username: "admin", password: pw, totp: totpCode(secret, Date.now()) }),
    });
    if (res.status !== 200) throw new Error(`createToken: ${res.status} ${await res.text()}`);
    return ((await res.json()) as { access_token: string }).access_token;
  };
  const first = await token(password);
  const newPassword = "Yunxi-2026-changed";
  const changed = await fetch(`${server.url}/api/auth/password`, {
    method: "POST",
    headers: { "content-type": "application/json", authorization: `Bearer ${first}` },
    body: JSON.stringify({ currentPassword: password, newPassword }),
  });
  if (changed.status !== 204) throw new Error(`changePassword: ${changed.status} ${await changed.text()}`);
  return first;
}
