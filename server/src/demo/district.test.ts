import { createHash } from "node:crypto";
import { describe, expect, it } from "vitest";
import { ROLES } from "../kernel/access/roles";
import {
  orgCodeCheckChar,
  parseCitizenId,
  parseUscc,
  validateIdentityDocument,
} from "../kernel/identity/identifiers";
import { AS_OF, ageOn } from "./dates";
import { type DemoDepartment, type DepartmentKind, generateDistrict } from "./district";

const hashOf = (value: unknown) => createHash("sha256").update(JSON.stringify(value)).digest("hex");
const TODAY = { today: AS_OF };

const started = performance.now();
const district = generateDistrict();
const elapsedMs = performance.now() - started;

const departments = new Map(district.departments.map((d) => [d.code, d]));
const citizensById = new Map(district.citizens.map((c) => [c.idNumber, c]));

function expectUnique(values: readonly string[]) {
  const counts = new Map<string, number>();
  for (const v of values) counts.set(v, (counts.get(v) ?? 0) + 1);
  expect([...counts].filter(([, n]) => n > 1).map(([v]) => v)).toEqual([]);
}

describe("generateDistrict", () => {
  it("is deterministic: the same seed gives byte-identical output", () => {
    expect(hashOf(generateDistrict())).toBe(hashOf(district));
    const small = { seed: 7, citizens: 500, enterprises: 100 };
    expect(hashOf(generateDistrict(small))).toBe(hashOf(generateDistrict(small)));
    expect(hashOf(generateDistrict({ ...small, seed: 8 }))).not.toBe(hashOf(generateDistrict(small)));
  });

  it("keeps the organisation tree fixed and citizens independent of the enterprise count", () => {
    const a = generateDistrict({ seed: 7, citizens: 500, enterprises: 100 });
    const b = generateDistrict({ seed: 7, citizens: 500, enterprises: 150 });
    const c = generateDistrict({ seed: 9, citizens: 500, enterprises: 100 });
    expect(hashOf(b.citizens)).toBe(hashOf(a.citizens));
    expect(hashOf(c.departments)).toBe(hashOf(a.departments));
  });

  it("generates the default district quickly and at full size", () => {
    expect(elapsedMs).toBeLessThan(2_000);
    expect(district.citizens.length).toBeGreaterThanOrEqual(10_000);
    expect(district.enterprises.length).toBeGreaterThanOrEqual(2_000);
    expect(district.staff.length).toBeGreaterThanOrEqual(300);
    const sized = generateDistrict({ seed: 3, citizens: 321, enterprises: 45 });
    expect(sized.citizens).toHaveLength(321);
    expect(sized.enterprises).toHaveLength(45);
    expect(() => generateDistrict({ citizens: 0 })).toThrow(RangeError);
    expect(() => generateDistrict({ enterprises: 1.5 })).toThrow(RangeError);
  });

  it("issues valid, unique identity documents that agree with the citizen record", () => {
    for (const c of district.citizens) {
      if (c.idType === "resident_id") {
        const parsed = parseCitizenId(c.idNumber, TODAY);
        expect(parsed, c.idNumber).toMatchObject({
          ok: true,
          normalized: c.idNumber,
          birthDate: c.birthDate,
        });
        expect(parsed.ok && parsed.gender, c.idNumber).toBe(c.gender);
      } else {
        expect(validateIdentityDocument(c.idType, c.idNumber, TODAY), c.idNumber).toEqual({
          ok: true,
          normalized: c.idNumber,
        });
      }
    }
    expectUnique(district.citizens.map((c) => `${c.idType}:${c.idNumber}`));
    expectUnique(district.citizens.map((c) => c.idNumber));
  });

  it("issues valid, unique USCCs registered in the district", () => {
    const orgType: Record<string, string> = { 个体工商户: "2", 农民专业合作社: "3" };
    for (const e of district.enterprises) {
      const parsed = parseUscc(e.uscc);
      expect(parsed, e.uscc).toMatchObject({
        ok: true,
        normalized: e.uscc,
        registrationAuthority: "9",
        orgType: orgType[e.kind] ?? "1",
        regionCode: "440120",
      });
      expect(orgCodeCheckChar(e.uscc.slice(8, 16)), e.uscc).toBe(e.uscc[16]);
    }
    expectUnique(district.enterprises.map((e) => e.uscc));
    expectUnique(district.enterprises.map((e) => e.name));
  });

  it("gives every citizen a unique mainland mobile number", () => {
    for (const c of district.citizens) expect(c.phone).toMatch(/^1[3-9]\d{9}$/);
    expectUnique(district.citizens.map((c) => c.phone));
  });

  it("has a realistic population", () => {
    const ages = district.citizens.map((c) => ageOn(c.birthDate, AS_OF));
    const share = (test: (age: number) => boolean) => ages.filter(test).length / ages.length;
    expect(Math.min(...ages)).toBeGreaterThanOrEqual(0);
    expect(Math.max(...ages)).toBeLessThanOrEqual(95);
    expect(share((a) => a < 15)).toBeGreaterThan(0.08);
    expect(share((a) => a < 15)).toBeLessThan(0.2);
    expect(share((a) => a >= 60)).toBeGreaterThan(0.08);
    expect(share((a) => a >= 60)).toBeLessThan(0.2);
    expect(share((a) => a >= 20 && a < 60)).toBeGreaterThan(0.55);
    const men = district.citizens.filter((c) => c.gender === "male").length / district.citizens.length;
    expect(men).toBeGreaterThan(0.46);
    expect(men).toBeLessThan(0.54);
    const nonMainland =
      district.citizens.filter((c) => c.idType !== "resident_id").length / district.citizens.length;
    expect(nonMainland).toBeGreaterThan(0.01);
    expect(nonMainland).toBeLessThan(0.035);
    for (const kind of ["hk_macao_permit", "taiwan_permit", "foreign_passport"]) {
      expect(district.citizens.some((c) => c.idType === kind)).toBe(true);
    }
  });

  it("places every citizen in a grid of its community of its sub-district, with a matching address", () => {
    for (const c of district.citizens) {
      const grid = departments.get(c.gridCode);
      const community = departments.get(c.communityCode);
      const subdistrict = departments.get(c.subdistrictCode);
      expect(grid?.kind).toBe("grid");
      expect(grid?.parentCode).toBe(c.communityCode);
      expect(community?.parentCode).toBe(c.subdistrictCode);
      expect(c.address.startsWith(`广州市云溪区${subdistrict?.name}`), c.address).toBe(true);
    }
  });

  it("gives every enterprise an adult legal representative from among the citizens", () => {
    for (const e of district.enterprises) {
      const rep = citizensById.get(e.legalRepIdNumber);
      expect(rep?.name, e.uscc).toBe(e.legalRepName);
      expect(ageOn(rep!.birthDate, e.establishedOn), e.uscc).toBeGreaterThanOrEqual(18);
      expect(e.establishedOn < AS_OF).toBe(true);
      if (e.kind === "农民专业合作社") expect(e.establishedOn >= "2007-07-01", e.uscc).toBe(true);
      expect(Number.isInteger(e.registeredCapitalFen)).toBe(true);
      expect(e.registeredCapitalFen).toBeGreaterThan(0);
      expect(e.registeredCapitalFen).toBeLessThanOrEqual(2 ** 31 - 1);
      expect(e.industry).toMatch(/^[A-T] \S/);
      expect(departments.get(e.subdistrictCode)?.kind).toBe("subdistrict");
      expect(e.address.startsWith("广州市云溪区")).toBe(true);
      expect(e.phone).toMatch(/^(1[3-9]\d{9}|020-\d{8})$/);
    }
    const kinds = new Set(district.enterprises.map((e) => e.kind));
    for (const kind of ["有限责任公司", "个体工商户", "股份有限公司", "个人独资企业", "农民专业合作社"]) {
      expect(kinds.has(kind)).toBe(true);
    }
  });
});

