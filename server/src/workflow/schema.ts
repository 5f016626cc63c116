import { sql } from "drizzle-orm";
import {
  index,
  integer,
  jsonb,
  pgSchema,
  primaryKey,
  text,
  timestamp,
  uniqueIndex,
  uuid,
} from "drizzle-orm/pg-core";

/** The BPMN engine's state: definitions, running instances, their tokens, tasks, subscriptions, history. */
export const workflow = pgSchema("workflow");

/** A deployed version of one BPMN process. Immutable: a change is a new version. */
export const definitions = workflow.table(
  "definitions",
  {
    id: uuid("id").primaryKey(),
    key: text("key").notNull(),
    version: integer("version").notNull(),
    name: text("name").notNull(),
    /** The whole BPMN document as deployed (it may hold other processes and the diagram). */
    xml: text("xml").notNull(),
    /** The compiled process (see model.ts), so running it never parses XML again. */
    model: jsonb("model").notNull(),
    /** SM3 of the process's canonical model: deploying the same model again is not a new version. */
    hash: text("hash").notNull(),
    deployedBy: uuid("deployed_by"),
    deployedAt: timestamp("deployed_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [uniqueIndex("definitions_key_version").on(t.key, t.version)],
);

export const instances = workflow.table(
  "instances",
  {
    id: uuid("id").primaryKey(),
    definitionId: uuid("definition_id").notNull(),
    processKey: text("process_key").notNull(),
    version: integer("version").notNull(),
    businessKey: text("business_key"),
    /** active | completed | cancelled */
    state: text("state").notNull(),
    variables: jsonb("variables").notNull(),
    parentInstanceId: uuid("parent_instance_id"),
    parentTokenId: uuid("parent_token_id"),
    startedBy: uuid("started_by"),
    startedAt: timestamp("started_at", { withTimezone: true }).notNull(),
    endedAt: timestamp("ended_at", { withTimezone: true }),
    endReason: text("end_reason"),
  },
  (t) => [
    index("instances_process_state").on(t.processKey, t.state, t.startedAt),
    index("instances_business_key").on(t.businessKey),
    index("instances_started_by").on(t.startedBy, t.startedAt),
    index("instances_parent").on(t.parentInstanceId),
  ],
);

/**
 * Where an instance is waiting. Only wait states are stored: a token that passes through gateways
 * and events inside one step never reaches the table. `scope` tokens stand for an active subprocess
 * or multi-instance activity; the tokens inside point to them.
 */
export const tokens = workflow.table(
  "tokens",
  {
    id: uuid("id").primaryKey(),
    instanceId: uuid("instance_id").notNull(),
    elementId: text("element_id").notNull(),
    scopeId: uuid("scope_id"),
    /** waiting | scope | joining */
    state: text("state").notNull(),
    data: jsonb("data").notNull(),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull(),
  },
  (t) => [index("tokens_instance").on(t.instanceId)],
);

export const tasks = workflow.table(
  "tasks",
  {
    id: uuid("id").primaryKey(),
    instanceId: uuid("instance_id").notNull(),
    tokenId: uuid("token_id").notNull(),
    processKey: text("process_key").notNull(),
    processName: text("process_name").notNull(),
    elementId: text("element_id").notNull(),
    name: text("name").notNull(),
    businessKey: text("business_key"),
    /** open | completed | cancelled */
    state: text("state").notNull(),
    /** Username of whoever holds the task; null while it waits in its candidates' pool. */
    assignee: text("assignee"),
    candidateGroups: text("candidate_groups").array().notNull(),
    candidateUsers: text("candidate_users").array().notNull(),
    dueAt: timestamp("due_at", { withTimezone: true }),
    formKey: text("form_key"),
    priority: integer("priority").notNull().default(50),
    /** Variables of this task only (a countersign's signer, the loop counter). */
    local: jsonb("local").notNull(),
    startedBy: uuid("started_by"),
    delegatedFrom: text("delegated_from"),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull(),
    completedAt: timestamp("completed_at", { withTimezone: true }),
    completedBy: uuid("completed_by"),
    outcome: jsonb("outcome"),
  },
  (t) => [
    index("tasks_open_assignee").on(t.assignee, t.createdAt).where(sql`state = 'open'`),
    index("tasks_open_created").on(t.createdAt).where(sql`state = 'open' and assignee is null`),
    index("tasks_completed_by").on(t.completedBy, t.completedAt),
    index("tasks_instance").on(t.instanceId),
    index("tasks_started_by").on(t.startedBy, t.createdAt),
  ],
);

/** A token waiting for a message (intermediate catch event, receive task, message boundary event). */
export const subscriptions = workflow.table(
  "subscriptions",
  {
    id: uuid("id").primaryKey(),
    instanceId: uuid("instance_id").notNull(),
    tokenId: uuid("token_id").notNull(),
    elementId: text("element_id").notNull(),
    messageName: text("message_name").notNull(),
    correlationKey: text("correlation_key"),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull(),
  },
  (t) => [
    index("subscriptions_message").on(t.messageName, t.correlationKey),
    index("subscriptions_instance").on(t.instanceId),
  ],
);

/** Everything that happened to an instance, element by element, with who and when. */
export const history = workflow.table(
  "history",
  {
    id: uuid("id").primaryKey(),
    instanceId: uuid("instance_id").notNull(),
    elementId: text("element_id").notNull(),
    elementType: text("element_type").notNull(),
    elementName: text("element_name"),
    /** started | completed | cancelled | taken | triggered */
    event: text("event").notNull(),
    actorId: uuid("actor_id"),
    at: timestamp("at", { withTimezone: true }).notNull(),
  },
  (t) => [index("history_instance").on(t.instanceId, t.at)],
);

/** 抄送: people an instance was copied to, for their "copied to me" view. */
export const carbonCopies = workflow.table(
  "carbon_copies",
  {
    instanceId: uuid("instance_id").notNull(),
    userId: uuid("user_id").notNull(),
    addedBy: uuid("added_by"),
    addedAt: timestamp("added_at", { withTimezone: true }).notNull(),
  },
  (t) => [primaryKey({ columns: [t.instanceId, t.userId] }), index("carbon_copies_user").on(t.userId)],
);
