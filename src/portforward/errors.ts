// Why a port-forward could not start or go on, in one line for people. Problems the API server
// reports stay KubeErrors (src/kube/errors.ts); these are the ones found on this side: a bad
// port spec, a busy local port, a target without a pod to forward to.
export type ForwardErrorKind =
  /** A port spec or bind address that cannot work. */
  | 'spec'
  /** The local port is taken: `localPort` is it, `freePort` one that was free a moment ago. */
  | 'busy'
  /** The system refused to listen there (a privileged port, an address not on this machine). */
  | 'listen'
  /** The target exists but no pod can take the traffic. */
  | 'nopod'
  /** The target has no such port. */
  | 'port';

export class ForwardError extends Error {
  override readonly name = 'ForwardError';
  readonly kind: ForwardErrorKind;
  /** For `busy`: the port asked for. */
  readonly localPort: number | undefined;
  /** For `busy`: a port to propose instead, when one was found. */
  readonly freePort: number | undefined;

  constructor(kind: ForwardErrorKind, message: string, extra: { localPort?: number; freePort?: number } = {}) {
    super(message);
    this.kind = kind;
    this.localPort = extra.localPort;
    this.freePort = extra.freePort;
  }
}
