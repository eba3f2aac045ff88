// The `kcockpit` command line. Parses flags with meow, dispatches subcommands, and turns
// every failure into one line on stderr with a documented exit code (docs/cli.md):
// 0 healthy / done, 1 problems found, 2 could not run.
import meow from 'meow';
import { CliError, oneLine } from './errors.js';
import type { GlobalFlags } from './flags.js';
import { VERSION } from './version.js';

const HELP = `
  Usage
    $ kcockpit [flags]                     open the cockpit on the current context
    $ kcockpit diagnose [flags]            print problems, their causes and fixes; exit 1 if any
    $ kcockpit run [flags] -- <command>    run a command (e.g. helm install ...); explain it if it fails
    $ kcockpit fix <finding-id|rule-id>    show a finding's fix, dry-run it, confirm, apply it
    $ kcockpit audit                       what kcockpit changed, from its audit log
    $ kcockpit demo [diagnose] [scenario]  the cockpit (or diagnose) on a built-in simulated cluster
    $ kcockpit sim [scenario]              start the simulated API server alone and print its kubeconfig
    $ kcockpit port-forward <pod|svc|deploy>/<name> [LOCAL:]REMOTE ...
                                           forward local ports to a pod; a Service or Deployment
                                           forward follows its pods when one dies

  Cluster
    -n, --namespace <ns>     namespace (default: the context's, else "default")
    -A, --all-namespaces     every namespace
        --context <name>     kubeconfig context to use
        --kubeconfig <path>  kubeconfig file (default: $KUBECONFIG, else ~/.kube/config)

  Diagnose
    -o, --output <format>    text | json | markdown | junit (default: text)
        --fail-on <level>    critical | warning | never: when to exit 1 (default: warning)
        --from-error <text>  explain an error a tool printed; "-" reads it from stdin
        --plugins <dir>      extra rule plugins (default: $XDG_CONFIG_HOME/kcockpit/plugins)
        --no-color           no colour (also NO_COLOR=1); --color forces it

  Cockpit
        --refresh <seconds>  how often to read again a list that may not be watched
                             (RBAC without the watch verb; default: 2)

  Simulator
        --list-rate <MB/s>   write lists no faster than this, like a real API server (default: no limit)

  Port-forward
        --address <ip>       local address to listen on (default: 127.0.0.1; 0.0.0.0 exposes the port)

  Fix
        --plan <plan-id>     which of the finding's plans (default: the first that changes something)
        --yes                apply without asking
        --dry-run            server-side dry run only: change nothing
        --username <user>    registry username for a pull secret
        --password-stdin     read the registry token from stdin
        --docker-config <p>  Docker config with the registry credentials (default: ~/.docker/config.json)
        --manifest <p|url>   the manifest a plan applies (e.g. a downloaded cert-manager.yaml)

  General
        --readonly           never change the cluster
        --debug              stack traces with errors; the cockpit says which speed-ups run
    -h, --help               this help
    -v, --version            kcockpit's version

  Examples
    $ kcockpit diagnose -n observability
    $ kcockpit diagnose -A --output json --fail-on critical
    $ helm install jaeger-operator jaegertracing/jaeger-operator 2>&1 | kcockpit diagnose --from-error -
    $ kcockpit run -- helm install my-release jaegertracing/jaeger-operator -n observability
    $ kcockpit demo
    $ kcockpit demo diagnose
    $ kcockpit fix pods/image-pull -n observability --dry-run
    $ kcockpit port-forward svc/jaeger-query 16686 -n observability
`;

const FLAGS = {
  namespace: { type: 'string', shortFlag: 'n' },
  allNamespaces: { type: 'boolean', shortFlag: 'A', default: false },
  context: { type: 'string' },
  kubeconfig: { type: 'string' },
  output: { type: 'string', shortFlag: 'o', default: 'text' },
  failOn: { type: 'string', default: 'warning' },
  fromError: { type: 'string' },
  plugins: { type: 'string' },
  color: { type: 'boolean' },
  readonly: { type: 'boolean', default: false },
  port: { type: 'number' },
  address: { type: 'string' },
  refresh: { type: 'string' },
  listRate: { type: 'number' },
  plan: { type: 'string' },
  yes: { type: 'boolean', default: false },
  dryRun: { type: 'boolean', default: false },
  username: { type: 'string' },
  passwordStdin: { type: 'boolean', default: false },
  dockerConfig: { type: 'string' },
  manifest: { type: 'string' },
  debug: { type: 'boolean', default: false },
  help: { type: 'boolean', shortFlag: 'h', default: false },
  version: { type: 'boolean', shortFlag: 'v', default: false },
} as const;

function parse(argv: string[]) {
  // meow's own unknown-flag report is two lines and exits by itself; ours is one line.
  const cli = meow(HELP, {
    importMeta: import.meta,
    argv,
    autoVersion: false,
    autoHelp: false,
    allowUnknownFlags: true,
    flags: FLAGS,
  });
  const unknown = Object.keys(cli.flags).filter((k) => !(k in FLAGS));
  if (unknown.length > 0) {
    const shown = unknown.map((k) =>
      k.length === 1 ? `-${k}` : `--${k.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}`,
    );
    throw new CliError(`unknown flag ${shown.join(', ')} (try kcockpit --help)`);
  }
  return cli;
}

