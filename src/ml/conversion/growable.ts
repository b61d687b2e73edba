// Append-only typed-array columns for readers that do not know their row count in advance.

type TypedCtor<T> = { new (n: number): T };

export class Growable<T extends Int32Array | Float32Array | Float64Array | Uint8Array> {
  private data: T;
  length = 0;

  constructor(private readonly Ctor: TypedCtor<T>, capacity = 1024) {
    this.data = new Ctor(capacity);
  }

  push(v: number): void {
    if (this.length === this.data.length) {
      const next = new this.Ctor(this.data.length * 2);
      (next as unknown as { set(a: ArrayLike<number>): void }).set(this.data);
      this.data = next;
    }
    this.data[this.length++] = v;
  }

  get(i: number): number {
    return this.data[i];
  }

  set(i: number, v: number): void {
    this.data[i] = v;
  }

  /** A right-sized copy. */
  toArray(): T {
    return this.data.slice(0, this.length) as T;
  }
}
