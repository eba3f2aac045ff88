// What the cockpit needs from the rest of kcockpit besides the snapshot. Each is optional:
// without it the cockpit still runs and says in the status bar what is not available.
import type { FixPlan, ObjectRef } from '../src/diagnose/types.js';
import type { FixOutcome, Prompter, StepPreview } from '../src/fixes/types.js';
import type { ForwardInfo, ForwardRequest } from '../src/portforward/types.js';
import type { ApiResourceInfo, KubeObject, TableRow } from '../src/model/k8s.js';
import type { ResourceTableView } from '../src/store/resource-table.js';

export interface LogStreamOptions {
  /** The previous (crashed) container's log, as `kubectl logs --previous`. */
  previous: boolean;
  follow: boolean;
}

/** A running log stream: lines as they arrive (no trailing newline); stop() ends it. */
export type LogStream = AsyncIterable<string> & { stop(): void };

export interface LogSource {
  stream(namespace: string, pod: string, container: string, options: LogStreamOptions): LogStream;
}

/** A running port-forward as the port-forward manager (src/portforward) reports it. */
export type PortForwardInfo = ForwardInfo;

export interface PortForwardSource {
  list(): readonly PortForwardInfo[];
  /** Called when forwards start, stop or change (state, connections, bytes). Returns unsubscribe. */
  subscribe(listener: () => void): () => void;
}

/** A port a pod's containers (or a Service) declare, offered in the port-forward dialog. */
export interface AvailablePort {
  name?: string;
  port: number;
  protocol?: string;
}

/**
 * Starts and stops port-forwards for the cockpit (src/portforward/manager.ts). When `start`
 * fails because a local port is taken, the error it rejects with carries `localPort` (the
 * busy port) and, when one was found, `freePort` (a free one to propose): the dialog offers it.
 */
export interface PortForwardBackend extends PortForwardSource {
  /** The ports of a Pod's containers, a Service or a Deployment's pod template. */
  availablePorts(target: ObjectRef): Promise<AvailablePort[]>;
  start(req: ForwardRequest): Promise<ForwardInfo>;
  /** A promise lets the cockpit report a stop that failed. */
  stop(id: string): void | Promise<void>;
  /** True for addresses that expose the port beyond this machine (0.0.0.0, ::, a LAN IP). */
  exposesNetwork(address: string): boolean;
}

/** The fix runner (src/fixes/runner.ts) as the cockpit uses it. */
export interface FixBackend {
  /** What each step will change (diffs, masked), for the confirm screen. */
  preview(plan: FixPlan): Promise<StepPreview[]>;
  /**
   * Dry run first, then apply after the dialog's confirm (through the Prompter), as the
   * runner does. The cockpit never calls it in read-only mode.
   */
  run(
    plan: FixPlan,
    options: { dryRun: boolean; prompter: Prompter; onProgress?: (line: string) => void },
  ): Promise<FixOutcome>;
}

/**
 * Other actions. The cockpit asks first (a y/n dialog) and refuses `delete` under
 * --readonly; the owner does it and audits it. A missing action is refused with a
 * one-line reason. A promise lets the cockpit report how it ended.
 */
export interface CockpitActions {
  delete?(ref: ObjectRef): void | Promise<void>;
  switchContext?(name: string): void;
  /**
   * `e`: the object's YAML in $EDITOR (the cockpit leaves the screen meanwhile). Resolves to
   * the plan that writes the edit, and `settle` to call with how it ended (a 422 keeps the
   * text for the next `e`); or a one-line reason nothing is to be written.
   */
  edit?(
    ref: ObjectRef,
  ): Promise<{ plan: FixPlan; settle(outcome: FixOutcome): string | undefined } | { message: string }>;
  /** `s` / `a`: an interactive terminal in a container (the cockpit leaves the screen meanwhile). Resolves when it ends. */
  terminal?(request: TerminalRequest & { container: string }): Promise<void>;
}

/** A shell (`exec`) or `attach` to a pod, and the containers to choose from. */
export interface TerminalRequest {
  pod: ObjectRef;
  containers: readonly string[];
  mode: 'exec' | 'attach';
}

/** A live Table of one resource (src/store/resource-table.ts's LiveResourceTable), not started. */
export interface ResourceTableHandle {
  readonly view: ResourceTableView;
  subscribe(listener: () => void): () => void;
  start(): void;
  stop(): void;
}

/**
 * Any kind the server serves, for the views of kinds the snapshot does not hold (`:cm`,
 * `:crd`, a CRD's objects) and for describe / YAML of any object. The cockpit wires it to
 * src/kube; views never reach the cluster themselves.
 */
export interface ResourceSource {
  /**
   * The rows of `resource` in the server's Table form; `Object` puts the whole object in each
   * row, `objectsOnly` asks for the plain list (rows of objects without cells), and `keep`
   * (when given) is what is kept of each row as it arrives.
   */
  table(
    resource: ApiResourceInfo,
    namespace: string | undefined,
    options: { includeObject: 'Metadata' | 'Object'; objectsOnly?: boolean; keep?: (row: TableRow) => TableRow },
  ): ResourceTableHandle;
  /** One whole object, as `kubectl get -o yaml` reads it (rejects with a one-line message). */
  get(resource: ApiResourceInfo, namespace: string | undefined, name: string): Promise<KubeObject>;
}
