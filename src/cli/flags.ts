// The parsed global flags every subcommand receives. Its own module so that subcommands do
// not import main.ts, which loads them (and they would form a cycle through it).
export type OutputFormat = 'text' | 'json' | 'markdown' | 'junit';

export interface GlobalFlags {
  namespace: string | undefined;
  allNamespaces: boolean;
  context: string | undefined;
  kubeconfig: string | undefined;
  output: OutputFormat;
  failOn: 'critical' | 'warning' | 'never';
  fromError: string | undefined;
  plugins: string | undefined;
  color: boolean | undefined;
  readonly: boolean;
  port: number | undefined;
  /** port-forward's bind address. */
  address: string | undefined;
  /** --refresh, in ms: the poll interval of lists the user may list but not watch. */
  refreshMs: number | undefined;
  /** sim's --list-rate, in bytes per second: how fast the simulator writes a list. */
  listBytesPerSecond?: number | undefined;
}
