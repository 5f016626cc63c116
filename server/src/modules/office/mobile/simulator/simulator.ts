import { randomUUID } from "node:crypto";
import { existsSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import type { FastifyBaseLogger } from "fastify";
import type { Clock } from "../../../../kernel/http/context";
import { ACTIONS_PATH, type ActionInput } from "../actions.service";
import type { QuickAction } from "../push.service";
import { checkSignature, type SignatureProblem, signedHeaders } from "../signature";

/**
 * A working stand-in for the provincial mobile government app (粤政易): it receives the platform's
 * webhooks and checks their signatures like the real app must, keeps each person's cards, and sends
 * actions back signed with the shared secret. Tests and the demo use it; its state survives restarts
 * in a JSON file. It never touches the platform's database: it is the outside world.
 */

export interface SimulatedCard {
  kind: "task" | "notice";
  id: string;
  title: string;
  /** The process name of a task, the kind of a notice */
  subtitle: string | null;
  dueAt: string | null;
  link: string;
  claimable: boolean;
  actions: QuickAction[];
  receivedAt: string;
  state: "open" | "done" | "read";
  /** What the last tap on it answered */
  note: string | null;
}

/** One webhook as the simulator saw it (kept in memory, for tests and the operator). */
export interface Receipt {
  deliveryId: string;
  event: string;
  openId: string;
  duplicate: boolean;
}

export interface WebhookBody {
  deliveryId: string;
  appId: string;
  event: string;
  occurredAt: string;
  openId: string;
  task?: {
    id: string;
    name?: string;
    processName?: string;
    dueAt?: string | null;
    link?: string;
    claimable?: boolean;
    actions?: QuickAction[];
  };
  notice?: { id: string; kind?: string; title?: string; link?: string };
}

interface State {
  cards: Record<string, SimulatedCard[]>;
  /** Delivery ids seen, oldest first: a delivery arriving again is acknowledged and ignored. */
  seen: string[];
  /** "openId:kind:id" → when it was withdrawn, so a card arriving late after its withdrawal stays away */
  withdrawn: Record<string, string>;
}

const MAX_SEEN = 10_000;
const MAX_CARDS = 200;
const MAX_RECEIPTS = 1000;

export interface SimulatorOptions {
  appId: string;
  secret: string;
  clock: Clock;
  /** Where the state is kept between restarts (null: memory only). */
  stateFile: string | null;
  /** The platform's base URL the app sends actions to. */
  platformUrl(): string;
  log?: FastifyBaseLogger;
}

export type Choice = "approve" | "reject" | "claim" | "read";

export class MobileAppSimulator {
  readonly receipts: Receipt[] = [];
  private state: State = { cards: {}, seen: [], withdrawn: {} };
  private readonly seen = new Set<string>();

  constructor(private readonly options: SimulatorOptions) {
    const file = options.stateFile;
    if (file && existsSync(file)) {
      try {
        this.state = JSON.parse(readFileSync(file, "utf8")) as State;
      } catch (e) {
        options.log?.warn({ err: e }, "mobile app simulator: unreadable state file, starting empty");
      }
    }
    for (const id of this.state.seen) this.seen.add(id);
  }

  /** Checks a webhook's app id, timestamp and signature as the real app must. */
  verify(headers: Record<string, string | string[] | undefined>, raw: Buffer): SignatureProblem | null {
    const { appId, secret, clock } = this.options;
    return checkSignature({ appId, secret, now: clock.now() }, headers, raw);
  }

  /** Takes a verified webhook in. A delivery id seen before is acknowledged and changes nothing. */
  receive(body: WebhookBody): { received: true; duplicate: boolean } {
    const duplicate = this.seen.has(body.deliveryId);
    this.receipts.push({ deliveryId: body.deliveryId, event: body.event, openId: body.openId, duplicate });
    if (this.receipts.length > MAX_RECEIPTS) this.receipts.shift();
    if (duplicate) return { received: true, duplicate };
    this.apply(body);
    this.seen.add(body.deliveryId);
    this.state.seen.push(body.deliveryId);
    if (this.state.seen.length > MAX_SEEN) this.seen.delete(this.state.seen.shift()!);
    this.save();
    return { received: true, duplicate };
  }

  private apply(body: WebhookBody): void {
    const cards = this.state.cards[body.openId] ?? [];
    const subject = body.task ?? body.notice;
    if (!subject) return;
    const kind = body.task ? "task" : "notice";
    const key = `${body.openId}:${kind}:${subject.id}`;
    const without = () => cards.filter((c) => !(c.kind === kind && c.id === subject.id));
    if (body.event.endsWith(".withdrawn")) {
      this.state.cards[body.openId] = without();
      this.state.withdrawn[key] = body.occurredAt;
      return;
    }
    if (!body.event.endsWith(".created")) return; // an event this version does not know
    const withdrawnAt = this.state.withdrawn[key];
    if (withdrawnAt && withdrawnAt > body.occurredAt) return;
    const card: SimulatedCard = body.task
      ? {
          kind: "task",
          id: body.task.id,
          title: body.task.name ?? "",
          subtitle: body.task.processName ?? null,
          dueAt: body.task.dueAt ?? null,
          link: body.task.link ?? "",
          claimable: body.task.claimable === true,
          actions: body.task.actions ?? [],
          receivedAt: body.occurredAt,
          state: "open",
          note: null,
        }
      : {
          kind: "notice",
          id: subject.id,
          title: body.notice?.title ?? "",
          subtitle: body.notice?.kind ?? null,
          dueAt: null,
          link: body.notice?.link ?? "",
          claimable: false,
          actions: [],
          receivedAt: body.occurredAt,
          state: "open",
          note: null,
        };
    this.state.cards[body.openId] = [card, ...without()].slice(0, MAX_CARDS);
  }

  cardsOf(openId: string): SimulatedCard[] {
    return [...(this.state.cards[openId] ?? [])];
  }

  /**
   * Sends an action to the platform, signed now. A network failure is retried with the same
   * action id, as the real app must, so the action still happens at most once.
   */
  async sendAction(
    action: Omit<ActionInput, "actionId"> & { actionId?: string },
  ): Promise<{ status: number; body: Record<string, unknown> }> {
    const body = JSON.stringify({ actionId: action.actionId ?? `sim-${randomUUID()}`, ...action });
    let lastError: unknown = null;
    for (let attempt = 0; attempt < 3; attempt++) {
      try {
        const response = await fetch(`${this.options.platformUrl()}${ACTIONS_PATH}`, {
          method: "POST",
          headers: signedHeaders(
            { appId: this.options.appId, secret: this.options.secret, now: this.options.clock.now() },
            body,
          ),
          body,
          signal: AbortSignal.timeout(15_000),
        });
        return { status: response.status, body: (await response.json()) as Record<string, unknown> };
      } catch (e) {
        lastError = e;
        await new Promise((resolve) => setTimeout(resolve, 200 * (attempt + 1)));
      }
    }
    throw lastError;
  }

  /** A tap on a card's button: the matching action is sent, and the card shows the answer. */
  async tap(
    openId: string,
    kind: "task" | "notice",
    id: string,
    choice: Choice,
    comment?: string,
  ): Promise<{ status: number; body: Record<string, unknown> }> {
    const card = this.state.cards[openId]?.find((c) => c.kind === kind && c.id === id);
    if (!card) return { status: 404, body: { title: "No such card" } };
    let action: Omit<ActionInput, "actionId">;
    if (choice === "read") action = { openId, type: "read_notice", noticeId: id };
    else if (choice === "claim") action = { openId, type: "claim_task", taskId: id };
    else {
      const button = card.actions.find((a) => a.key === choice);
      if (!button) return { status: 400, body: { title: "This card has no such button" } };
      action = { openId, type: "complete_task", taskId: id, variables: button.variables };
    }
    const result = await this.sendAction(comment ? { ...action, comment } : action);
    if (result.status === 200) {
      if (choice === "read") card.state = "read";
      else if (choice === "claim") card.claimable = false;
      else card.state = "done";
      card.note = null;
    } else {
      card.note = String(result.body.detail ?? result.body.title ?? `HTTP ${result.status}`);
    }
    this.save();
    return result;
  }

  private save(): void {
    const file = this.options.stateFile;
    if (!file) return;
    try {
      writeFileSync(`${file}.tmp`, JSON.stringify(this.state));
      renameSync(`${file}.tmp`, file);
    } catch (e) {
      this.options.log?.warn({ err: e }, "mobile app simulator: could not save its state");
    }
  }
}
