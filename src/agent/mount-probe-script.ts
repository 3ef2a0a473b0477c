/**
 * Source of the helper process that touches mounts: plain CommonJS run with
 * `node -e`, so it needs no build step. Each request probes one mount root:
 * statfs, stat, the marker file, and the canary write. Its own libuv pool
 * absorbs calls stuck on a hung mount; the agent's pool never sees them.
 */
export const MOUNT_PROBE_SCRIPT = String.raw`
const fs = require("node:fs/promises");
const path = require("node:path");
const since = (t) => Number(process.hrtime.bigint() - t) / 1e9;
async function marker(req, res) {
  try {
    const text = await fs.readFile(path.join(req.mountpoint, req.marker), "utf8");
    res.share = text.split("\n")[0].trim().slice(0, 200);
  } catch (e) { res.markerError = e.code || "EIO"; }
}
async function canary(req, res) {
  const t = process.hrtime.bigint();
  const dir = path.join(req.mountpoint, req.canaryDir);
  const file = path.join(dir, req.canaryFile);
  const body = "farmwatch canary " + Date.now() + "\n";
  try {
    await fs.mkdir(dir, { recursive: true });
    await fs.writeFile(file, body);
    const back = await fs.readFile(file, "utf8");
    await fs.unlink(file);
    if (back !== body) res.canaryError = "EIO";
  } catch (e) { res.canaryError = e.code || "EIO"; }
  res.canarySeconds = since(t);
}
async function probe(req) {
  const t = process.hrtime.bigint();
  const res = { id: req.id };
  try {
    const sf = await fs.statfs(req.mountpoint);
    await fs.stat(req.mountpoint);
    res.freeBytes = sf.bavail * sf.bsize;
    res.totalBytes = sf.blocks * sf.bsize;
    if (req.marker) await marker(req, res);
    if (req.canaryFile) await canary(req, res);
  } catch (e) {
    res.error = e.code || "EIO";
    res.message = String(e.message);
  }
  res.seconds = since(t);
  return res;
}
process.on("message", (req) => { probe(req).then((r) => process.send(r)); });
process.on("disconnect", () => process.exit(0));
`;
