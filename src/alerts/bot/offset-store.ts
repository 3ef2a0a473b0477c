import { mkdir, readFile, rename, writeFile } from "node:fs/promises";
import { join } from "node:path";

/** File name of the persisted update offset in the bot's state directory. */
export const OFFSET_FILE = "bot-offset.json";

/**
 * The next Telegram update id to ask for, kept on disk so a restart
 * continues where the last run stopped. Written atomically (temporary file
 * and rename): a crash leaves the old or the new value, never half.
 */
export class OffsetStore {
  private readonly path: string;

  constructor(private readonly dir: string) {
    this.path = join(dir, OFFSET_FILE);
  }

  /** The stored offset; undefined when none was stored yet. */
  async load(): Promise<number | undefined> {
    let text: string;
    try {
      text = await readFile(this.path, "utf8");
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === "ENOENT") return undefined;
      throw err;
    }
    const value = (JSON.parse(text) as { offset?: unknown }).offset;
    return typeof value === "number" && Number.isInteger(value)
      ? value
      : undefined;
  }

  /** Stores `offset` atomically. */
  async save(offset: number): Promise<void> {
    await mkdir(this.dir, { recursive: true });
    const tmp = `${this.path}.${process.pid}.tmp`;
    await writeFile(tmp, JSON.stringify({ offset }) + "\n", "utf8");
    await rename(tmp, this.path);
  }
}
