import { describe, expect, it } from "vitest";
import { ConfigError, loadConfig } from "../../../kernel/config/config";

describe("the 粤政易 adapter's configuration", () => {
  it("runs the built-in simulator when no real app is configured, with a derived secret", () => {
    expect(loadConfig({}, "/tmp").mobileApp).toEqual({
      webhookUrl: null,
      appId: "fourfold",
      secret: null,
      simulator: true,
    });
    expect(loadConfig({ MOBILE_APP_SIMULATOR: "false" }, "/tmp").mobileApp.simulator).toBe(false);
  });

  it("needs a shared secret of 16 characters or more with a real webhook URL, and turns the simulator off", () => {
    const env = {
      MOBILE_APP_WEBHOOK_URL: "https://yzy.gd.gov.cn/open/webhooks/fourfold",
      MOBILE_APP_ID: "yunxi",
    };
    const missing = () => loadConfig(env, "/tmp");
    expect(missing).toThrow(ConfigError);
    expect(missing).toThrow(/MOBILE_APP_SECRET/);
    expect(() => loadConfig({ ...env, MOBILE_APP_SECRET: "short" }, "/tmp")).toThrow(/at least 16/);
    expect(loadConfig({ ...env, MOBILE_APP_SECRET: "0123456789abcdef0123" }, "/tmp").mobileApp).toEqual({
      webhookUrl: env.MOBILE_APP_WEBHOOK_URL,
      appId: "yunxi",
      secret: "0123456789abcdef0123",
      simulator: false,
    });
    expect(() =>
      loadConfig({ MOBILE_APP_WEBHOOK_URL: "ftp://x", MOBILE_APP_SECRET: "0123456789abcdef" }, "/tmp"),
    ).toThrow(/MOBILE_APP_WEBHOOK_URL/);
  });
});
