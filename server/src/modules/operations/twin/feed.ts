/**
 * The twin's change feed, in process: every committed change of an entity — by the NGSI-LD API
 * (relayed from its outbox events) or by telemetry (published as each batch of readings is stored)
 * — reaches the feed's listeners (subscriptions, indicators) in batches. Listeners re-read what they
 * need; the feed carries which entities and attributes changed, not their values.
 */
export interface TwinChange {
  kind: "created" | "updated" | "deleted";
  id: string;
  /** Entity type IRIs. */
  types: string[];
  /** Attribute IRIs that changed (all on create, none on delete). */
  attributes: string[];
  /** When the change was committed (ISO 8601). */
  at: string;
}

export type TwinListener = (changes: TwinChange[]) => Promise<void> | void;

export class TwinFeed {
  readonly #listeners = new Set<TwinListener>();

  constructor(private readonly onError: (error: unknown) => void) {}

  subscribe(listener: TwinListener): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  /** Hands the changes to every listener; a failing listener is logged and does not stop the others. */
  async publish(changes: TwinChange[]): Promise<void> {
    if (changes.length === 0) return;
    for (const listener of this.#listeners) {
      try {
        await listener(changes);
      } catch (e) {
        this.onError(e);
      }
    }
  }
}
