/** NFS client counters of one mount from /proc/self/mountstats. */
export interface NfsCounters {
  operations: number;
  retransmissions: number;
  majorTimeouts: number;
  readBytes: number;
  writeBytes: number;
}

/**
 * Parses /proc/self/mountstats into counters per mount point, NFS mounts
 * only. Per-op lines are `OP: ops trans timeouts ...`: retransmissions are
 * transmissions minus operations. Bytes come from the `bytes:` line
 * (server read and write bytes, fields 5 and 6).
 */
export function parseMountstats(text: string): Map<string, NfsCounters> {
  const out = new Map<string, NfsCounters>();
  let current: NfsCounters | undefined;
  let inOps = false;
  for (const line of text.split("\n")) {
    const dev = /^device \S+ mounted on (\S+) with fstype (\S+)/.exec(line);
    if (dev) {
      current = undefined;
      inOps = false;
      if (dev[2]!.startsWith("nfs")) {
        current = zero();
        out.set(dev[1]!.replace(/\\040/g, " "), current);
      }
      continue;
    }
    if (!current) continue;
    const t = line.trim();
    if (t.startsWith("bytes:")) {
      const n = t.split(/\s+/).slice(1).map(Number);
      current.readBytes = n[4] ?? 0;
      current.writeBytes = n[5] ?? 0;
    } else if (t === "per-op statistics") {
      inOps = true;
    } else if (inOps) {
      addOp(current, t);
    }
  }
  return out;
}

function addOp(c: NfsCounters, line: string): void {
  const m = /^[A-Z_0-9]+:\s+(\d+)\s+(\d+)\s+(\d+)/.exec(line);
  if (!m) return;
  const ops = Number(m[1]);
  const trans = Number(m[2]);
  c.operations += ops;
  c.retransmissions += Math.max(0, trans - ops);
  c.majorTimeouts += Number(m[3]);
}

function zero(): NfsCounters {
  return {
    operations: 0,
    retransmissions: 0,
    majorTimeouts: 0,
    readBytes: 0,
    writeBytes: 0,
  };
}
