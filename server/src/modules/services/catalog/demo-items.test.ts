import Ajv2020 from "ajv/dist/2020";
import addFormats from "ajv-formats";
import { describe, expect, it } from "vitest";
import { BUREAUS } from "../../../demo/bureaus";
import { fieldsOf } from "../../datahub";
import { itemProblems } from "./catalog.service";
import { DEMO_ITEMS } from "./demo-items";
import { ITEM_TYPES, type ItemType, LIFE_EVENTS, type ServiceItemSpec } from "./item";

/** Proves the demo catalog is sound data: codes, forms, prefill bindings, time limits and coverage. */

type Schema = Record<string, unknown>;

const TYPE_PREFIX: Record<ItemType, string> = {
  行政许可: "XK",
  行政确认: "QR",
  行政裁决: "CJ",
  行政给付: "JF",
  行政奖励: "JL",
  行政备案: "BA",
  其他行政权力: "QT",
  公共服务: "GG",
};

// The same options the platform validates forms with, plus the two custom keywords.
const ajv = new Ajv2020({ strict: true, allErrors: true });
addFormats.default(ajv);
ajv.addKeyword("x-prefill");
ajv.addKeyword("x-correctable");

const PERSON_FIELDS = new Set(fieldsOf("population"));
const LEGAL_PERSON_FIELDS = new Set(fieldsOf("legalPerson"));
const BUREAU_KEYS = new Set(BUREAUS.map((b) => b.key));

const propertiesOf = (schema: Schema) => (schema.properties ?? {}) as Record<string, Schema>;
const duplicates = (values: readonly string[]) => values.filter((v, i) => values.indexOf(v) !== i);
const only = (types: ServiceItemSpec["applicantTypes"]) => (types.length === 1 ? types[0] : null);

/** Every schema under a form (properties, array items, row properties), with its path. */
function* walk(schema: Schema, path = ""): Generator<[string, Schema]> {
  for (const [key, property] of Object.entries(propertiesOf(schema))) {
    yield [`${path}/${key}`, property];
    if (property.items) {
      const items = property.items as Schema;
      yield [`${path}/${key}/items`, items];
      yield* walk(items, `${path}/${key}/items`);
    }
  }
}

/** How deep objects nest below the form (0: flat, 1: rows of flat objects). */
function depth(schema: Schema): number {
  let deepest = 0;
  for (const property of Object.values(propertiesOf(schema))) {
    const inner = property.type === "array" ? (property.items as Schema) : property;
    if (inner.type === "object") deepest = Math.max(deepest, 1 + depth(inner));
  }
  return deepest;
}

