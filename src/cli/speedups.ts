// Which of the cockpit's speed-ups are in place, and what they did: `--debug` (or
// KCOCKPIT_DEBUG) prints this before the cockpit opens and after it closes, and the
// end-to-end test reads it from the real binary. Each of them reaches into a dependency
// (decisions 0006, 0008, 0011), so a silent failure would only show as a slower cockpit.
import module from 'node:module';
import { inkRowCacheState } from './ink-row-cache.js';
import { widthCacheStats } from './width-cache.js';

const count = (n: number) => n.toLocaleString('en-US');

/** One line per speed-up: whether it is on, and why not. */
export function speedupsAtStart(): string[] {
  const rows = inkRowCacheState();
  const widths = widthCacheStats();
  return [
    `ink row cache: ${rows.installed ? 'on' : 'off'} (${rows.detail})`,
    `string-width cache: ${widths.versions > 0 ? `on (${widths.versions} string-width versions wrapped)` : 'off (not in this build: running from source)'}`,
    `compile cache: ${compileCache()}`,
  ];
}

/** bin/kcockpit.js enables V8's compile cache where Node has one (22.1+); 22.8+ can say where it is. */
function compileCache(): string {
  const m = module as { enableCompileCache?: unknown; getCompileCacheDir?: () => string | undefined };
  if (typeof m.enableCompileCache !== 'function') return `off (Node ${process.version} has none)`;
  if (typeof m.getCompileCacheDir !== 'function') return `unknown (Node ${process.version} cannot say)`;
  const dir = m.getCompileCacheDir();
  return dir ? `on (${dir})` : 'off (not enabled)';
}

/** What the caches did in this session. */
export function speedupsAtEnd(): string[] {
  const { stats } = inkRowCacheState();
  const widths = widthCacheStats();
  return [
    `ink row cache: ${count(stats.frames)} frames, ${count(stats.rowsRemembered)} rows from memory, ${count(stats.rowsRendered)} rendered by Ink, ${count(stats.wholeFrames)} frames left whole to Ink`,
    `string-width cache: ${count(widths.calls)} calls, ${count(widths.calls - widths.measured)} from memory`,
  ];
}

/** Under `--debug` (which sets KCOCKPIT_DEBUG) or KCOCKPIT_DEBUG: `kcockpit: debug: <line>` on stderr. */
export function debugLines(lines: string[], out: NodeJS.WritableStream = process.stderr): void {
  if (!process.env['KCOCKPIT_DEBUG']) return;
  for (const line of lines) out.write(`kcockpit: debug: ${line}\n`);
}
