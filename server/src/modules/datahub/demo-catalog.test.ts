import { describe, expect, it } from "vitest";
import { BUREAUS } from "../../demo/bureaus";
import { CATEGORIES, SHARING_METHODS, UPDATE_CYCLES } from "./catalog/catalog.types";
import { DEMO_RESOURCES, DEMO_RESPONSIBILITIES, type DemoResponsibility } from "./demo-catalog";

const BUREAU_KEYS = new Set(BUREAUS.map((b) => b.key));
const BASE_PREFIX: Record<DemoResponsibility["base"], string> = {
  population: "person",
  legalPerson: "enterprise",
};
const responsibilityOf = new Map(DEMO_RESPONSIBILITIES.map((r) => [`${BASE_PREFIX[r.base]}.${r.field}`, r]));
const allItems = DEMO_RESOURCES.flatMap((r) => r.items.map((item) => ({ resource: r.name, ...item })));

function duplicates(values: readonly string[]): string[] {
  const seen = new Set<string>();
  return values.filter((v) => seen.has(v) || !seen.add(v));
}

describe("DEMO_RESOURCES", () => {
  it("has 45 to 60 resources with unique names", () => {
    expect(DEMO_RESOURCES.length).toBeGreaterThanOrEqual(45);
    expect(DEMO_RESOURCES.length).toBeLessThanOrEqual(60);
    expect(duplicates(DEMO_RESOURCES.map((r) => r.name))).toEqual([]);
  });

  it("starts with the population and enterprise resources the demo relies on", () => {
    const [people, enterprises] = DEMO_RESOURCES;
    expect(people).toMatchObject({
      name: "人口基本信息",
      provider: "public-security",
      categoryCode: "101",
      sharingType: "conditional",
      sharingMethod: "api",
      keyItem: "idNumber",
    });
    expect(people!.items.map((i) => i.name)).toEqual(
      expect.arrayContaining([
        "name",
        "idNumber",
        "gender",
        "birthDate",
        "ethnicity",
        "householdAddress",
        "phone",
      ]),
    );
    expect(enterprises).toMatchObject({
      name: "企业登记基本信息",
      provider: "market-regulation",
      categoryCode: "102",
      sharingType: "unconditional",
      sharingMethod: "api",
      keyItem: "uscc",
    });
    const items = new Map(enterprises!.items.map((i) => [i.name, i]));
    expect([...items.keys()]).toEqual(
      expect.arrayContaining([
        "uscc",
        "name",
        "kind",
        "legalRepName",
        "registeredCapital",
        "establishedOn",
        "address",
        "industry",
        "status",
      ]),
    );
    expect(items.get("registeredCapital")).toMatchObject({
      type: "integer",
      title: expect.stringContaining("万元"),
    });
    expect(items.get("establishedOn")?.type).toBe("date");
  });

  it("gives every resource 5 to 15 uniquely named items, one of which is its key", () => {
    const names = (r: (typeof DEMO_RESOURCES)[number]) => r.items.map((i) => i.name);
    expect(
      DEMO_RESOURCES.filter((r) => r.items.length < 5 || r.items.length > 15).map((r) => r.name),
    ).toEqual([]);
    expect(DEMO_RESOURCES.filter((r) => duplicates(names(r)).length > 0).map((r) => r.name)).toEqual([]);
    expect(DEMO_RESOURCES.filter((r) => !names(r).includes(r.keyItem)).map((r) => r.name)).toEqual([]);
    expect(DEMO_RESOURCES.filter((r) => r.code !== undefined).map((r) => r.name)).toEqual([]);
    expect(allItems.filter((i) => !/^[a-z][a-zA-Z0-9_]*$/.test(i.name)).map((i) => i.name)).toEqual([]);
  });

  it("states a condition and a basis where the sharing type requires them", () => {
    const missing = DEMO_RESOURCES.filter(
      (r) =>
        (r.sharingType === "conditional" && !(r.sharingCondition?.trim() && r.sharingBasis?.trim())) ||
        (r.sharingType === "none" && !r.sharingBasis?.trim()) ||
        (r.sharingType !== "conditional" && r.sharingCondition),
    );
    expect(missing.map((r) => r.name)).toEqual([]);
  });

  it("mixes sharing types roughly 40 / 45 / 10–15 per cent", () => {
    const share = (type: string) =>
      DEMO_RESOURCES.filter((r) => r.sharingType === type).length / DEMO_RESOURCES.length;
    expect(share("unconditional")).toBeGreaterThanOrEqual(0.35);
    expect(share("unconditional")).toBeLessThanOrEqual(0.45);
    expect(share("conditional")).toBeGreaterThanOrEqual(0.4);
    expect(share("conditional")).toBeLessThanOrEqual(0.5);
    expect(share("none")).toBeGreaterThanOrEqual(0.1);
    expect(share("none")).toBeLessThanOrEqual(0.15);
  });

  it("uses every category, sharing method and update cycle, and only known categories", () => {
    const codes = new Set(CATEGORIES.map((c) => c.code));
    expect(DEMO_RESOURCES.filter((r) => !codes.has(r.categoryCode)).map((r) => r.name)).toEqual([]);
    expect(new Set(DEMO_RESOURCES.map((r) => r.categoryCode))).toEqual(codes);
    expect(new Set(DEMO_RESOURCES.map((r) => r.sharingMethod))).toEqual(new Set(SHARING_METHODS));
    expect(new Set(DEMO_RESOURCES.map((r) => r.updateCycle))).toEqual(new Set(UPDATE_CYCLES));
  });

  it("is provided by at least 20 bureaus, all of them real bureau keys", () => {
    const providers = new Set(DEMO_RESOURCES.map((r) => r.provider));
    expect([...providers].filter((p) => !BUREAU_KEYS.has(p))).toEqual([]);
    expect(providers.size).toBeGreaterThanOrEqual(20);
  });

  it("marks personal information consistently", () => {
    const masked = new Set(["name", "id", "phone", "address"]);
    const wrong = allItems.filter((i) => (i.sensitive && !i.personal) || (masked.has(i.mask) && !i.personal));
    expect(wrong.map((i) => `${i.resource}.${i.name}`)).toEqual([]);
  });

  it("keeps core data to a few items in resources that are not shared", () => {
    const core = DEMO_RESOURCES.flatMap((r) =>
      r.items.filter((i) => i.grade === "core").map((i) => ({ resource: r, item: i.name })),
    );
    expect(core.length).toBeGreaterThanOrEqual(1);
    expect(core.length).toBeLessThanOrEqual(3);
    expect(core.filter((c) => c.resource.sharingType !== "none").map((c) => c.item)).toEqual([]);
  });

  it("carries only base fields of the responsibility list, each at most once per resource", () => {
    const unknown = allItems.filter((i) => i.baseField !== null && !responsibilityOf.has(i.baseField));
    expect(unknown.map((i) => `${i.resource}.${i.name}: ${i.baseField}`)).toEqual([]);
    const baseFields = (r: (typeof DEMO_RESOURCES)[number]) => r.items.flatMap((i) => i.baseField ?? []);
    expect(DEMO_RESOURCES.filter((r) => duplicates(baseFields(r)).length > 0).map((r) => r.name)).toEqual([]);
  });
});

describe("DEMO_RESPONSIBILITIES", () => {
  it("names exactly one provider, a real bureau, for each field of each base", () => {
    expect(duplicates(DEMO_RESPONSIBILITIES.map((r) => `${r.base}.${r.field}`))).toEqual([]);
    expect(DEMO_RESPONSIBILITIES.filter((r) => !BUREAU_KEYS.has(r.provider)).map((r) => r.field)).toEqual([]);
    const count = (base: string) => DEMO_RESPONSIBILITIES.filter((r) => r.base === base).length;
    expect(count("population")).toBeGreaterThanOrEqual(18);
    expect(count("legalPerson")).toBeGreaterThanOrEqual(12);
  });

  it("has each provider publish a resource carrying the field it is responsible for", () => {
    const unpublished = [...responsibilityOf].filter(
      ([baseField, r]) =>
        !DEMO_RESOURCES.some(
          (res) => res.provider === r.provider && res.items.some((i) => i.baseField === baseField),
        ),
    );
    expect(unpublished.map(([baseField]) => baseField)).toEqual([]);
  });
});
