import { birthDateForAge } from "./dates";
import type { DocumentMint } from "./documents";
import { chineseName, chineseSurname, foreignPerson, passportNumber } from "./names";
import type { CommunityPlace } from "./organisation";
import { CITY, DISTRICT, DISTRICT_CODE } from "./places";
import { type Random, WeightedTable } from "./random";
import type { DemoCitizen, DemoCitizenIdType } from "./types";

type Gender = "male" | "female";

/**
 * Age of household heads, in five-year bands. Children and grandparents are derived from the heads, and
 * together they approximate Guangzhou's 2020 census pyramid (13.9 % under fifteen, 11.4 % aged sixty or
 * more, a bulge of working-age migrants); the default district comes out at about 12 % and 12.5 %.
 */
// biome-ignore format: a table reads better in rows
const ADULT_AGE_BANDS = new WeightedTable<readonly [number, number]>([
  [[18, 24], 9], [[25, 29], 14], [[30, 34], 15], [[35, 39], 13], [[40, 44], 11], [[45, 49], 10],
  [[50, 54], 9], [[55, 59], 8], [[60, 64], 6], [[65, 69], 5], [[70, 74], 3.5], [[75, 79], 2],
  [[80, 84], 1.2], [[85, 89], 0.8], [[90, 95], 0.5],
]);

type HouseholdKind = "single" | "couple" | "nuclear" | "singleParent" | "threeGeneration" | "sharedRental";

const HOUSEHOLD_KINDS = new WeightedTable<HouseholdKind>([
  ["single", 25],
  ["couple", 24],
  ["nuclear", 25],
  ["singleParent", 4],
  ["threeGeneration", 10],
  ["sharedRental", 10],
]);

// About 2 % of residents hold non-mainland documents. Their households are smaller (see below), so
// about 5 % of households are drawn as non-mainland.
const DOCUMENT_TYPES = new WeightedTable<DemoCitizenIdType>([
  ["resident_id", 952],
  ["hk_macao_permit", 19],
  ["taiwan_permit", 9],
  ["foreign_passport", 20],
]);

interface Member {
  age: number;
  gender: Gender;
  surname?: string;
}

const clampAge = (age: number) => Math.max(0, Math.min(95, age));

function adultAge(rng: Random, min = 18, max = 95): number {
  for (let i = 0; i < 20; i++) {
    const [lo, hi] = ADULT_AGE_BANDS.draw(rng);
    const age = rng.int(lo, hi);
    if (age >= min && age <= max) return age;
  }
  return rng.int(min, max);
}

function maleShare(age: number): number {
  // Women outlive men, so the older cohorts lean female.
  return age >= 80 ? 0.4 : age >= 60 ? 0.47 : 0.52;
}

function genderFor(rng: Random, age: number): Gender {
  return rng.chance(maleShare(age)) ? "male" : "female";
}

function couple(rng: Random, headAge: number): Member[] {
  const surname = chineseSurname(rng);
  const husbandAge = clampAge(headAge + rng.int(0, 4));
  return [
    { age: husbandAge, gender: "male", surname },
    { age: clampAge(Math.max(20, husbandAge - rng.int(0, 5))), gender: "female" },
  ];
}

function children(rng: Random, motherAge: number, count: number, surname: string | undefined): Member[] {
  const kids: Member[] = [];
  for (let i = 0; i < count; i++) {
    // Mothers give birth between 22 and 38; children past 30 have usually moved out.
    const age = motherAge - rng.int(22, 38);
    if (age < 0 || age > 30) continue;
    kids.push({
      age,
      gender: rng.chance(0.53) ? "male" : "female",
      // Children usually take the father's surname.
      surname: rng.chance(0.92) ? surname : undefined,
    });
  }
  return kids;
}

