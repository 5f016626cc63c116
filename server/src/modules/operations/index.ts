import type { Module } from "..";
import { registerForecasts } from "./forecast";
import { registerIndicators, seedDemoIndicators } from "./indicators";
import { registerTelemetry } from "./telemetry";
import { TwinClients } from "./twin/clients";
import { registerTwinClientRoutes } from "./twin/clients.routes";
import { seedDemoTwin, seedDemoTwinClients } from "./twin/demo-twin";
import { type TwinChange, TwinFeed } from "./twin/feed";
import { registerNgsiRoutes } from "./twin/ngsi.routes";
import { registerSubscriptions } from "./twin/subscriptions";
import { ENTITY_EVENTS, type EntityChange } from "./twin/twin.service";

/**
 * 一网统管 — City operations: the digital twin (NGSI-LD entities at /ngsi-ld/v1) and its telemetry
 * (MQTT, time series, temporal API); indicators, events and cases follow in their own issues.
 * The only import surface of this module for the rest of the platform.
 */
export const operationsModule: Module = {
  name: "operations",
  title: "一网统管",
  async register(app, platform) {
    const feed = new TwinFeed((e) => platform.log.error({ err: e }, "twin change listener failed"));
    platform.events.subscribe("operations.twin-feed", "operations.entity.*", async (event) => {
      const kind = Object.entries(ENTITY_EVENTS).find(([, topic]) => topic === event.topic)?.[0];
      if (!kind) return;
      const change = event.payload as EntityChange;
      await feed.publish([{ kind: kind as TwinChange["kind"], ...change, at: event.occurredAt }]);
    });
    const clients = new TwinClients(platform.db);
    registerNgsiRoutes(app, platform, clients);
    registerTwinClientRoutes(app, platform, clients);
    registerIndicators(app, platform, feed);
    registerSubscriptions(app, platform, feed);
    await registerTelemetry(app, platform, feed, clients);
    registerForecasts(app, platform);
  },
  async seedDemo(platform) {
    const started = performance.now();
    const count = await seedDemoTwin(platform);
    const indicators = await seedDemoIndicators(platform);
    await seedDemoTwinClients(platform);
    const ms = Math.round(performance.now() - started);
    platform.log.info({ entities: count, indicators, ms }, "demo twin seeded (云溪塔景区)");
  },
};

export { ENTITY_EVENTS, type EntityChange } from "./twin/twin.service";
