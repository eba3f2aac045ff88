import { inert } from '../format/inert.js';

/** An error the user caused or can fix: printed as one line, exits with `exitCode`. */
export class CliError extends Error {
  constructor(
    message: string,
    readonly exitCode = 2,
  ) {
    super(message);
    this.name = 'CliError';
  }
}

/**
 * The one line a user sees for any error. Known errors carry a message written for people;
 * anything else is a bug, still reported in one line (set KCOCKPIT_DEBUG=1 for the stack).
 * An API error quotes the server, so the line is made inert like any cluster string.
 */
export function oneLine(err: unknown): string {
  if (err instanceof Error) {
    const first = inert((err.message || err.name).split('\n')[0]!.trim());
    return first.length > 400 ? `${first.slice(0, 399)}…` : first;
  }
  return inert(String(err));
}
