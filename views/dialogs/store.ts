// A dialog's state lives outside React, in a small store the dialog's key handler updates
// and its component reads (useStore). Async work (a preview, a fix run, a port-forward
// starting) then updates the dialog without going through props.
export class Store<S> {
  private readonly listeners = new Set<() => void>();

  constructor(private current: S) {}

  get state(): S {
    return this.current;
  }

  subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  protected update(change: Partial<S>): void {
    this.current = { ...this.current, ...change };
    for (const l of this.listeners) l();
  }
}

/** First line of an error, for a one-line message. */
export function errorLine(err: unknown): string {
  const text = err instanceof Error ? err.message : String(err);
  return text.split('\n')[0]?.trim() || 'unknown error';
}
