import { mkdtempSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import { Aedes } from "aedes";
import mqtt, { type MqttClient } from "mqtt";
import { adminTokenFromFirstStart } from "../server/test/admin-session";
import { freePort, startServer, waitReady } from "../server/test/process";
import { type Benchmark, figure, load, percentile, scratchDatabase } from "./harness";

const PUBLISHERS = 4;
/** QoS 1 messages each publisher keeps in flight (not awaiting each publish, as devices behind a gateway do). */
const IN_FLIGHT = 200;
const ENTITIES = 1000;
const DURATION_MS = Number(process.env.BENCH_DURATION_MS ?? 10_000);
const SECRET = "bench-device-secret-0123";
const MOSQUITTO = process.env.MOSQUITTO_URL ?? "mqtt://127.0.0.1:1883";

interface Run {
  rate: number;
  p50: number;
  p99: number;
  count: number;
  errors: number;
}

/**
 * PUBLISHERS clients publish QoS 1 readings for DURATION_MS, each keeping IN_FLIGHT unacknowledged;
 * latency is publish → PUBACK (for the platform: the reading is committed when acknowledged).
 */
async function drive(
  url: string,
  options: mqtt.IClientOptions,
  topicOf: (i: number) => string,
  payloadOf: (i: number) => string,
  /** Runs beside the load until it ends (e.g. the indicator latency probe). */
  beside?: (until: number) => Promise<void>,
): Promise<Run> {
  const clients: MqttClient[] = [];
  for (let c = 0; c < PUBLISHERS; c++)
    clients.push(await mqtt.connectAsync(url, { ...options, reconnectPeriod: 0 }));
  const latencies: number[] = [];
  let errors = 0;
  const until = performance.now() + DURATION_MS;
  const started = performance.now();
  await Promise.all([
    beside?.(until),
    ...clients.map(async (client, c) => {
      let i = c * 1_000_000;
      const lane = async () => {
        while (performance.now() < until) {
          const n = i++;
          const t0 = performance.now();
          try {
            await client.publishAsync(topicOf(n), payloadOf(n), { qos: 1 });
            latencies.push(performance.now() - t0);
          } catch {
            errors++;
          }
        }
      };
      await Promise.all(Array.from({ length: IN_FLIGHT }, lane));
    }),
  ]);
  const elapsed = (performance.now() - started) / 1000;
  for (const client of clients) await client.endAsync(true);
  latencies.sort((a, b) => a - b);
  return {
    rate: latencies.length / elapsed,
    p50: percentile(latencies, 50),
    p99: percentile(latencies, 99),
    count: latencies.length,
    errors,
  };
}

/** The broker's own pass-through: QoS 1 publishes → a QoS 1 subscriber, messages received per second. */
async function passThrough(url: string): Promise<{ rate: number; broker: string }> {
  const subscriber = await mqtt.connectAsync(url, { reconnectPeriod: 0 });
  let received = 0;
  subscriber.on("message", () => received++);
  await subscriber.subscribeAsync("bench/pass/#", { qos: 1 });
  const before = received;
  const run = await drive(
    url,
    {},
    (i) => `bench/pass/${i % 100}`,
    (i) => JSON.stringify({ peopleCount: i % 5000 }),
  );
  await new Promise((r) => setTimeout(r, 500));
  await subscriber.endAsync(true);
  return { rate: Math.min(run.rate, (received - before) / (DURATION_MS / 1000)), broker: url };
}

async function mosquittoOrOwn(): Promise<{ url: string; name: string; close: () => Promise<void> }> {
  try {
    const probe = await mqtt.connectAsync(MOSQUITTO, { reconnectPeriod: 0, connectTimeout: 2000 });
    await probe.endAsync(true);
    return { url: MOSQUITTO, name: "Mosquitto", close: async () => undefined };
  } catch {
    // No Mosquitto here: the same library as the platform's embedded broker, standing alone.
    const broker = await Aedes.createBroker();
    const server = createServer(broker.handle);
    const port = await freePort();
    await new Promise<void>((resolve) => server.listen(port, "127.0.0.1", () => resolve()));
    return {
      url: `mqtt://127.0.0.1:${port}`,
      name: "a standalone aedes broker (no Mosquitto running)",
      close: async () => {
        server.close();
        await new Promise<void>((resolve) => broker.close(() => resolve()));
      },
    };
  }
}

const PROBE = "urn:ngsi-ld:CrowdCounter:probe";
const PROBE_INDICATOR = "BENCH-PROBE";

/**
 * Publish → indicator updated: during the load, a device publishes a new value for the probe
 * entity every 100 ms and the probe polls the indicator that reads it (refreshSeconds 0) until it
 * shows that value; the latency is from the publish to the first answer showing it.
 */
function indicatorProbe(
  url: string,
  mqttUrl: string,
  device: mqtt.IClientOptions,
  token: string,
  latencies: number[],
) {
  return async (until: number) => {
    const client = await mqtt.connectAsync(mqttUrl, { ...device, reconnectPeriod: 0 });
    let k = 0;
    while (performance.now() < until - 1000) {
      const value = 1_000_000 + k++;
      const t0 = performance.now();
      await client.publishAsync(`fourfold/twin/${PROBE}/attrs`, JSON.stringify({ peopleCount: value }), {
        qos: 1,
      });
      for (;;) {
        const res = await fetch(`${url}/api/operations/indicators/${PROBE_INDICATOR}?history=1`, {
          headers: { authorization: `Bearer ${token}` },
        });
        const { value: shown } = (await res.json()) as { value: number | null };
        if (shown === value) break;
        if (performance.now() - t0 > 10_000) throw new Error(`the indicator never showed ${value}`);
        await new Promise((r) => setTimeout(r, 5));
      }
      latencies.push(performance.now() - t0);
      await new Promise((r) => setTimeout(r, 100));
    }
    await client.endAsync(true);
  };
}

const QUERY_ENTITIES = Number(process.env.BENCH_NGSI_ENTITIES ?? 100_000);

/**
 * NGSI-LD: partial attribute updates at 50 clients (audited, history kept), and queries by type and
 * `q` over QUERY_ENTITIES entities created through the batch API.
 */
async function ngsiFigures(url: string, token: string) {
  const headers = { authorization: `Bearer ${token}`, "content-type": "application/json" };
  const updates = await load({
    url,
    clients: 50,
    durationMs: DURATION_MS,
    request: (client, i) => ({
      method: "PATCH",
      path: `/ngsi-ld/v1/entities/urn:ngsi-ld:CrowdCounter:bench-${(client * 20 + (i % 20)) % ENTITIES}/attrs/peopleCount`,
      headers,
      body: JSON.stringify({ value: i }),
    }),
    ok: (status) => status === 204,
  });
  const created = performance.now();
  const kinds = ["streetlight", "manhole", "bin", "bench", "hydrant"];
  for (let b = 0; b < QUERY_ENTITIES; b += 1000) {
    const batch = Array.from({ length: Math.min(1000, QUERY_ENTITIES - b) }, (_, i) => {
      const n = b + i;
      return {
        id: `urn:ngsi-ld:Component:q-${n}`,
        type: "Component",
        componentType: kinds[n % kinds.length],
        status: n % 50 === 0 ? "fault" : "normal",
        height: (n % 97) / 10,
        location: {
          type: "Point",
          coordinates: [113.318 + (n % 1000) * 0.000013, 23.101 + Math.floor(n / 1000) * 0.00011],
        },
      };
    });
    const res = await fetch(`${url}/ngsi-ld/v1/entityOperations/create`, {
      method: "POST",
      headers,
      body: JSON.stringify(batch),
    });
    if (res.status !== 201)
      throw new Error(`creating query entities: ${res.status} ${(await res.text()).slice(0, 300)}`);
  }
  const createSeconds = (performance.now() - created) / 1000;
  const queries: [q: string, extra: string][] = [
    ['componentType=="streetlight";status=="fault"', ""],
    ["height>9.5", ""],
    ['componentType=="bench"', "&limit=100"],
    ['status=="fault"', "&count=true"],
    ['height==2.0..2.2;componentType=="bin"', ""],
  ];
  const times: number[] = [];
  for (let round = 0; round < 20; round++) {
    for (const [q, extra] of queries) {
      const t0 = performance.now();
      const res = await fetch(
        `${url}/ngsi-ld/v1/entities?type=Component&q=${encodeURIComponent(q)}${extra}`,
        { headers },
      );
      await res.arrayBuffer();
      if (res.status !== 200) throw new Error(`query ${q}: ${res.status}`);
      times.push(performance.now() - t0);
    }
  }
  times.sort((a, b) => a - b);
  return [
    figure(
      "NGSI-LD partial attribute update (audited, history kept), 50 clients",
      updates.rate,
      "req/s",
      null,
      {
        text: "≥ 2,000/s",
        met: updates.rate >= 2000 && updates.errors === 0,
      },
    ),
    figure("NGSI-LD partial attribute update p99", updates.p99, "ms"),
    figure(
      `NGSI-LD query by type + q over ${QUERY_ENTITIES} entities, p95`,
      percentile(times, 95),
      "ms",
      null,
      {
        text: "< 50 ms",
        met: percentile(times, 95) < 50,
      },
    ),
    figure("NGSI-LD query p50", percentile(times, 50), "ms"),
    figure(
      `batch create of ${QUERY_ENTITIES} entities (1,000 per request, each audited)`,
      QUERY_ENTITIES / createSeconds,
      "entities/s",
    ),
  ];
}

export const telemetry: Benchmark = {
  name: "telemetry",
  description: `MQTT QoS 1 readings from ${PUBLISHERS} publishers (${IN_FLIGHT} in flight each) for ${ENTITIES} twin entities → stored (partitioned, deduplicated, roll-ups) → entity current value updated, acknowledged after commit, and an indicator re-evaluated (a probe measures publish → indicator); baseline: the broker's own QoS 1 publish→subscribe pass-through, same run`,
  async run() {
    const reference = await mosquittoOrOwn();
    const baseline = await passThrough(reference.url);
    await reference.close();

    const scratch = process.env.DATABASE_URL ? await scratchDatabase("telemetry") : null;
    const mqttPort = await freePort();
    const server = startServer({
      DATA_DIR: mkdtempSync(path.join(tmpdir(), "bench-telemetry-")),
      PORT: String(await freePort()),
      DEMO: "false",
      LOG_LEVEL: "warn",
      MQTT_PORT: String(mqttPort),
      TELEMETRY_DEVICES: `bench:${SECRET}`,
      TELEMETRY_SIMULATOR: "false",
      ...(scratch?.url ? { DATABASE_URL: scratch.url } : {}),
    });
    await waitReady(server);
    const token = await adminTokenFromFirstStart(server);
    for (let b = 0; b < ENTITIES; b += 500) {
      const batch = Array.from({ length: Math.min(500, ENTITIES - b) }, (_, i) => ({
        id: `urn:ngsi-ld:CrowdCounter:bench-${b + i}`,
        type: "CrowdCounter",
        peopleCount: { type: "Property", value: 0, unitCode: "IE" },
      }));
      const res = await fetch(`${server.url}/ngsi-ld/v1/entityOperations/create`, {
        method: "POST",
        headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
        body: JSON.stringify(batch),
      });
      if (res.status !== 201) throw new Error(`creating entities: ${res.status} ${await res.text()}`);
    }
    const headers = { authorization: `Bearer ${token}`, "content-type": "application/json" };
    const setup = [
      ["/ngsi-ld/v1/entities", { id: "urn:ngsi-ld:Area:bench", type: "Area", name: "基准测试区" }],
      ["/ngsi-ld/v1/entities", { id: PROBE, type: "CrowdCounter", peopleCount: 0 }],
      [
        "/api/operations/indicators",
        {
          code: PROBE_INDICATOR,
          name: "探针计数",
          unit: "人",
          category: "人流",
          areaId: "urn:ngsi-ld:Area:bench",
          formula: { op: "latest", select: { id: PROBE }, attr: "peopleCount" },
          refreshSeconds: 0,
          direction: "above",
          thresholds: { alarm: 10_000_000 },
        },
      ],
    ] as const;
    for (const [path, body] of setup) {
      const res = await fetch(`${server.url}${path}`, {
        method: "POST",
        headers,
        body: JSON.stringify(body),
      });
      if (res.status !== 201) throw new Error(`${path}: ${res.status} ${await res.text()}`);
    }
    const url = `mqtt://127.0.0.1:${mqttPort}`;
    const device = { username: "bench", password: SECRET };
    const base = Date.now() - 3_600_000;
    // Every message a new reading: entity i % ENTITIES, a distinct millisecond each.
    const topicOf = (i: number) => `fourfold/twin/urn:ngsi-ld:CrowdCounter:bench-${i % ENTITIES}/attrs`;
    const payloadOf = (i: number) =>
      JSON.stringify({
        peopleCount: i % 5000,
        observedAt: new Date(base + Math.floor(i / ENTITIES)).toISOString(),
      });
    await drive(
      url,
      device,
      (i) => topicOf(i + 900_000_000),
      (i) => payloadOf(i + 900_000_000),
    ); // warm-up
    const probeLatencies: number[] = [];
    const result = await drive(
      url,
      device,
      topicOf,
      payloadOf,
      indicatorProbe(server.url, url, device, token, probeLatencies),
    );
    probeLatencies.sort((a, b) => a - b);
    const ngsi = await ngsiFigures(server.url, token);
    const status = (await (
      await fetch(`${server.url}/api/operations/telemetry`, { headers: { authorization: `Bearer ${token}` } })
    ).json()) as { stored: number; malformed: number; unknownEntity: number; failedBatches: number };
    server.child.kill("SIGTERM");
    await server.exited;
    await scratch?.close();
    const throughputBaseline = {
      metric: `${reference.name} QoS 1 publish→subscribe pass-through, same run`,
      value: Math.round(baseline.rate),
      unit: "msg/s",
    };
    return [
      figure(
        "readings stored per second (QoS 1, acknowledged after commit)",
        result.rate,
        "readings/s",
        throughputBaseline,
        {
          text: "≥ 10,000 readings/s and ≥ 0.5 × the broker's pass-through",
          met: result.rate >= 10_000 && result.rate >= 0.5 * baseline.rate,
        },
      ),
      figure("publish → stored (PUBACK) p99", result.p99, "ms", null, {
        text: "< 200 ms",
        met: result.p99 < 200,
      }),
      figure("publish → stored (PUBACK) p50", result.p50, "ms"),
      figure(
        `publish → indicator updated p99 (under the load, ${probeLatencies.length} probes)`,
        percentile(probeLatencies, 99),
        "ms",
        null,
        { text: "< 200 ms", met: percentile(probeLatencies, 99) < 200 },
      ),
      figure("publish → indicator updated p50", percentile(probeLatencies, 50), "ms"),
      figure("publish errors", result.errors, "messages", null, { text: "0", met: result.errors === 0 }),
      figure("readings stored by the platform", status.stored, "readings", null, {
        text: "≥ acknowledged readings, none failed",
        met: status.stored >= result.count && status.failedBatches === 0,
      }),
      ...ngsi,
    ];
  },
};