describe("organisation tree", () => {
  const children = (code: string) => district.departments.filter((d) => d.parentCode === code);
  const ofKind = (kind: DepartmentKind) => district.departments.filter((d) => d.kind === kind);

  it("has one root, the district government, and lists parents before children", () => {
    const roots = district.departments.filter((d) => d.parentCode === null);
    expect(roots).toEqual([
      expect.objectContaining({
        code: "440120",
        name: "云溪区人民政府",
        kind: "government",
        orgPrefix: "云府",
      }),
    ]);
    const seen = new Set<string>();
    for (const d of district.departments) {
      if (d.parentCode) expect(seen.has(d.parentCode), d.code).toBe(true);
      seen.add(d.code);
    }
    expectUnique(district.departments.map((d) => d.code));
  });

  it("nests kinds correctly", () => {
    const allowed: Record<DepartmentKind, DepartmentKind[]> = {
      government: ["bureau", "subdistrict"],
      bureau: ["office"],
      office: [],
      subdistrict: ["community"],
      community: ["grid"],
      grid: [],
    };
    for (const d of district.departments) {
      for (const child of children(d.code))
        expect(allowed[d.kind], `${d.code} → ${child.code}`).toContain(child.kind);
    }
  });

  it("has the expected shape and hierarchical codes", () => {
    const bureaus = ofKind("bureau");
    expect(bureaus.length).toBeGreaterThanOrEqual(28);
    for (const b of bureaus) {
      expect(children(b.code).length).toBeGreaterThanOrEqual(1);
      expect(children(b.code).length).toBeLessThanOrEqual(3);
      expect(b.orgPrefix).toMatch(/^云/);
    }
    const subdistricts = ofKind("subdistrict");
    expect(subdistricts).toHaveLength(18);
    for (const s of subdistricts) {
      expect(s.code).toMatch(/^440120\d{3}$/);
      expect(s.name).toMatch(/街道$/);
      const communities = children(s.code);
      expect(communities.length).toBeGreaterThanOrEqual(4);
      expect(communities.length).toBeLessThanOrEqual(10);
      for (const c of communities) {
        expect(c.code).toMatch(new RegExp(`^${s.code}\\d{3}$`));
        expect(c.name).toMatch(/社区$/);
        const grids = children(c.code);
        expect(grids.length).toBeGreaterThanOrEqual(2);
        expect(grids.length).toBeLessThanOrEqual(5);
        for (const g of grids) expect(g.code).toMatch(new RegExp(`^${c.code}\\d{3}$`));
      }
    }
    const names = (list: DemoDepartment[]) => list.map((d) => d.name);
    expectUnique(names(bureaus));
    expectUnique(names(subdistricts));
    expectUnique(names(ofKind("community")));
    for (const name of [
      "区政府办公室",
      "区公安分局",
      "区政务服务和数据管理局",
      "区城市运行管理中心",
      "区市场监督管理局",
    ]) {
      expect(names(bureaus)).toContain(name);
    }
    for (const d of district.departments) expect(d.nameEn.trim(), d.code).not.toBe("");
  });
});

