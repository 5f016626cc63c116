import {
  CAPITAL_YUAN,
  COMPANY_INDUSTRIES,
  COOPERATIVE_PRODUCTS,
  ENTERPRISE_KINDS,
  type EnterpriseKind,
  PARTNERSHIPS,
  SHOP_TYPES,
  SOLE_PROPRIETORSHIPS,
  TRADE_NAME_CHARS,
} from "./businesses";
import { AS_OF, addYears, ageOn, dayBetween } from "./dates";
import type { DocumentMint } from "./documents";
import type { CommunityPlace } from "./organisation";
import { CITY, DISTRICT } from "./places";
import { type Random, WeightedTable } from "./random";
import type { DemoCitizen, DemoEnterprise } from "./types";

const KINDS = new WeightedTable(ENTERPRISE_KINDS);
const INDUSTRIES = new WeightedTable(COMPANY_INDUSTRIES);
const SHOPS = new WeightedTable(SHOP_TYPES);
const CAPITAL = Object.fromEntries(
  Object.entries(CAPITAL_YUAN).map(([kind, table]) => [kind, new WeightedTable(table)]),
) as Record<EnterpriseKind, WeightedTable<number>>;

const FIRST_YEAR = 1993;
const LAST_DAY = "2025-12-31";

/**
 * Registrations per year grow steeply, and fastest for individual businesses after the 2014 commercial
 * registration reform, so most of the register is less than ten years old.
 */
function yearTable(power: number): WeightedTable<number> {
  const years: [number, number][] = [];
  for (let y = FIRST_YEAR; y <= 2025; y++) {
    // Integer weights: exact in every engine, so the draws never depend on how pow() rounds.
    let weight = 1;
    for (let i = 0; i < power; i++) weight *= y - 1990;
    years.push([y, weight]);
  }
  return new WeightedTable(years);
}
const COMPANY_YEARS = yearTable(2);
const INDIVIDUAL_YEARS = yearTable(3);

const USCC_ORG_TYPE: Record<EnterpriseKind, "1" | "2" | "3"> = {
  有限责任公司: "1",
  股份有限公司: "1",
  个人独资企业: "1",
  合伙企业: "1",
  个体工商户: "2",
  农民专业合作社: "3",
};

function tradeName(rng: Random): string {
  const [a, b] = rng.sample([...TRADE_NAME_CHARS], 2);
  return a! + b!;
}

interface Naming {
  name: string;
  industry: string;
}

function nameFor(rng: Random, kind: EnterpriseKind, rep: DemoCitizen, subdistrictRoot: string): Naming {
  switch (kind) {
    case "有限责任公司":
    case "股份有限公司": {
      const { industry, words } = INDUSTRIES.draw(rng);
      const city = rng.chance(0.35) ? "广州市" : rng.chance(0.15) ? "广州云溪" : "广州";
      const form = kind === "有限责任公司" ? "有限公司" : "股份有限公司";
      return { name: `${city}${tradeName(rng)}${rng.pick(words)}${form}`, industry };
    }
    case "个体工商户": {
      const { industry, shop } = SHOPS.draw(rng);
      // Shops are named after the keeper (陈记) as often as after a trade name.
      const keeper =
        rng.chance(0.55) && !/[a-z]/i.test(rep.name) ? `${rep.name.slice(0, 1)}记` : tradeName(rng);
      // Since 2022 an individual business's name must end with （个体工商户）.
      return { name: `${CITY}${DISTRICT}${keeper}${shop}（个体工商户）`, industry };
    }
    case "个人独资企业": {
      const { industry, word } = rng.pick(SOLE_PROPRIETORSHIPS);
      return {
        name: `${CITY}${DISTRICT}${tradeName(rng)}${word}${rng.pick(["商行", "经营部", "工作室"])}`,
        industry,
      };
    }
    case "合伙企业": {
      const { industry, word, liability } = rng.pick(PARTNERSHIPS);
      return { name: `广州${tradeName(rng)}${word}合伙企业（${liability}）`, industry };
    }
    case "农民专业合作社": {
      const place = rng.chance(0.5) ? subdistrictRoot : tradeName(rng);
      return {
        name: `${CITY}${DISTRICT}${place}${rng.pick(COOPERATIVE_PRODUCTS)}专业合作社`,
        industry: "A 农、林、牧、渔业",
      };
    }
  }
}

