import type { Role } from "../kernel/access/roles";
import { BUREAUS } from "./bureaus";
import { chineseName } from "./names";
import type { Organisation } from "./organisation";
import type { Random } from "./random";
import type { DemoDepartment, DemoStaff } from "./types";

/** Staff roles that get a named demo account (the citizen and enterprise accounts are not staff). */
export type StaffRole = Exclude<Role, "citizen" | "enterprise">;

/**
 * Where each demo staff account sits. Everyone but the leader sits in a section (科室) or grid, where
 * such work is done; the leader is a deputy district head at the government root.
 */
export const NAMED_POSTS: Record<StaffRole, { bureau?: string; office?: string; position: string }> = {
  clerk: { bureau: "data-bureau", office: "政务服务中心", position: "综合窗口受理员" },
  approver: { bureau: "market-regulation", office: "登记注册科", position: "科长" },
  officer: { bureau: "general-office", office: "秘书科", position: "科员" },
  leader: { position: "副区长" },
  dispatcher: { bureau: "operations-centre", office: "指挥调度科", position: "指挥调度员" },
  gridworker: { position: "网格员" },
  dataofficer: { bureau: "civil-affairs", office: "办公室", position: "科员（数据专员）" },
  databureau: { bureau: "data-bureau", office: "数据资源科", position: "科长" },
  admin: { bureau: "data-bureau", office: "信息科", position: "系统管理员" },
};

/** Head and deputy titles follow the kind of body: 局 has 局长, 办公室 and 中心 have 主任, and so on. */
function headTitles(name: string): [string, string] {
  if (name.endsWith("联合会")) return ["理事长", "副理事长"];
  if (name.endsWith("总工会")) return ["主席", "副主席"];
  if (name.endsWith("局")) return ["局长", "副局长"];
  return ["主任", "副主任"];
}

function sectionHead(name: string): string {
  if (name.endsWith("大队")) return "大队长";
  if (name.endsWith("科")) return "科长";
  return "主任";
}

export function generateStaff(
  rng: Random,
  org: Organisation,
): { staff: DemoStaff[]; named: Record<StaffRole, DemoStaff> } {
  const staff: DemoStaff[] = [];
  let serial = 10_001;
  const person = (departmentCode: string, position: string, roles: Role[], username?: string): DemoStaff => {
    const birthYear = rng.int(1966, 2001);
    const member: DemoStaff = {
      username: username ?? `yx${serial++}`,
      displayName: chineseName(rng, rng.chance(0.55) ? "male" : "female", birthYear),
      departmentCode,
      position,
      roles,
    };
    staff.push(member);
    return member;
  };

  const children = new Map<string, DemoDepartment[]>();
  for (const d of org.departments) {
    if (!d.parentCode) continue;
    const list = children.get(d.parentCode) ?? [];
    list.push(d);
    children.set(d.parentCode, list);
  }
  const root = org.departments.find((d) => d.kind === "government")!;

  const named: Partial<Record<StaffRole, DemoStaff>> = {};
  person(root.code, "区长", ["leader"]);
  named.leader = person(root.code, NAMED_POSTS.leader.position, ["leader"], "leader");
  for (let i = 0; i < 3; i++) person(root.code, "副区长", ["leader"]);

  const clerkCentre = org.office("data-bureau", "政务服务中心");
  const dispatchSection = org.office("operations-centre", "指挥调度科");
  const dataSection = org.office("data-bureau", "数据资源科");
  for (const spec of BUREAUS) {
    const bureauCode = org.bureau(spec.key);
    const [head, deputy] = headTitles(spec.name);
    person(bureauCode, head, ["leader"]);
    for (let i = rng.int(1, 3); i > 0; i--) person(bureauCode, deputy, ["leader"]);
    (children.get(bureauCode) ?? []).forEach((section, index) => {
      person(section.code, sectionHead(section.name), ["officer"]);
      if (rng.chance(0.5)) person(section.code, `副${sectionHead(section.name)}`, ["officer"]);
      // Every bureau keeps one data officer (部门数据专员) in its first section.
      if (index === 0) person(section.code, "科员（数据专员）", ["officer", "dataofficer"]);
      if (section.code === clerkCentre)
        for (let i = 0; i < 6; i++) person(section.code, "综合窗口受理员", ["clerk"]);
      else if (section.code === dispatchSection)
        for (let i = 0; i < 4; i++) person(section.code, "指挥调度员", ["dispatcher"]);
      else if (section.code === dataSection)
        for (let i = 0; i < 3; i++) person(section.code, "科员", ["databureau"]);
      else for (let i = rng.int(1, 4); i > 0; i--) person(section.code, "科员", ["officer"]);
    });
  }

  for (const [role, post] of Object.entries(NAMED_POSTS) as [StaffRole, (typeof NAMED_POSTS)[StaffRole]][]) {
    if (!post.bureau || !post.office) continue;
    named[role] = person(org.office(post.bureau, post.office), post.position, [role], role);
  }

  for (const subdistrict of org.departments.filter((d) => d.kind === "subdistrict")) {
    person(subdistrict.code, "主任", ["leader"]);
    for (let i = 0; i < 2; i++) person(subdistrict.code, "副主任", ["leader"]);
    for (let i = rng.int(2, 4); i > 0; i--) person(subdistrict.code, "科员", ["officer"]);
  }
  for (const community of org.communities) {
    person(community.code, "社区居委会主任", ["officer"]);
    person(community.code, "社区专职工作人员", ["officer"]);
    community.gridCodes.forEach((gridCode, i) => {
      // The first grid of the first community is staffed by the demo grid worker account.
      const isDemo = named.gridworker === undefined && i === 0;
      const worker = person(
        gridCode,
        NAMED_POSTS.gridworker.position,
        ["gridworker"],
        isDemo ? "gridworker" : undefined,
      );
      if (isDemo) named.gridworker = worker;
    });
  }
  const missing = (Object.keys(NAMED_POSTS) as StaffRole[]).filter((role) => !named[role]);
  if (missing.length > 0) throw new Error(`Demo staff accounts not placed: ${missing.join(", ")}`);
  return { staff, named: named as Record<StaffRole, DemoStaff> };
}