describe("staff and demo accounts", () => {
  const staffByName = new Map(district.staff.map((s) => [s.username, s]));

  it("places staff in existing departments, with a grid worker in every grid", () => {
    for (const s of district.staff) {
      expect(departments.has(s.departmentCode), s.username).toBe(true);
      expect(s.roles.length).toBeGreaterThan(0);
      expect(s.position).not.toBe("");
      if (s.roles.includes("gridworker")) expect(departments.get(s.departmentCode)?.kind).toBe("grid");
    }
    expectUnique(district.staff.map((s) => s.username));
    const staffed = new Set(
      district.staff.filter((s) => s.roles.includes("gridworker")).map((s) => s.departmentCode),
    );
    for (const grid of district.departments.filter((d) => d.kind === "grid"))
      expect(staffed.has(grid.code)).toBe(true);
    for (const role of ROLES.filter((r) => r !== "citizen" && r !== "enterprise")) {
      expect(
        district.staff.some((s) => s.roles.includes(role)),
        role,
      ).toBe(true);
    }
  });

  it("has an easy-to-type account for every role", () => {
    for (const role of ROLES) {
      expect(district.accounts.find((a) => a.username === role)?.role, role).toBe(role);
    }
    expectUnique(district.accounts.map((a) => a.username));
    expectUnique(district.accounts.flatMap((a) => (a.phone ? [a.phone] : [])));
  });

  it("links staff accounts to staff with a TOTP secret, and people accounts to their records", () => {
    for (const a of district.accounts) {
      expect(a.password).toMatch(/^[A-Z][a-z0-9]+@2026!$/);
      if (a.kind === "staff") {
        expect(a.totpSecret).toMatch(/^[A-Z2-7]{32}$/);
        const member = staffByName.get(a.username);
        expect(member?.roles).toContain(a.role);
        expect(member?.departmentCode).toBe(a.departmentCode);
        expect(member?.displayName).toBe(a.displayName);
      } else {
        expect(a.totpSecret).toBeNull();
        const person = citizensById.get(a.citizenIdNumber ?? "");
        expect(person?.name).toBe(a.displayName);
        expect(person?.phone).toBe(a.phone);
      }
    }
    const enterpriseAccount = district.accounts.find((a) => a.role === "enterprise")!;
    const enterprise = district.enterprises.find((e) => e.uscc === enterpriseAccount.enterpriseUscc);
    expect(enterprise?.legalRepIdNumber).toBe(enterpriseAccount.citizenIdNumber);
    const totps = district.accounts.flatMap((a) => (a.totpSecret ? [a.totpSecret] : []));
    expectUnique(totps);
  });

  it("puts the role accounts where the work is done", () => {
    const departmentOf = (username: string) => {
      const code = district.accounts.find((a) => a.username === username)?.departmentCode ?? "";
      const d = departments.get(code);
      const parent = d?.parentCode ? departments.get(d.parentCode) : undefined;
      return [parent?.name, d?.name];
    };
    expect(departmentOf("leader")).toEqual([undefined, "云溪区人民政府"]);
    expect(departmentOf("clerk")).toEqual(["区政务服务和数据管理局", "政务服务中心"]);
    expect(departmentOf("approver")).toEqual(["区市场监督管理局", "登记注册科"]);
    expect(departmentOf("officer")).toEqual(["区政府办公室", "秘书科"]);
    expect(departmentOf("dispatcher")).toEqual(["区城市运行管理中心", "指挥调度科"]);
    expect(departmentOf("databureau")).toEqual(["区政务服务和数据管理局", "数据资源科"]);
    expect(departmentOf("admin")).toEqual(["区政务服务和数据管理局", "信息科"]);
    expect(departmentOf("dataofficer")[0]).toMatch(/^区.+(局|会)$/);
    expect(
      departments.get(district.accounts.find((a) => a.username === "gridworker")!.departmentCode!)?.kind,
    ).toBe("grid");
  });
});
