/**
 * Where telemetry arrives. By default an embedded MQTT broker (aedes): over WebSocket at /mqtt on
 * the main HTTP port and over TCP on MQTT_PORT (when that port is taken — a Mosquitto on the same
 * machine — start-up says so and goes on without it). With MQTT_URL the platform instead subscribes
 * to an external broker. Either way a QoS 1 message is acknowledged only after its readings are
 * committed. Registered twin clients connect with their id and secret (a device publishes only for
 * its own entities, a system only when it may write); gateways listed in TELEMETRY_DEVICES publish
 * for any entity; staff scripts may use username "bearer" and a platform bearer token of a role that
 * may change the twin.
 */
import { timingSafeEqual } from "node:crypto";
import { createServer, type Server } from "node:net";
import { Aedes, type AuthenticateError } from "aedes";
import type { FastifyInstance } from "fastify";
import mqtt, { type MqttClient } from "mqtt";
import { createWebSocketStream, WebSocketServer } from "ws";
import { onUpgrade } from "../../../kernel/http/upgrade";
import type { Platform } from "../../../kernel/platform";
import { permits, secretHash, type TwinClients } from "../twin/clients";
import { TWIN_WRITERS } from "../twin/ngsi.routes";
import { entityOfTopic, MessageError, type TelemetryIngest, TOPIC_PREFIX } from "./ingest";

export const MQTT_WS_PATH = "/mqtt";
/** Where a message that is not stored is sent instead: a $-topic, out of every subscription's reach. */
const DROPPED_TOPIC = "$fourfold/dropped";
const BAD_CREDENTIALS = 4;
const NOT_AUTHORIZED = 5;

function authError(code: number, message: string): AuthenticateError {
  return Object.assign(new Error(message), { returnCode: code }) as AuthenticateError;
}

function sameSecret(a: string, b: Buffer): boolean {
  const expected = Buffer.from(a);
  return expected.length === b.length && timingSafeEqual(expected, b);
}

export interface TelemetryEndpoints {
  /** Starts the TCP listener (called when the HTTP server listens). */
  listenTcp(): Promise<void>;
  close(): Promise<void>;
  /** The TCP port listened on, or null. */
  tcpPort(): number | null;
}

