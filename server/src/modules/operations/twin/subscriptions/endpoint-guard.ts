/**
 * Where notifications may not go: link-local addresses (cloud metadata services answer at
 * 169.254.169.254), the unspecified address and multicast. A subscription naming such an address
 * is refused; a name that resolves to one is not delivered to. Loopback and private networks stay
 * allowed: a district's systems live on its intranet.
 */
import { lookup } from "node:dns/promises";
import { BlockList, isIP } from "node:net";

const blocked = new BlockList();
blocked.addSubnet("169.254.0.0", 16, "ipv4");
blocked.addSubnet("0.0.0.0", 8, "ipv4");
blocked.addSubnet("224.0.0.0", 4, "ipv4");
blocked.addSubnet("fe80::", 10, "ipv6");
blocked.addSubnet("ff00::", 8, "ipv6");
blocked.addAddress("::", "ipv6");

export function isForbiddenAddress(address: string): boolean {
  const bare = address.replace(/^\[|\]$/g, "");
  const family = isIP(bare);
  if (family === 0) return false;
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(bare)?.[1];
  if (mapped) return blocked.check(mapped, "ipv4");
  return blocked.check(bare, family === 4 ? "ipv4" : "ipv6");
}

/** Why a notification may not be sent to this URL now, or null. */
export async function forbiddenEndpoint(url: URL): Promise<string | null> {
  const host = url.hostname.replace(/^\[|\]$/g, "");
  const addresses = isIP(host)
    ? [host]
    : (await lookup(host, { all: true }).catch(() => [])).map((a) => a.address);
  const bad = addresses.find(isForbiddenAddress);
  return bad ? `the endpoint resolves to ${bad}, a link-local or unspecified address` : null;
}
