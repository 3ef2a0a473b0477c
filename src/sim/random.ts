/**
 * A small seeded PRNG (mulberry32): the same seed gives the same farm.
 * Not for anything secret.
 */
export class Random {
  private state: number;

  /** @param seed any integer. */
  constructor(seed: number) {
    this.state = seed >>> 0;
  }

  /** Uniform in [0, 1). */
  next(): number {
    this.state = (this.state + 0x6d2b79f5) >>> 0;
    let t = this.state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }

  /** Integer in [min, max], both included. */
  int(min: number, max: number): number {
    return min + Math.floor(this.next() * (max - min + 1));
  }

  /** True with probability `p`. */
  chance(p: number): boolean {
    return this.next() < p;
  }

  /** One element of a non-empty list. */
  pick<T>(items: readonly T[]): T {
    return items[Math.floor(this.next() * items.length)] as T;
  }

  /** A version 4 UUID made from this generator (repeatable). */
  uuid(): string {
    let hex = "";
    for (let i = 0; i < 4; i++) {
      hex += Math.floor(this.next() * 0x100000000)
        .toString(16)
        .padStart(8, "0");
    }
    const variant = ((parseInt(hex[16] ?? "0", 16) & 0x3) | 0x8).toString(16);
    return (
      `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-` +
      `${variant}${hex.slice(17, 20)}-${hex.slice(20, 32)}`
    );
  }
}

const UUID_RE =
  /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Whether `s` is a UUID, as the Manager checks path ids. */
export function isUuid(s: string): boolean {
  return UUID_RE.test(s);
}