/** The embedded broker: publishes on fourfold/twin/{entityId}/attrs are stored before they are acknowledged. */
export async function startEmbeddedBroker(
  app: FastifyInstance,
  platform: Platform,
  ingest: TelemetryIngest,
  clients: TwinClients,
): Promise<TelemetryEndpoints> {
  const { log, config } = platform;
  const devices = config.telemetry.devices;
  /** Connections of registered twin clients: the client's id and its secret's hash, checked again on publish. */
  const registered = new WeakMap<object, { id: string; hash: Buffer }>();
  const broker = await Aedes.createBroker({
    id: "fourfold",
    authenticate: (client, username, password, done) => {
      if (!username || !password) return done(authError(BAD_CREDENTIALS, "credentials required"), false);
      if (username === "bearer") {
        platform.sessions
          .resolve(password.toString("utf8"))
          .then((actor) => {
            if (actor?.roles.some((r) => TWIN_WRITERS.includes(r))) done(null, true);
            else done(authError(NOT_AUTHORIZED, "not allowed to send telemetry"), false);
          })
          .catch(() => done(authError(BAD_CREDENTIALS, "credentials not valid"), false));
        return;
      }
      const device = devices.find((d) => d.id === username);
      if (device && sameSecret(device.secret, password)) return done(null, true);
      const hash = secretHash(password.toString("utf8"));
      clients
        .verifyHash(username, hash)
        .then((found) => {
          if (!found) return done(authError(BAD_CREDENTIALS, "credentials not valid"), false);
          registered.set(client, { id: found.id, hash });
          done(null, true);
        })
        .catch(() => done(authError(BAD_CREDENTIALS, "credentials not valid"), false));
    },
    authorizeSubscribe: (_client, subscription, done) => {
      // Dashboards may watch the twin's topics; nothing else is served.
      if (subscription.topic.startsWith(TOPIC_PREFIX) || subscription.topic === "fourfold/#")
        done(null, subscription);
      else done(new Error("only fourfold/twin/# topics"), null);
    },
    authorizePublish: (client, packet, done) => {
      if (!client) return done(null); // the broker's own messages
      // A message that is not stored is acknowledged (the device is not cut off for it) but goes to
      // a topic no subscriber can match ($-topics escape "#"), so dashboards never see it.
      const drop = (problem: string | null, counter: "malformed" | "refused" | null) => {
        if (counter) ingest.stats[counter]++;
        if (problem) ingest.stats.lastProblem = problem;
        packet.topic = DROPPED_TOPIC;
        done(null);
      };
      const store = () =>
        ingest.submit(packet.topic, packet.payload as Buffer).then(
          () => done(null),
          // A failed store is not acknowledged: the client sends the message again.
          // (a malformed one is already counted by the ingestion).
          (e) => (e instanceof MessageError ? drop(null, null) : done(e as Error)),
        );
      if (!packet.topic.startsWith(TOPIC_PREFIX))
        return drop(
          `publish to ${packet.topic.slice(0, 200)} refused: only ${TOPIC_PREFIX}{entityId}/attrs`,
          "malformed",
        );
      const connection = registered.get(client);
      if (!connection) return void store();
      clients.verifyHash(connection.id, connection.hash).then((found) => {
        // Disabled or given a new secret since it connected: the connection is closed.
        if (!found) return done(new Error("the twin client is no longer valid"));
        const entityId = entityOfTopic(packet.topic);
        if (entityId && !permits(found, "write", entityId))
          return drop(`${found.name} may not publish for ${entityId.slice(0, 200)}`, "refused");
        store();
      }, done);
    },
  });
  const wss = new WebSocketServer({ noServer: true, perMessageDeflate: false, maxPayload: 256 * 1024 });
  onUpgrade(app, MQTT_WS_PATH, (req, socket, head) => {
    wss.handleUpgrade(req, socket, head, (ws) => {
      const stream = createWebSocketStream(ws);
      stream.on("error", () => ws.terminate());
      broker.handle(stream, req);
    });
  });
  let tcp: Server | null = null;
  let port: number | null = null;
  return {
    async listenTcp() {
      if (config.telemetry.mqttPort === 0 || tcp) return;
      const server = createServer((socket) => broker.handle(socket));
      await new Promise<void>((resolve) => {
        server.once("error", (e: NodeJS.ErrnoException) => {
          log.warn(
            { port: config.telemetry.mqttPort, code: e.code },
            e.code === "EADDRINUSE"
              ? `MQTT_PORT ${config.telemetry.mqttPort} is in use (another MQTT broker?): MQTT over TCP is off; MQTT over WebSocket at ${MQTT_WS_PATH} works. Set MQTT_PORT to a free port, or MQTT_URL to use that broker.`
              : "the MQTT TCP listener could not start; MQTT over WebSocket still works",
          );
          resolve();
        });
        server.listen(config.telemetry.mqttPort, config.host, () => {
          tcp = server;
          const address = server.address();
          port = typeof address === "object" && address ? address.port : null;
          log.info({ port }, "MQTT broker listening");
          resolve();
        });
      });
    },
    tcpPort: () => port,
    async close() {
      await new Promise<void>((resolve) => (tcp ? tcp.close(() => resolve()) : resolve()));
      for (const client of wss.clients) client.terminate();
      await new Promise<void>((resolve) => broker.close(() => resolve()));
    },
  };
}

/** Subscribes to an external broker (MQTT_URL); a message is acknowledged once stored. */
export async function connectExternalBroker(
  platform: Platform,
  ingest: TelemetryIngest,
): Promise<TelemetryEndpoints> {
  const url = platform.config.telemetry.mqttUrl!;
  const client: MqttClient = mqtt.connect(url, {
    clientId: platform.config.telemetry.mqttClientId,
    // A persistent session: QoS 1 messages published while the platform was down are delivered after.
    clean: false,
    reconnectPeriod: 2000,
    connectTimeout: 10_000,
  });
  client.handleMessage = (packet, done) => {
    ingest.submit(packet.topic, packet.payload as Buffer).then(
      () => done(),
      (e) => {
        if (e instanceof MessageError) done();
        else done(e as Error);
      },
    );
  };
  client.on("error", (e) => platform.log.warn({ err: e }, "MQTT_URL broker connection problem"));
  client.on("connect", () => {
    client.subscribe(`${TOPIC_PREFIX}+/attrs`, { qos: 1 }, (e) => {
      if (e) platform.log.error({ err: e }, "subscribing to the telemetry topics failed");
      else
        platform.log.info(
          { url: url.replace(/\/\/[^@]*@/, "//***@") },
          "subscribed to telemetry on MQTT_URL",
        );
    });
  });
  return {
    listenTcp: async () => undefined,
    tcpPort: () => null,
    close: () => new Promise<void>((resolve) => client.end(false, {}, () => resolve())),
  };
}
