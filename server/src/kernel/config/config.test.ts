import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { ConfigError, loadConfig } from "./config";

describe("configuration", () => {
  const dir = mkdtempSync(path.join(tmpdir(), "cfg-"));

  it("reads an optional JSON file, with the environment taking precedence", () => {
    const file = path.join(dir, "fourfold.json");
    writeFileSync(file, JSON.stringify({ PORT: 8080, DEMO: false, LOG_LEVEL: "warn" }));
    const config = loadConfig({ FOURFOLD_CONFIG: file, LOG_LEVEL: "debug" }, dir);
    expect(config).toMatchObject({
      port: 8080,
      demo: false,
      logLevel: "debug",
      dataDir: path.join(dir, "data"),
    });
  });

  it("names the variable for every kind of wrong value", () => {
    const cases: Record<string, string>[] = [
      { PORT: "-1" },
      { PORT: "70000" },
      { ROLES: "web,cron" },
      { NATS_URL: "http://x" },
      { MASTER_KEY: "abc" },
      { PUBLIC_URL: "not a url" },
      { OIDC_ISSUER: "https://id.example" },
    ];
    for (const env of cases) {
      const variable = Object.keys(env)[0]!;
      const expected = variable === "OIDC_ISSUER" ? "OIDC_CLIENT_ID" : variable;
      expect(() => loadConfig(env, dir), variable).toThrow(ConfigError);
      try {
        loadConfig(env, dir);
      } catch (e) {
        expect((e as ConfigError).variable).toBe(expected);
      }
    }
    const bad = path.join(dir, "bad.json");
    writeFileSync(bad, "{not json");
    expect(() => loadConfig({ FOURFOLD_CONFIG: bad }, dir)).toThrow(/FOURFOLD_CONFIG/);
    expect(() => loadConfig({ FOURFOLD_CONFIG: path.join(dir, "missing.json") }, dir)).toThrow(
      /does not exist/,
    );
  });
});
