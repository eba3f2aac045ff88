// What `--debug` (which sets KCOCKPIT_DEBUG) or KCOCKPIT_DEBUG adds to stderr: lines for bug
// reports on what kcockpit's speed-ups and memory limits did in this run.

/** `kcockpit: debug: <line>` on stderr for each line, under `--debug` or KCOCKPIT_DEBUG only. */
export function debugLines(lines: string[], out: NodeJS.WritableStream = process.stderr): void {
  if (!process.env['KCOCKPIT_DEBUG']) return;
  for (const line of lines) out.write(`kcockpit: debug: ${line}\n`);
}
