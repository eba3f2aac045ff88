// Process-level wrapper around main(): exit codes, and the promise that no error ever
// reaches the user as a stack trace (KCOCKPIT_DEBUG=1 shows one, for bug reports).
import { main } from './main.js';
import { CliError, oneLine } from './errors.js';

function report(err: unknown): number {
  if (process.env['KCOCKPIT_DEBUG'] && err instanceof Error) process.stderr.write(`${err.stack}\n`);
  process.stderr.write(`kcockpit: ${oneLine(err)}\n`);
  return err instanceof CliError ? err.exitCode : 2;
}

process.on('uncaughtException', (err) => {
  process.exitCode = report(err);
  process.exit();
});
process.on('unhandledRejection', (err) => {
  process.exitCode = report(err);
  process.exit();
});
// A closed pipe (`kcockpit diagnose | head`) is not an error worth a message.
process.stdout.on('error', (err: NodeJS.ErrnoException) => {
  if (err.code === 'EPIPE') process.exit(process.exitCode ?? 0);
});

/**
 * Exit once everything written has left the process. Exiting at once matters: idle
 * keep-alive sockets to the API server would otherwise hold it open. But a pipe takes 64 KB
 * at a time and Node writes the rest asynchronously, so `process.exit` right after a big
 * report (`diagnose -o json | jq`) cut it at 65,536 bytes; an empty write's callback runs
 * when everything queued before it is written.
 */
function exitWhenWritten(code: number): void {
  process.exitCode = code;
  let pending = 2;
  const done = (): void => {
    if (--pending === 0) process.exit(code);
  };
  process.stdout.write('', done);
  process.stderr.write('', done);
}

main(process.argv.slice(2)).then(
  (code) => exitWhenWritten(code),
  (err: unknown) => {
    process.exit(report(err));
  },
);