function household(rng: Random): Member[] {
  switch (HOUSEHOLD_KINDS.draw(rng)) {
    case "single": {
      const age = adultAge(rng);
      return [{ age, gender: genderFor(rng, age) }];
    }
    case "couple":
      return couple(rng, adultAge(rng, 22));
    case "nuclear": {
      const parents = couple(rng, adultAge(rng, 25, 58));
      const kids = children(
        rng,
        parents[1]!.age,
        rng.chance(0.55) ? 1 : rng.chance(0.85) ? 2 : 3,
        parents[0]!.surname,
      );
      return [...parents, ...kids];
    }
    case "singleParent": {
      const age = adultAge(rng, 25, 55);
      const parent: Member = {
        age,
        gender: rng.chance(0.25) ? "male" : "female",
        surname: chineseSurname(rng),
      };
      return [parent, ...children(rng, age, rng.chance(0.7) ? 1 : 2, parent.surname)];
    }
    case "threeGeneration": {
      const parents = couple(rng, adultAge(rng, 28, 50));
      const kids = children(rng, parents[1]!.age, rng.chance(0.6) ? 1 : 2, parents[0]!.surname);
      const grandAge = Math.min(95, parents[0]!.age + rng.int(22, 32));
      const grandparents: Member[] = rng.chance(0.55)
        ? couple(rng, grandAge).map((g) => (g.gender === "male" ? { ...g, surname: parents[0]!.surname } : g))
        : [{ age: grandAge, gender: genderFor(rng, grandAge) }];
      return [...grandparents, ...parents, ...kids];
    }
    case "sharedRental":
      return Array.from({ length: rng.int(2, 3) }, () => {
        const age = rng.int(19, 34);
        return { age, gender: genderFor(rng, age) };
      });
  }
}

function homeAddress(rng: Random, community: CommunityPlace): string {
  const street = `${CITY}${DISTRICT}${community.subdistrictName}${rng.pick(community.roads)}${rng.int(1, 388)}号`;
  const style = rng.next();
  if (style < 0.55) {
    const floor = rng.int(2, 33);
    return `${street}${rng.pick(community.estates)}${rng.int(1, 12)}栋${floor}${String(rng.int(1, 8)).padStart(2, "0")}房`;
  }
  if (style < 0.75) {
    const floor = rng.int(2, 26);
    return `${street}${rng.int(1, 9)}栋${floor}${String(rng.int(1, 6)).padStart(2, "0")}房`;
  }
  // Older walk-up buildings on lanes number their annexes 之一, 之二…: "12号之三502房".
  const annex = rng.chance(0.3) ? `之${rng.pick(["一", "二", "三", "四", "五", "六"])}` : "";
  return `${street}${annex}${rng.int(1, 8)}0${rng.int(1, 4)}房`;
}

function citizenFor(
  rng: Random,
  mint: DocumentMint,
  member: Member,
  idType: DemoCitizenIdType,
  home: { address: string; community: CommunityPlace; gridCode: string },
): DemoCitizen {
  const birthDate = birthDateForAge(rng, member.age);
  const birthYear = Number(birthDate.slice(0, 4));
  let name: string;
  let idNumber: string;
  if (idType === "foreign_passport") {
    const person = foreignPerson(rng, member.gender);
    idNumber = mint.passport(() => passportNumber(rng, person.nationality));
    name = person.name;
  } else {
    name = chineseName(rng, member.gender, birthYear, member.surname);
    if (idType === "resident_id") {
      // Most children in the district were born here, whatever their parents' origins.
      const region = member.age < 18 && rng.chance(0.75) ? DISTRICT_CODE : mint.birthRegion(rng);
      idNumber = mint.residentId(rng, region, birthDate, member.gender);
    } else if (idType === "hk_macao_permit") idNumber = mint.hkMacaoPermit(rng);
    else idNumber = mint.taiwanPermit(rng);
  }
  return {
    idType,
    idNumber,
    name,
    gender: member.gender,
    birthDate,
    phone: mint.mobile(rng),
    address: home.address,
    subdistrictCode: home.community.subdistrictCode,
    communityCode: home.community.code,
    gridCode: home.gridCode,
  };
}

/** Residents generated household by household, so family members share an address and a surname. */
export function generateCitizens(
  rng: Random,
  mint: DocumentMint,
  communities: readonly CommunityPlace[],
  count: number,
) {
  const citizens: DemoCitizen[] = [];
  const grids = communities.flatMap((community) =>
    community.gridCodes.map((gridCode) => ({ community, gridCode })),
  );
  while (citizens.length < count) {
    const { community, gridCode } = rng.pick(grids);
    const idType = DOCUMENT_TYPES.draw(rng);
    let members = household(rng);
    // Visitors from Hong Kong, Macao, Taiwan and abroad mostly live alone or as couples.
    if (idType !== "resident_id") members = members.slice(0, rng.chance(0.6) ? 1 : 2);
    const home = { address: homeAddress(rng, community), community, gridCode };
    for (const member of members) {
      if (citizens.length >= count) break;
      citizens.push(citizenFor(rng, mint, member, idType, home));
    }
  }
  return citizens;
}
