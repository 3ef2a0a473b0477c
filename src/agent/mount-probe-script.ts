/**
 * The probe of one mount root, as a POSIX sh script run in its own short
 * process: statfs, stat, the marker file's first line, and the canary
 * write/read/remove. A call stuck on a hung mount holds only this small
 * process (killed after the timeout), never a thread of the agent.
 * Arguments: mountpoint, marker name, canary dir, canary file ("" = skip).
 * Prints `statfs <avail blocks> <blocks> <fragment size>`, then `share`,
 * `marker_error`, `canary ok <ns>` or `canary_error` lines; `error <msg>`
 * when the mount itself failed.
 */
export const MOUNT_PROBE_SCRIPT = String.raw`
mp=$1 marker=$2 cdir=$3 cfile=$4
if ! out=$(stat -f -c '%a %b %S' -- "$mp" 2>&1); then echo "error $out"; exit 0; fi
echo "statfs $out"
if ! out=$(stat -c %i -- "$mp" 2>&1); then echo "error $out"; exit 0; fi
if [ -n "$marker" ]; then
  if out=$(head -n 1 -- "$mp/$marker" 2>&1); then echo "share $out"
  else echo "marker_error $out"; fi
fi
if [ -n "$cfile" ]; then
  t0=$(date +%s%N)
  f="$mp/$cdir/$cfile"
  body="farmwatch canary $t0"
  if out=$( { mkdir -p -- "$mp/$cdir" && printf '%s\n' "$body" > "$f" &&
      back=$(cat -- "$f") && rm -f -- "$f" &&
      [ "$back" = "$body" ]; } 2>&1 ); then
    echo "canary ok $(( $(date +%s%N) - t0 ))"
  else echo "canary_error $out"; fi
fi
`;

/** strerror(3) texts (LC_ALL=C) of the errors a probe distinguishes. */
const ERRNO_TEXTS: [string, string][] = [
  ["Stale file handle", "ESTALE"],
  ["Read-only file system", "EROFS"],
  ["Permission denied", "EACCES"],
  ["Operation not permitted", "EPERM"],
  ["Transport endpoint is not connected", "ENOTCONN"],
  ["No such file or directory", "ENOENT"],
  ["No space left on device", "ENOSPC"],
  ["Disk quota exceeded", "EDQUOT"],
  ["Input/output error", "EIO"],
];

/** The errno code named in a tool's error message; `EIO` if none. */
export function errnoOf(message: string): string {
  return ERRNO_TEXTS.find(([text]) => message.includes(text))?.[1] ?? "EIO";
}
