// Per-request batching of lookups by id (the N+1 of nested fields): every load() made in the
// same tick becomes one query.
export class BatchLoader<K, V> {
  private pending = new Map<K, Array<{ resolve: (v: V | null) => void; reject: (e: unknown) => void }>>();
  private scheduled = false;

  constructor(private readonly fetch: (keys: K[]) => Promise<Map<K, V>>) {}

  load(key: K): Promise<V | null> {
    return new Promise((resolve, reject) => {
      const waiters = this.pending.get(key) ?? [];
      waiters.push({ resolve, reject });
      this.pending.set(key, waiters);
      if (!this.scheduled) {
        this.scheduled = true;
        process.nextTick(() => void this.dispatch());
      }
    });
  }

  private async dispatch() {
    const batch = this.pending;
    this.pending = new Map();
    this.scheduled = false;
    try {
      const found = await this.fetch([...batch.keys()]);
      for (const [k, ws] of batch) for (const w of ws) w.resolve(found.get(k) ?? null);
    } catch (err) {
      for (const ws of batch.values()) for (const w of ws) w.reject(err);
    }
  }
}
