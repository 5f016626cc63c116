import type { FastifyBaseLogger } from "fastify";
import { AckPolicy, type ConsumerMessages, connect, DeliverPolicy, type NatsConnection } from "nats";
import type { DomainEvent, EventHandler } from "./events";

const STREAM = "FOURFOLD_EVENTS";
const PREFIX = "fourfold.events.";

/** JetStream transport: a file-backed stream of all domain events, durable consumers per subscription. */
export class NatsTransport {
  private readonly consumers: ConsumerMessages[] = [];

  private constructor(
    private readonly nc: NatsConnection,
    private readonly log: FastifyBaseLogger,
    private readonly stream: string,
  ) {}

  static async connect(url: string, log: FastifyBaseLogger, stream = STREAM): Promise<NatsTransport> {
    const nc = await connect({ servers: url, name: "fourfold", maxReconnectAttempts: -1 });
    const jsm = await nc.jetstreamManager();
    try {
      await jsm.streams.info(stream);
    } catch {
      await jsm.streams.add({ name: stream, subjects: [`${PREFIX}${stream}.>`], duplicate_window: 120e9 });
    }
    return new NatsTransport(nc, log, stream);
  }

  private subject(topic: string): string {
    return `${PREFIX}${this.stream}.${topic}`;
  }

  async publish(event: DomainEvent): Promise<void> {
    const js = this.nc.jetstream();
    await js.publish(this.subject(event.topic), new TextEncoder().encode(JSON.stringify(event)), {
      msgID: event.id,
    });
  }

  async consume(name: string, pattern: string, handler: EventHandler): Promise<void> {
    const jsm = await this.nc.jetstreamManager();
    const durable = name.replace(/[^A-Za-z0-9_-]/g, "_");
    await jsm.consumers.add(this.stream, {
      durable_name: durable,
      ack_policy: AckPolicy.Explicit,
      deliver_policy: DeliverPolicy.All,
      filter_subject: this.subject(pattern),
      ack_wait: 30e9,
      max_deliver: 20,
    });
    const consumer = await this.nc.jetstream().consumers.get(this.stream, durable);
    const messages = await consumer.consume({ max_messages: 50 });
    this.consumers.push(messages);
    void (async () => {
      for await (const m of messages) {
        try {
          await handler(JSON.parse(new TextDecoder().decode(m.data)) as DomainEvent);
          m.ack();
        } catch (e) {
          this.log.warn({ err: e, subscription: name }, "event handler failed; NATS will redeliver");
          m.nak(5000);
        }
      }
    })();
  }

  async close(): Promise<void> {
    for (const c of this.consumers) c.stop();
    await this.nc.drain();
  }
}
