import {
  citizenIdCheckChar,
  orgCodeCheckChar,
  USCC_ALPHABET,
  usccCheckChar,
} from "../kernel/identity/identifiers";
import { DISTRICT_CODE } from "./places";
import { type Random, WeightedTable } from "./random";

/**
 * Where residents were born. Yunxi-born people carry the district's own code; the rest reflect
 * Guangzhou's migration pattern: other city districts, the rest of Guangdong, then the neighbouring
 * provinces (Hunan, Guangxi, Jiangxi, Sichuan) that send the most migrants.
 */
// biome-ignore format: grouped by origin
const BIRTH_REGIONS = new WeightedTable<string>([
  [DISTRICT_CODE, 450],
  ...["440103", "440104", "440105", "440106", "440111", "440112", "440113", "440114", "440118"].map(
    (c) => [c, 17] as const,
  ),
  ...["440303", "440304", "440402", "440507", "440604", "440606", "440703", "440802", "440902", "441202", "441302",
    "441402", "441502", "441602", "441702", "441802", "441900", "442000", "445102", "445202", "445302"].map(
    (c) => [c, 10] as const,
  ),
  ...["430102", "430111", "431002", "450103", "450302", "360102", "360702", "510104", "500103"].map(
    (c) => [c, 12] as const,
  ),
  ...["420102", "410105", "350102", "520102", "530102", "460105", "110105", "310115", "320102", "330106",
    "370102", "610113", "210102", "230102", "340102", "130102", "140105", "220102", "620102", "650102"].map(
    (c) => [c, 2] as const,
  ),
]);

// Mainland mobile prefixes weighted roughly by subscriber share (China Mobile, Unicom, Telecom, new 19x).
// biome-ignore format: grouped by carrier
const MOBILE_PREFIXES = new WeightedTable<string>([
  ...["134", "135", "136", "137", "138", "139", "150", "151", "152", "157", "158", "159", "182", "183", "184",
    "187", "188", "147", "172", "178", "195", "198"].map((p) => [p, 5] as const),
  ...["130", "131", "132", "155", "156", "185", "186", "166", "175", "176", "145", "196"].map((p) => [p, 3] as const),
  ...["133", "153", "180", "181", "189", "173", "177", "149", "190", "191", "193", "199"].map((p) => [p, 3] as const),
]);

/** Hands out document numbers and phone numbers, each unique within one generated district. */
export class DocumentMint {
  private readonly used = new Set<string>();

  private unique(make: () => string): string {
    for (;;) {
      const value = make();
      if (!this.used.has(value)) {
        this.used.add(value);
        return value;
      }
    }
  }

  birthRegion(rng: Random): string {
    return BIRTH_REGIONS.draw(rng);
  }

  /** GB 11643: the sequence's last digit is odd for men and even for women. */
  residentId(rng: Random, regionCode: string, birthDate: string, gender: "male" | "female"): string {
    const date = birthDate.replaceAll("-", "");
    return this.unique(() => {
      const sequence = `${rng.digits(2)}${2 * rng.int(0, 4) + (gender === "male" ? 1 : 0)}`;
      const first17 = regionCode + date + sequence;
      return first17 + citizenIdCheckChar(first17);
    });
  }

  hkMacaoPermit(rng: Random): string {
    const prefix = rng.chance(0.8) ? "H" : "M";
    return this.unique(() => prefix + rng.digits(8));
  }

  taiwanPermit(rng: Random): string {
    return this.unique(() => String(rng.int(1, 9)) + rng.digits(7));
  }

  passport(make: () => string): string {
    return this.unique(make);
  }

  mobile(rng: Random): string {
    return this.unique(() => MOBILE_PREFIXES.draw(rng) + rng.digits(8));
  }

  /** Guangzhou fixed lines: area code 020 and eight digits, business exchanges mostly in the 3x/8x ranges. */
  landline(rng: Random): string {
    return this.unique(() => `020-${rng.pick(["3", "8", "2"])}${rng.digits(7)}`);
  }

  /**
   * A USCC registered in the district. Businesses registered since the October 2015 reform got fresh
   * "MA…" organisation codes; older enterprises kept their 8-digit GB 11714 code. Individual businesses
   * and cooperatives never had organisation codes, so theirs are all of the new kind.
   */
  uscc(rng: Random, orgType: "1" | "2" | "3", establishedOn: string): string {
    const legacy = orgType === "1" && establishedOn < "2015-10-01";
    return this.unique(() => {
      const body = legacy ? String(rng.int(1, 9)) + rng.digits(7) : `MA${rng.chars(USCC_ALPHABET, 6)}`;
      const first17 = `9${orgType}${DISTRICT_CODE}${body}${orgCodeCheckChar(body)}`;
      return first17 + usccCheckChar(first17);
    });
  }
}

/** RFC 4648 base32 of 20 random bytes: the 32-character secret authenticator apps expect. */
export function totpSecret(rng: Random): string {
  return rng.chars("ABCDEFGHIJKLMNOPQRSTUVWXYZ234567", 32);
}
