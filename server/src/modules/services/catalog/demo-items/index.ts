import type { ServiceItemSpec } from "../item";
import { BUSINESS_ITEMS } from "./business";
import { CITY_ITEMS } from "./city";
import { CIVIL_ITEMS } from "./civil";
import { CONSTRUCTION_ITEMS } from "./construction";
import { MARKET_ITEMS } from "./market";
import { MARKET_LICENCE_ITEMS } from "./market-licences";
import { POPULATION_ITEMS } from "./population";
import { SOCIAL_ITEMS } from "./social";

/**
 * The demo district's service item catalog (政务服务事项清单) for 一网通办, by area. Data only; the
 * seeder drafts and publishes each item under its department.
 */
export const DEMO_ITEMS: readonly ServiceItemSpec[] = [
  ...MARKET_ITEMS,
  ...MARKET_LICENCE_ITEMS,
  ...SOCIAL_ITEMS,
  ...CIVIL_ITEMS,
  ...POPULATION_ITEMS,
  ...CITY_ITEMS,
  ...CONSTRUCTION_ITEMS,
  ...BUSINESS_ITEMS,
];
