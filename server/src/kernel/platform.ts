import type { FastifyBaseLogger } from "fastify";
import type { WorkflowEngine } from "../workflow/engine";
import type { CalendarService } from "./calendar/calendar.service";
import type { Config } from "./config/config";
import type { SigningKey } from "./crypto/keys";
import type { Database, Db } from "./db/db";
import type { EventBus } from "./events/events";
import type { Clock } from "./http/context";
import type { SessionResolver } from "./identity/sessions";
import type { SmsGateway } from "./identity/sms";
import type { JobRunner } from "./jobs/jobs";

/** The kernel's services, built once by main.ts (or a test) and handed to every module. */
export interface Platform {
  config: Config;
  database: Database;
  db: Db;
  clock: Clock;
  log: FastifyBaseLogger;
  masterKey: Buffer;
  auditKey: SigningKey;
  events: EventBus;
  jobs: JobRunner;
  sessions: SessionResolver;
  sms: SmsGateway;
  calendar: CalendarService;
  /** The BPMN engine: modules register service handlers and forms, deploy and start processes. */
  workflow: WorkflowEngine;
}
