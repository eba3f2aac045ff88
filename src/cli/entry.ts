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

main(process.argv.slice(2)).then(
  (code) => {
    // Exit now: idle keep-alive sockets to the API server would otherwise hold the process
    // open. stdout/stderr are synchronous for files, pipes and TTYs on Linux, so nothing is lost.
    process.exit(code);
  },
  (err: unknown) => {
    process.exit(report(err));
  },
);
