/** Seeded randomness for reproducible tests (the data itself may come from crypto.randomBytes). */

/** A small deterministic generator (mulberry32) returning floats in [0, 1). */
export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Splits `data` into pieces of random length (some empty), covering it exactly. */
export function randomSplit(data: Uint8Array, random: () => number): Uint8Array[] {
  const parts: Uint8Array[] = [];
  let off = 0;
  while (off < data.length) {
    const n = Math.min(data.length - off, Math.floor(random() * 200));
    parts.push(data.subarray(off, off + n));
    off += n;
  }
  parts.push(data.subarray(off));
  return parts;
}