function businessAddress(rng: Random, community: CommunityPlace, kind: EnterpriseKind): string {
  const street = `${CITY}${DISTRICT}${rng.pick(community.roads)}${rng.int(1, 388)}号`;
  if (kind === "个体工商户")
    return rng.chance(0.7) ? `${street}首层` : `${street}之${rng.int(1, 9)}首层${rng.int(1, 12)}号铺`;
  if (kind === "农民专业合作社") return `${street}自编${rng.int(1, 30)}号`;
  const style = rng.next();
  const room = `${rng.int(1, 30)}${String(rng.int(1, 20)).padStart(2, "0")}`;
  if (style < 0.5) return `${street}${room}室`;
  if (style < 0.8) return `${street}${rng.int(1, 6)}栋${room}室`;
  return `${street}自编${rng.int(1, 20)}栋${room}房`;
}

/** Cooperatives and limited partnerships exist only since the 2007 laws that created them. */
const EARLIEST_BY_KIND: Partial<Record<EnterpriseKind, string>> = {
  农民专业合作社: "2007-07-01",
  合伙企业: "2007-06-01",
};

function establishedOn(rng: Random, kind: EnterpriseKind, rep: DemoCitizen): string {
  // Nobody registers a business before turning eighteen.
  const earliest = [addYears(rep.birthDate, 18), `${FIRST_YEAR}-01-01`, EARLIEST_BY_KIND[kind] ?? ""]
    .sort()
    .at(-1)!;
  const years = kind === "个体工商户" ? INDIVIDUAL_YEARS : COMPANY_YEARS;
  const year = years.draw(rng);
  const candidate = dayBetween(rng, `${year}-01-01`, `${year}-12-31`);
  if (candidate >= earliest) return candidate;
  return dayBetween(rng, earliest, LAST_DAY);
}

export function generateEnterprises(
  rng: Random,
  mint: DocumentMint,
  citizens: readonly DemoCitizen[],
  communities: readonly CommunityPlace[],
  count: number,
): DemoEnterprise[] {
  // Legal representatives are working-age adults; some run more than one business, as in life.
  const adults = citizens.filter((c) => {
    const age = ageOn(c.birthDate, AS_OF);
    return age >= 20 && age <= 75;
  });
  if (adults.length === 0)
    throw new Error("The demo district needs adult citizens to represent its enterprises");
  const communitiesBySubdistrict = new Map<string, CommunityPlace[]>();
  for (const c of communities) {
    const list = communitiesBySubdistrict.get(c.subdistrictCode) ?? [];
    list.push(c);
    communitiesBySubdistrict.set(c.subdistrictCode, list);
  }
  const subdistrictCodes = [...communitiesBySubdistrict.keys()];
  const names = new Set<string>();
  const enterprises: DemoEnterprise[] = [];

  while (enterprises.length < count) {
    const kind = KINDS.draw(rng);
    const rep = rng.pick(adults);
    // Shopkeepers trade near home; companies register wherever they found offices.
    const subdistrictCode =
      kind === "个体工商户" && rng.chance(0.7) ? rep.subdistrictCode : rng.pick(subdistrictCodes);
    const community = rng.pick(communitiesBySubdistrict.get(subdistrictCode)!);
    const naming = nameFor(rng, kind, rep, community.subdistrictName.replace(/街道$/, ""));
    if (names.has(naming.name)) continue;
    names.add(naming.name);
    const date = establishedOn(rng, kind, rep);
    const ownPhone = (kind === "个体工商户" || kind === "个人独资企业") && rng.chance(0.7);
    enterprises.push({
      uscc: mint.uscc(rng, USCC_ORG_TYPE[kind], date),
      name: naming.name,
      kind,
      legalRepIdNumber: rep.idNumber,
      legalRepName: rep.name,
      registeredCapitalFen: CAPITAL[kind].draw(rng) * 100,
      establishedOn: date,
      industry: naming.industry,
      address: businessAddress(rng, community, kind),
      subdistrictCode,
      phone: ownPhone ? rep.phone : rng.chance(0.55) ? mint.landline(rng) : mint.mobile(rng),
    });
  }
  return enterprises;
}
