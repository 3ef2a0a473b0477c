/**
 * Seeded random mutations of JSON-like values and of text, for the fuzz
 * faults: the same seed gives the same mutations on any machine.
 */

import { Random } from "../../src/sim/random.js";

/** A seeded PRNG for mutations: the simulator's generator, other helpers. */
export class Rng {
  private readonly random: Random;

  constructor(seed: number) {
    this.random = new Random(seed);
  }

  /** Uniform in [0, 1). */
  next(): number {
    return this.random.next();
  }

  /** An integer in [0, n). */
  int(n: number): number {
    return Math.floor(this.next() * n);
  }

  pick<T>(list: readonly T[]): T {
    return list[this.int(list.length)]!;
  }
}

/** Values a field may be replaced with: wrong types and edge cases. */
const ODD_VALUES: readonly unknown[] = [
  null,
  "",
  "quarantined",
  -1,
  0,
  1e308,
  3.5,
  true,
  [],
  {},
  [1, "two"],
  { nested: { deeper: [null] } },
  "x".repeat(10_000),
  "<b>&amp;</b>",
  "2026-13-45T99:99:99Z",
  "\u0000\ud800",
];

type Container = Record<string, unknown> | unknown[];

/** Every object or array inside `root`, with the path to it. */
function containers(root: unknown, out: Container[] = []): Container[] {
  if (typeof root !== "object" || root === null) return out;
  out.push(root as Container);
  for (const v of Object.values(root)) containers(v, out);
  return out;
}

/**
 * One random structural change, in place, somewhere in `root` (which must
 * be an object or array): a field deleted, retyped, renamed, an unknown
 * key or array item added, an array emptied or duplicated. Returns what
 * was done, for the report.
 */
export function mutateValue(root: unknown, rng: Rng): string {
  const all = containers(root);
  if (all.length === 0) return "nothing to mutate";
  const target = rng.pick(all);
  const keys = Object.keys(target);
  const key = keys.length > 0 ? rng.pick(keys) : undefined;
  const rec = target as Record<string, unknown>;
  const op = rng.int(6);
  if (key === undefined || op === 0) {
    if (Array.isArray(target)) target.push(rng.pick(ODD_VALUES));
    else rec[`unknown_${rng.int(100)}`] = rng.pick(ODD_VALUES);
    return "added an unknown item";
  }
  if (op === 1) {
    if (Array.isArray(target)) target.splice(Number(key), 1);
    else delete rec[key];
    return `deleted ${key}`;
  }
  if (op === 2 && Array.isArray(rec[key])) {
    const list = rec[key] as unknown[];
    rec[key] = rng.next() < 0.5 ? [] : [...list, ...list];
    return `emptied or doubled ${key}`;
  }
  if (op === 3 && !Array.isArray(target)) {
    rec[`${key}_`] = rec[key];
    delete rec[key];
    return `renamed ${key}`;
  }
  rec[key] = structuredClone(rng.pick(ODD_VALUES));
  return `retyped ${key}`;
}

/** One random change of text: a cut, a flipped byte, an inserted char. */
export function mutateText(text: string, rng: Rng): string {
  if (text.length === 0) return "{";
  const at = rng.int(text.length);
  switch (rng.int(4)) {
    case 0:
      return text.slice(0, at);
    case 1:
      return text.slice(0, at) + text.slice(at + 1);
    case 2:
      return (
        text.slice(0, at) +
        rng.pick(["{", "]", '"', ":", "\t", "\u00ff"]) +
        text.slice(at)
      );
    default:
      return (
        text.slice(0, at) +
        text.slice(at, at + 40).repeat(3) +
        text.slice(at + 40)
      );
  }
}
