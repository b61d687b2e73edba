// A small self-describing binary container for model artifacts: a JSON header plus named, typed,
// 8-byte-aligned binary sections. Used so a whole model (tfjs weights, embedding tables,
// vocabularies, snapshots) is ONE Uint8Array that can live in a database row or an object store.
//
// Layout (little-endian):
//   bytes 0..3   magic "SWML"
//   bytes 4..7   container version (u32, currently 1)
//   bytes 8..11  header length H in bytes (u32)
//   bytes 12..12+H  header: UTF-8 JSON { kind, meta, sections: [{ name, dtype, byteOffset, length }] }
//   then sections, each starting at a multiple of 8 from the start of the container; byteOffset is
//   absolute, length counts elements of dtype.

export type SectionDType = 'float32' | 'float64' | 'int32' | 'uint8';
type SectionArray = Float32Array | Float64Array | Int32Array | Uint8Array;

const MAGIC = [0x53, 0x57, 0x4d, 0x4c]; // "SWML"
const VERSION = 1;

interface SectionEntry {
  name: string;
  dtype: SectionDType;
  byteOffset: number;
  length: number;
}

function dtypeOf(a: SectionArray): SectionDType {
  if (a instanceof Float32Array) return 'float32';
  if (a instanceof Float64Array) return 'float64';
  if (a instanceof Int32Array) return 'int32';
  return 'uint8';
}

const BYTES: Record<SectionDType, number> = { float32: 4, float64: 8, int32: 4, uint8: 1 };

/** Collects sections, then packs them with a header. */
export class ContainerWriter {
  private readonly sections: { name: string; data: SectionArray }[] = [];
  private readonly names = new Set<string>();

  add(name: string, data: SectionArray): this {
    if (this.names.has(name)) throw new Error(`duplicate section ${name}`);
    this.names.add(name);
    this.sections.push({ name, data });
    return this;
  }

  pack(kind: string, meta: unknown): Uint8Array {
    // Offsets depend on the header length, which depends on the offsets' digits: iterate to a fixpoint.
    let headerBytes = new Uint8Array(0);
    let entries: SectionEntry[] = [];
    for (let pass = 0; pass < 4; pass++) {
      let offset = align8(12 + headerBytes.length);
      entries = this.sections.map(({ name, data }) => {
        const e = { name, dtype: dtypeOf(data), byteOffset: offset, length: data.length };
        offset = align8(offset + data.byteLength);
        return e;
      });
      const next = new TextEncoder().encode(JSON.stringify({ kind, meta, sections: entries }));
      if (next.length === headerBytes.length) {
        headerBytes = next;
        break;
      }
      headerBytes = next;
    }
    const last = entries[entries.length - 1];
    const total = last ? align8(last.byteOffset + last.length * BYTES[last.dtype]) : align8(12 + headerBytes.length);
    const out = new Uint8Array(total);
    out.set(MAGIC, 0);
    const view = new DataView(out.buffer);
    view.setUint32(4, VERSION, true);
    view.setUint32(8, headerBytes.length, true);
    out.set(headerBytes, 12);
    if (12 + headerBytes.length > (entries[0]?.byteOffset ?? Infinity)) throw new Error('container header grew past its sections');
    this.sections.forEach(({ data }, k) => {
      out.set(new Uint8Array(data.buffer, data.byteOffset, data.byteLength), entries[k].byteOffset);
    });
    return out;
  }
}

function align8(n: number): number {
  return (n + 7) & ~7;
}

/** Reads a container; section arrays are copies (safe to keep after the bytes are dropped). */
export class ContainerReader {
  readonly kind: string;
  readonly meta: unknown;
  private readonly entries = new Map<string, SectionEntry>();

  constructor(private readonly bytes: Uint8Array) {
    if (bytes.length < 12 || MAGIC.some((m, i) => bytes[i] !== m)) throw new Error('not a Shelfwise model artifact (bad magic)');
    const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    const version = view.getUint32(4, true);
    if (version !== VERSION) throw new Error(`unsupported artifact container version ${version}`);
    const headerLength = view.getUint32(8, true);
    const header = JSON.parse(new TextDecoder().decode(bytes.subarray(12, 12 + headerLength))) as {
      kind: string; meta: unknown; sections: SectionEntry[];
    };
    this.kind = header.kind;
    this.meta = header.meta;
    for (const e of header.sections) this.entries.set(e.name, e);
  }

  has(name: string): boolean {
    return this.entries.has(name);
  }

  private raw(name: string, dtype: SectionDType): { e: SectionEntry; copy: ArrayBuffer } {
    const e = this.entries.get(name);
    if (!e) throw new Error(`artifact has no section ${name}`);
    if (e.dtype !== dtype) throw new Error(`section ${name} is ${e.dtype}, expected ${dtype}`);
    const start = this.bytes.byteOffset + e.byteOffset;
    const copy = this.bytes.buffer.slice(start, start + e.length * BYTES[dtype]) as ArrayBuffer;
    return { e, copy };
  }

  float32(name: string): Float32Array {
    return new Float32Array(this.raw(name, 'float32').copy);
  }

  float64(name: string): Float64Array {
    return new Float64Array(this.raw(name, 'float64').copy);
  }

  int32(name: string): Int32Array {
    return new Int32Array(this.raw(name, 'int32').copy);
  }

  uint8(name: string): Uint8Array {
    return new Uint8Array(this.raw(name, 'uint8').copy);
  }
}
