import { BUREAUS } from "./bureaus";
import {
  COMMUNITY_FIRST,
  COMMUNITY_SECOND,
  DISTRICT_CODE,
  ESTATE_MIDDLE,
  ESTATE_SUFFIX,
  placePinyin,
  SUBDISTRICTS,
} from "./places";
import { Random } from "./random";
import type { DemoDepartment } from "./types";

/**
 * The organisation tree does not depend on the caller's seed: codes such as 440120001001 appear in
 * documentation and tests, so every demo installation gets the same tree and only the people differ.
 */
const ORGANISATION_SEED = 440120;

export interface CommunityPlace {
  code: string;
  name: string;
  subdistrictCode: string;
  /** e.g. 江湾街道 */
  subdistrictName: string;
  roads: readonly string[];
  estates: readonly string[];
  gridCodes: readonly string[];
}

export interface Organisation {
  departments: DemoDepartment[];
  communities: CommunityPlace[];
  /** Code of the bureau with the given BureauSpec key. */
  bureau(key: string): string;
  /** Code of a section by bureau key and section name. */
  office(bureauKey: string, officeName: string): string;
}

const pad = (n: number, width: number) => String(n).padStart(width, "0");

export function buildOrganisation(): Organisation {
  const rng = Random.derive(ORGANISATION_SEED, "organisation");
  const departments: DemoDepartment[] = [
    {
      code: DISTRICT_CODE,
      name: "云溪区人民政府",
      nameEn: "Yunxi District People's Government",
      kind: "government",
      parentCode: null,
      orgPrefix: "云府",
    },
  ];
  const bureauCodes = new Map<string, string>();
  const officeCodes = new Map<string, string>();

  BUREAUS.forEach((spec, i) => {
    const code = `${DISTRICT_CODE}-B${pad(i + 1, 2)}`;
    bureauCodes.set(spec.key, code);
    departments.push({
      code,
      name: spec.name,
      nameEn: spec.nameEn,
      kind: "bureau",
      parentCode: DISTRICT_CODE,
      orgPrefix: spec.orgPrefix,
    });
    spec.offices.forEach((office, j) => {
      const officeCode = `${code}-${pad(j + 1, 2)}`;
      officeCodes.set(`${spec.key}/${office.name}`, officeCode);
      departments.push({
        code: officeCode,
        name: office.name,
        nameEn: office.nameEn,
        kind: "office",
        parentCode: code,
      });
    });
  });

  const communityNames = new Set<string>();
  const estateNames = new Set<string>();
  const communities: CommunityPlace[] = [];
  SUBDISTRICTS.forEach((place, i) => {
    // Sub-district codes follow the 9-digit township pattern of GB/T 10114 (district code + 3 digits).
    const code = `${DISTRICT_CODE}${pad(i + 1, 3)}`;
    const subdistrictName = `${place.root}街道`;
    departments.push({
      code,
      name: subdistrictName,
      nameEn: `${place.pinyin} Subdistrict`,
      kind: "subdistrict",
      parentCode: DISTRICT_CODE,
      orgPrefix: `${place.root}街`,
    });
    const communityCount = rng.int(4, 10);
    for (let c = 1; c <= communityCount; c++) {
      let first = rng.pick(COMMUNITY_FIRST);
      let second = rng.pick(COMMUNITY_SECOND);
      while (communityNames.has(first[0] + second[0])) {
        first = rng.pick(COMMUNITY_FIRST);
        second = rng.pick(COMMUNITY_SECOND);
      }
      const stem = first[0] + second[0];
      communityNames.add(stem);
      const communityCode = `${code}${pad(c, 3)}`;
      const pinyin = placePinyin(first[1], second[1]);
      departments.push({
        code: communityCode,
        name: `${stem}社区`,
        nameEn: `${pinyin} Community`,
        kind: "community",
        parentCode: code,
      });
      const gridCodes: string[] = [];
      const gridCount = rng.int(2, 5);
      for (let g = 1; g <= gridCount; g++) {
        const gridCode = `${communityCode}${pad(g, 3)}`;
        gridCodes.push(gridCode);
        departments.push({
          code: gridCode,
          name: `${stem}社区第${g}网格`,
          nameEn: `Grid ${g}, ${pinyin} Community`,
          kind: "grid",
          parentCode: communityCode,
        });
      }
      const estates: string[] = [];
      const estateCount = rng.int(1, 3);
      while (estates.length < estateCount) {
        const estate = rng.pick(COMMUNITY_FIRST)[0] + rng.pick(ESTATE_MIDDLE) + rng.pick(ESTATE_SUFFIX);
        if (estateNames.has(estate)) continue;
        estateNames.add(estate);
        estates.push(estate);
      }
      communities.push({
        code: communityCode,
        name: `${stem}社区`,
        subdistrictCode: code,
        subdistrictName,
        roads: rng.sample(place.roads, rng.int(2, 3)),
        estates,
        gridCodes,
      });
    }
  });

  return {
    departments,
    communities,
    bureau(key) {
      const code = bureauCodes.get(key);
      if (!code) throw new Error(`No demo bureau ${key}`);
      return code;
    },
    office(bureauKey, officeName) {
      const code = officeCodes.get(`${bureauKey}/${officeName}`);
      if (!code) throw new Error(`No demo section ${officeName} in ${bureauKey}`);
      return code;
    },
  };
}
