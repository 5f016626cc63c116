import type { FastifyInstance } from "fastify";
import type { Platform } from "../kernel/platform";
import { datahubModule } from "./datahub";
import { officeModule } from "./office";
import { operationsModule } from "./operations";
import { servicesModule } from "./services";

/** A network module: its routes, event subscriptions and job handlers, registered on the platform. */
export interface Module {
  name: string;
  /** The Chinese name of the network, as the district knows it. */
  title: string;
  register(app: FastifyInstance, platform: Platform): Promise<void>;
  /** Work in progress for the demo accounts, on a freshly seeded demo district (after register). */
  seedDemo?(platform: Platform): Promise<void>;
}

export const modules: Module[] = [servicesModule, officeModule, operationsModule, datahubModule];
