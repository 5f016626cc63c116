import { rawQuery } from "../kernel/db/db";
import type { Ctx } from "../kernel/http/context";
import { loadActors } from "../kernel/identity/actors";
import type { Platform } from "../kernel/platform";

/**
 * Work in progress for the demo accounts, so the inbox shows something on first sign-in: leave
 * requests waiting for the approver, an approval sent back to the clerk for correction, a parallel
 * review waiting for the officer and the approver.
 */
export async function seedDemoWorkflow(platform: Platform): Promise<void> {
  const engine = platform.workflow;
  await platform.db.transaction(async (tx) => {
    const actors = await loadActors(tx, { usernames: ["clerk", "approver", "officer", "leader"] });
    const ctx = (username: string): Ctx => ({
      actor: actors.get(username) ?? null,
      requestId: "demo:workflow",
      ip: null,
      tx,
      clock: platform.clock,
      log: platform.log,
    });
    const signers = ["officer", "leader"].filter((u) => actors.has(u));
    const leaves: [number, string][] = [
      [2, "家中有事"],
      [5, "探亲"],
    ];
    for (const [days, reason] of leaves) {
      await engine.start(ctx("clerk"), "leave-request", {
        variables: { days, reason, signers },
        businessKey: `QJ-2026-${String(days).padStart(4, "0")}`,
      });
    }
    const approval = await engine.start(ctx("clerk"), "generic-approval", {
      variables: { subject: "户外广告设置申请材料" },
      businessKey: "SP-2026-0001",
    });
    // The approver asked for a correction: the task now waits in the clerk's inbox.
    await engine.withInstance(ctx("approver"), approval.id, {}, async (step) => {
      const token = [...step.tokens.values()].find((t) => t.element_id === "review");
      const [task] = await rawQuery<Parameters<typeof engine.completeTask>[1]>(
        tx,
        "select * from workflow.tasks where token_id = $1 and state = 'open'",
        [token!.id],
      );
      await engine.completeTask(ctx("approver"), task!, step, { decision: "correct" });
    });
    await engine.start(ctx("officer"), "parallel-review", { businessKey: "BW-2026-0007" });
  });
}
