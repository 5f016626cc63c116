import { describe, expect, it } from "vitest";
import { forbiddenEndpoint, isForbiddenAddress } from "./endpoint-guard";

describe("notification endpoint guard", () => {
  it("refuses link-local, unspecified and multicast addresses and allows the intranet", () => {
    for (const address of [
      "169.254.169.254",
      "0.0.0.0",
      "224.0.0.251",
      "fe80::1",
      "[fe80::1]",
      "::",
      "::ffff:169.254.1.1",
      "ff02::1",
    ])
      expect(isForbiddenAddress(address), address).toBe(true);
    for (const address of [
      "127.0.0.1",
      "10.1.2.3",
      "192.168.0.10",
      "172.16.5.5",
      "::1",
      "2001:db8::1",
      "example.org",
    ])
      expect(isForbiddenAddress(address), address).toBe(false);
  });

  it("checks the addresses a name resolves to at delivery", async () => {
    expect(await forbiddenEndpoint(new URL("http://169.254.169.254/latest"))).toContain("169.254.169.254");
    expect(await forbiddenEndpoint(new URL("http://localhost:8080/hook"))).toBeNull();
    expect(await forbiddenEndpoint(new URL("http://[::1]:8080/hook"))).toBeNull();
  });
});