/** `--from-error -` means stdin, but the parser takes a lone "-" for an argument. */
function joinDashValue(argv: string[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === '--from-error' && argv[i + 1] === '-') {
      out.push('--from-error=-');
      i++;
    } else out.push(argv[i]!);
  }
  return out;
}

function oneOf<T extends string>(name: string, value: string, allowed: readonly T[]): T {
  if ((allowed as readonly string[]).includes(value)) return value as T;
  throw new CliError(`--${name} must be one of ${allowed.join(', ')} (got "${value}")`);
}

function globalFlags(flags: ReturnType<typeof parse>['flags']): GlobalFlags {
  if (flags.namespace !== undefined && flags.allNamespaces)
    throw new CliError('use either --namespace or --all-namespaces, not both');
  if (flags.namespace === '') throw new CliError('--namespace needs a name');
  return {
    namespace: flags.namespace,
    allNamespaces: flags.allNamespaces,
    context: flags.context,
    kubeconfig: flags.kubeconfig,
    output: oneOf('output', flags.output, ['text', 'json', 'markdown', 'junit'] as const),
    failOn: oneOf('fail-on', flags.failOn, ['critical', 'warning', 'never'] as const),
    fromError: flags.fromError,
    plugins: flags.plugins,
    color: flags.color,
    readonly: flags.readonly,
    port: flags.port,
    address: flags.address,
    refreshMs: refreshMs(flags.refresh),
    listBytesPerSecond: listRate(flags.listRate),
  };
}

/** `--list-rate` is in MB/s, as API servers' list throughput is usually quoted. */
function listRate(value: number | undefined): number | undefined {
  if (value === undefined) return undefined;
  if (!Number.isFinite(value) || value <= 0)
    throw new CliError(`--list-rate must be a positive number of MB/s (got "${value}")`);
  return value * 1_000_000;
}

/** A poll faster than this would keep a big list's requests back to back. */
const MIN_REFRESH_SECONDS = 0.5;

function refreshMs(value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const seconds = Number(value);
  if (value.trim() === '' || !Number.isFinite(seconds) || seconds < MIN_REFRESH_SECONDS) {
    throw new CliError(`--refresh must be a number of seconds, at least ${MIN_REFRESH_SECONDS} (got "${value}")`);
  }
  return Math.round(seconds * 1000);
}

/** Splits `run [flags] -- cmd args` so the child's flags never reach our parser. */
function splitRun(argv: string[]): { own: string[]; command: string[] } {
  const dashdash = argv.indexOf('--');
  if (dashdash >= 0) return { own: argv.slice(0, dashdash), command: argv.slice(dashdash + 1) };
  const firstNonFlag = argv.findIndex((a, i) => i > 0 && !a.startsWith('-'));
  return firstNonFlag < 0
    ? { own: argv, command: [] }
    : { own: argv.slice(0, firstNonFlag), command: argv.slice(firstNonFlag) };
}

export async function main(argv: string[]): Promise<number> {
  const isRun = argv[0] === 'run';
  const { own, command } = isRun ? splitRun(argv) : { own: argv, command: [] };
  let cli: ReturnType<typeof parse>;
  try {
    cli = parse(joinDashValue(own));
  } catch (err) {
    throw err instanceof CliError ? err : new CliError(oneLine(err));
  }
  // One switch for every layer that reports (entry.ts, bin/kcockpit.js read the variable too).
  if (cli.flags.debug) process.env['KCOCKPIT_DEBUG'] = '1';
  if (cli.flags.help) {
    process.stdout.write(`${HELP.trim()}\n`);
    return 0;
  }
  if (cli.flags.version) {
    process.stdout.write(`kcockpit ${VERSION}\n`);
    return 0;
  }
  const flags = globalFlags(cli.flags);
  const [sub, ...rest] = cli.input;
  // Each subcommand's code is loaded only when it runs: `--version` loads none, `diagnose`
  // neither Ink nor React (docs/decisions/0011-start-up.md).
  switch (sub) {
    case 'diagnose':
      if (rest.length > 0)
        throw new CliError(`diagnose takes no arguments (got "${rest.join(' ')}"); use -n <namespace> for a namespace`);
      return (await import('./diagnose.js')).runDiagnose(flags);
    case 'run':
      if (command.length === 0) throw new CliError('run needs a command: kcockpit run -- helm install ...');
      return (await import('./run.js')).runCommandAndExplain(command, flags);
    case 'fix':
      return (await import('./fix.js')).runFix(rest, flags, {
        plan: cli.flags.plan,
        yes: cli.flags.yes,
        dryRun: cli.flags.dryRun,
        username: cli.flags.username,
        passwordStdin: cli.flags.passwordStdin,
        dockerConfig: cli.flags.dockerConfig,
        manifest: cli.flags.manifest,
      });
    case 'audit':
      return (await import('./audit.js')).runAudit(rest, flags);
    case 'demo':
      return (await import('./demo.js')).runDemo(rest, flags);
    case 'sim':
      return (await import('./demo.js')).runSimCommand(rest, flags);
    case 'port-forward':
      return (await import('./port-forward.js')).runPortForward(rest, flags);
    case undefined:
      return (await import('./cockpit.js')).runCockpit(flags);
    default:
      throw new CliError(`unknown command "${sub}" (try kcockpit --help)`);
  }
}
