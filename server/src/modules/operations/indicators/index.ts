/**
 * City-sign indicators (体征指标): the catalog API, the incremental engine on the twin's change
 * feed, and the demo scenic area's 1,972 indicators.
 */
import type { FastifyInstance } from "fastify";
import type { Platform } from "../../../kernel/platform";
import type { TwinFeed } from "../twin/feed";
import { seedDemoIndicators as seed } from "./demo-indicators";
import { IndicatorEngine } from "./engine";
import { registerIndicatorRoutes } from "./indicators.routes";

const engines = new WeakMap<Platform, IndicatorEngine>();

/** The engine registered on a platform (the demo seed and tests reach it here). */
export function indicatorEngineOf(platform: Platform): IndicatorEngine | undefined {
  return engines.get(platform);
}

/**
 * Routes at /api/operations/indicators and the engine: it loads the catalog when the app is ready,
 * listens to the twin feed, runs its timer (windows, coalesced changes, catalog reloads, history
 * pruning) and stops with the app.
 */
export function registerIndicators(app: FastifyInstance, platform: Platform, feed: TwinFeed): void {
  const engine = new IndicatorEngine({ db: platform.db, clock: platform.clock, log: platform.log });
  engines.set(platform, engine);
  const unsubscribe = feed.subscribe((changes) => engine.onChanges(changes));
  registerIndicatorRoutes(app, platform, engine);
  app.addHook("onReady", async () => {
    await engine.load();
    engine.start();
  });
  app.addHook("onClose", async () => {
    unsubscribe();
    await engine.stop();
  });
}

/** Seeds the demo scenic area's indicators (after the demo twin) and hands them to the engine. */
export function seedDemoIndicators(platform: Platform): Promise<number> {
  return seed(platform, async (codes) => {
    const engine = engines.get(platform);
    if (!engine) return;
    await engine.load();
    engine.markEvaluated(codes);
  });
}

export { DEMO_INDICATOR_COUNT } from "./demo-indicators";
export { LEVEL_CHANGED, type LevelChange } from "./evaluate";