describe("DEMO_ITEMS", () => {
  it("has at least 56 items with unique implementation codes and well-formed basic codes", () => {
    expect(DEMO_ITEMS.length).toBeGreaterThanOrEqual(56);
    expect(duplicates(DEMO_ITEMS.map((i) => i.code))).toEqual([]);
    expect(duplicates(DEMO_ITEMS.map((i) => i.name))).toEqual([]);
    for (const item of DEMO_ITEMS) {
      expect(ITEM_TYPES, item.name).toContain(item.itemType);
      expect(item.basicCode, item.name).toMatch(/^(XK|QR|CJ|JF|JL|BA|QT|GG)\d{8}$/);
      expect(item.basicCode.slice(0, 2), item.name).toBe(TYPE_PREFIX[item.itemType]);
      const number = String(BUREAUS.findIndex((b) => b.key === item.departmentKey) + 1).padStart(3, "0");
      expect(item.code, item.name).toMatch(new RegExp(`^${item.basicCode}-\\d{12}-${number}-01$`));
    }
  });

  it("places every item with a department of the demo district, spread over at least 12", () => {
    for (const item of DEMO_ITEMS) expect(BUREAU_KEYS, item.name).toContain(item.departmentKey);
    expect(new Set(DEMO_ITEMS.map((i) => i.departmentKey)).size).toBeGreaterThanOrEqual(12);
    const market = DEMO_ITEMS.filter((i) => i.departmentKey === "market-regulation");
    expect(market.length).toBeGreaterThanOrEqual(10);
  });

  it("serves citizens and enterprises, with instant items among them", () => {
    const serves = (type: "person" | "legal") => DEMO_ITEMS.filter((i) => i.applicantTypes.includes(type));
    expect(serves("person").length).toBeGreaterThanOrEqual(15);
    expect(serves("legal").length).toBeGreaterThanOrEqual(15);
    expect(DEMO_ITEMS.some((i) => i.applicantTypes.length === 2)).toBe(true);
    for (const item of DEMO_ITEMS) expect(duplicates(item.applicantTypes), item.name).toEqual([]);
    const instant = DEMO_ITEMS.filter((i) => i.promisedDays === 0 && i.statutoryDays === 0);
    expect(instant.length).toBeGreaterThanOrEqual(6);
  });

  it("uses every life event, and gives every item at least one", () => {
    for (const item of DEMO_ITEMS) {
      expect(item.lifeEvents.length, item.name).toBeGreaterThan(0);
      for (const event of item.lifeEvents) expect(Object.keys(LIFE_EVENTS), item.name).toContain(event);
    }
    const used = new Set(DEMO_ITEMS.flatMap((i) => i.lifeEvents));
    expect(Object.keys(LIFE_EVENTS).filter((e) => !used.has(e as keyof typeof LIFE_EVENTS))).toEqual([]);
  });

  it("keeps time limits, handling form and visits consistent", () => {
    for (const item of DEMO_ITEMS) {
      expect(item.promisedDays, item.name).toBeLessThanOrEqual(item.statutoryDays);
      expect(item.promisedDays, item.name).toBeGreaterThanOrEqual(0);
      expect([0, 1, 2], item.name).toContain(item.visits);
      if (item.fullyOnline) {
        expect(item.visits, item.name).toBe(0);
        expect(item.handlingForm, item.name).not.toBe("window");
      }
      for (const step of item.specialSteps) expect(step.maxDays, item.name).toBeGreaterThan(0);
      expect(Number.isInteger(item.fee.amountFen) && item.fee.amountFen >= 0, item.name).toBe(true);
      if (item.fee.amountFen === 0)
        expect(`${item.fee.basis ?? ""}${item.fee.note ?? ""}`).toContain("不收费");
    }
  });

  it("lists 1 to 6 materials per item, with unique lower-kebab codes", () => {
    for (const item of DEMO_ITEMS) {
      expect(item.materials.length, item.name).toBeGreaterThanOrEqual(1);
      expect(item.materials.length, item.name).toBeLessThanOrEqual(6);
      expect(duplicates(item.materials.map((m) => m.code)), item.name).toEqual([]);
      for (const m of item.materials) {
        expect(m.code, item.name).toMatch(/^[a-z0-9]+(-[a-z0-9]+)*$/);
        expect(m.copies, `${item.name} ${m.code}`).toBeGreaterThanOrEqual(1);
      }
    }
  });

  it("cites a legal basis and names concrete conditions and channels", () => {
    for (const item of DEMO_ITEMS) {
      expect(item.legalBasis.length, item.name).toBeGreaterThan(0);
      for (const basis of item.legalBasis) expect(basis, item.name).toMatch(/《.+》/);
      expect(item.conditions.length, item.name).toBeGreaterThan(0);
      for (const condition of item.conditions) expect(condition, item.name).not.toMatch(/^其他/);
      expect(item.consultation, item.name).toContain("咨询电话");
      expect(item.complaint, item.name).toContain("12345");
      expect(item.result.name.length, item.name).toBeGreaterThan(0);
      expect(item.processKey, item.name).toBeUndefined();
    }
  });

  it("passes the catalog's own rules, as the demo seed drafts each item", () => {
    for (const { departmentKey: _d, ...spec } of DEMO_ITEMS)
      expect([spec.name, itemProblems(spec)]).toEqual([spec.name, []]);
  });

  it("has forms that compile with Ajv 2020 in strict mode", () => {
    for (const item of DEMO_ITEMS) {
      expect(() => ajv.compile(item.form), item.name).not.toThrow();
      expect(item.form.type, item.name).toBe("object");
      expect(item.form.additionalProperties, item.name).toBe(false);
      const keys = Object.keys(propertiesOf(item.form));
      expect(keys.length, item.name).toBeGreaterThan(0);
      for (const key of (item.form.required ?? []) as string[]) expect(keys, item.name).toContain(key);
    }
  });

  it("bounds every string, keeps objects flat below one level and closes every object", () => {
    for (const item of DEMO_ITEMS) {
      expect(depth(item.form), item.name).toBeLessThanOrEqual(1);
      for (const [path, schema] of walk(item.form)) {
        const where = `${item.name} ${path}`;
        expect(typeof schema.title === "string" || path.endsWith("/items"), where).toBe(true);
        if (schema.type === "string") {
          expect(typeof schema.maxLength, where).toBe("number");
          expect(schema.maxLength as number, where).toBeLessThanOrEqual(
            schema.maxLength === 2000 ? 2000 : 500,
          );
        }
        if (schema.type === "object") {
          expect(schema.additionalProperties, where).toBe(false);
          for (const key of (schema.required ?? []) as string[])
            expect(Object.keys(propertiesOf(schema)), where).toContain(key);
        }
      }
    }
  });

  it("orders every property in the uiSchema and hints only at properties that exist", () => {
    for (const item of DEMO_ITEMS) {
      const keys = Object.keys(propertiesOf(item.form));
      const order = item.uiSchema["ui:order"] as string[];
      expect([...order].sort(), item.name).toEqual([...keys].sort());
      expect(duplicates(order), item.name).toEqual([]);
      for (const key of Object.keys(item.uiSchema).filter((k) => !k.startsWith("ui:")))
        expect(keys, item.name).toContain(key);
    }
  });

  it("binds prefilled fields to the applicant's base, with matching types", () => {
    for (const item of DEMO_ITEMS) {
      const single = only(item.applicantTypes);
      const base = single === "person" ? PERSON_FIELDS : single === "legal" ? LEGAL_PERSON_FIELDS : null;
      const top = Object.values(propertiesOf(item.form));
      const bound = top.filter((p) => p["x-prefill"] !== undefined);
      // Nested rows are never prefilled: the platform binds top-level properties only.
      for (const [path, schema] of walk(item.form))
        if (path.split("/").length > 2) expect(schema["x-prefill"], `${item.name} ${path}`).toBeUndefined();
      for (const p of top)
        if (p["x-correctable"] !== undefined) expect(p["x-prefill"], `${item.name} ${p.title}`).toBeDefined();
      if (!base) {
        expect(
          bound.map((p) => p.title),
          `${item.name} serves both kinds of applicant`,
        ).toEqual([]);
        continue;
      }
      expect(bound.length, item.name).toBeGreaterThanOrEqual(2);
      expect(duplicates(bound.map((p) => String(p["x-prefill"]))), item.name).toEqual([]);
      for (const p of bound) {
        const field = String(p["x-prefill"]);
        const where = `${item.name} ${p.title} ← ${field}`;
        expect(base.has(field), where).toBe(true);
        if (field === "birthDate" || field === "establishedDate") {
          expect(p.type, where).toBe("string");
          expect(p.format, where).toBe("date");
        } else if (field === "registeredCapital") expect(p.type, where).toBe("number");
        else expect(p.type, where).toBe("string");
        if (p["x-correctable"] !== undefined) expect(p["x-correctable"], where).toBe(true);
      }
    }
  });

  describe("the 个体工商户设立登记 form", () => {
    const item = DEMO_ITEMS.find((i) => i.name === "个体工商户设立登记")!;
    const validate = ajv.compile(item.form);
    const data = {
      applicantName: "陈志强",
      idNumber: "44012019850312241X",
      phone: "13826451234",
      address: "广州市云溪区江湾街道滨江路88号",
      tradeName: "广州市云溪区陈记粥铺（个体工商户）",
      premises: "广州市云溪区江湾街道江湾路12号首层",
      premisesArea: 36.5,
      businessScope: "餐饮服务；食品销售",
      organisationForm: "家庭经营",
      familyMembers: "李秀英",
      employees: 3,
      capital: 8,
      deliveryMethod: "电子营业执照",
    };

    it("is a person item prefilled from the population base", () => {
      expect(item.applicantTypes).toEqual(["person"]);
      expect(item.departmentKey).toBe("market-regulation");
      const properties = propertiesOf(item.form);
      expect(properties.applicantName?.["x-prefill"]).toBe("name");
      expect(properties.phone).toMatchObject({ "x-prefill": "phone", "x-correctable": true });
    });

    it("accepts a complete application", () => {
      expect(validate(data), JSON.stringify(validate.errors)).toBe(true);
    });

    it("rejects a bad phone number, a missing required field and an unknown field", () => {
      expect(validate({ ...data, phone: "1234567" })).toBe(false);
      expect(validate.errors?.[0]).toMatchObject({ instancePath: "/phone", keyword: "pattern" });
      const { premises: _premises, ...missing } = data;
      expect(validate(missing)).toBe(false);
      expect(validate({ ...data, organisationForm: "合伙经营" })).toBe(false);
      expect(validate({ ...data, nickname: "陈老板" })).toBe(false);
    });
  });
});
