import type { FastifyInstance } from "fastify";
import type { Platform } from "../../../../kernel/platform";
import type { TwinFeed } from "../feed";
import { SubscriptionNotifier } from "./notifier";
import { registerSubscriptionRoutes } from "./subscriptions.routes";

/**
 * NGSI-LD subscriptions: the API at /ngsi-ld/v1/subscriptions and the notifier that follows the
 * twin's change feed. Deliveries stop, and delivery counts are saved, when the app closes.
 */
export function registerSubscriptions(app: FastifyInstance, platform: Platform, feed: TwinFeed): void {
  const notifier = new SubscriptionNotifier(platform.db, platform.clock, platform.log);
  const unsubscribe = feed.subscribe(notifier.onChanges);
  registerSubscriptionRoutes(app, platform, notifier);
  app.addHook("onClose", async () => {
    unsubscribe();
    await notifier.close();
  });
}
