/**
 * Group commit for hot single-statement writes. Requests that arrive while a flush is running wait
 * for the next one and are written together as one multi-row statement, so under load the cost per
 * write falls to that of a row in a multi-row insert; a lone request is flushed at once, alone.
 * If a batch fails as a whole, its items are retried one by one, so one bad item fails only itself.
 */
export class WriteBatcher<I, R> {
  private readonly queue: { item: I; resolve: (r: R) => void; reject: (e: unknown) => void }[] = [];
  private inFlight = 0;
  private scheduled = false;

  constructor(
    private readonly flush: (items: I[]) => Promise<R[]>,
    private readonly options: { maxBatch: number; concurrency: number },
  ) {}

  submit(item: I): Promise<R> {
    return new Promise<R>((resolve, reject) => {
      this.queue.push({ item, resolve, reject });
      // Flush after the event loop has taken in the requests already waiting on their sockets: with
      // an in-process database (PGlite runs on this thread) nothing else could join the batch.
      if (this.inFlight < this.options.concurrency && !this.scheduled) {
        this.scheduled = true;
        setImmediate(() => {
          this.scheduled = false;
          void this.drain();
        });
      }
    });
  }

  private async drain(): Promise<void> {
    this.inFlight++;
    try {
      while (this.queue.length > 0) {
        const batch = this.queue.splice(0, this.options.maxBatch);
        try {
          const results = await this.flush(batch.map((b) => b.item));
          for (const [i, b] of batch.entries()) b.resolve(results[i]!);
        } catch (error) {
          if (batch.length === 1) batch[0]!.reject(error);
          else {
            for (const b of batch) {
              try {
                b.resolve((await this.flush([b.item]))[0]!);
              } catch (single) {
                b.reject(single);
              }
            }
          }
        }
      }
    } finally {
      this.inFlight--;
    }
  }
}
