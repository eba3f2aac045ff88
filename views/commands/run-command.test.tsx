// runCommand without Ink: the cockpit's state in, reducer actions and effects out.
import { describe, expect, it, vi } from 'vitest';
import type { Finding } from '../../src/diagnose/types.js';
import { indexFindings } from '../data/finding-index.js';
import { VIEWS } from '../registry.js';
import { entry, initialState, reduce, type UiAction, type UiState, type ViewEntry } from '../state.js';
import type { ViewContext, ViewDef } from '../view-def.js';
import { FakeFixBackend, FakeForwards, forwardInfo } from '../testing/fakes.js';
import {
  NOW,
  collectorFinding,
  collectorPod,
  corednsPod,
  esFinding,
  events,
  findings,
  operatorPod,
  pullFinding,
  scenarioSnapshot,
} from '../testing/fixtures.js';
import { runCommand, type CommandPorts, type CommandState } from './run-command.js';

const logs = { stream: vi.fn() };

interface At {
  view?: string;
  /** Pushed on top of the pods view the cockpit starts in. */
  entry?: Partial<ViewEntry>;
  selected?: unknown;
  finding?: Finding;
  position?: CommandState['position'];
  readonly?: boolean;
  namespace?: string;
  snapshot?: ViewContext['snapshot'];
}

function at({
  view = 'pods',
  entry: extra = {},
  selected,
  finding,
  position,
  readonly = false,
  namespace,
  snapshot,
}: At = {}) {
  const def = VIEWS.get(view) as ViewDef;
  let ui: UiState = initialState(namespace);
  if (view !== 'pods' || Object.keys(extra).length > 0) ui = reduce(ui, { type: 'push', entry: entry(view, extra) });
  const ctx: ViewContext = {
    snapshot: snapshot ?? scenarioSnapshot(),
    findings: indexFindings(findings),
    namespace,
    contexts: [
      { name: 'kind-dev', cluster: 'kind-dev', user: 'kind-dev' },
      { name: 'minikube', cluster: 'minikube', user: 'minikube' },
    ],
    currentContext: 'minikube',
    portForwards: [],
    views: VIEWS,
    now: NOW,
    log: { lines: [], status: 'streaming' },
  };
  const state: CommandState = {
    ui,
    view: def,
    ctx,
    position: position ?? { at: 0, last: 4, page: 10 },
    selected,
    finding,
    readonly,
  };
  return state;
}

const flash = (kind: 'error' | 'info', text: string) => ({
  actions: [{ type: 'flash', flash: { kind, text } }],
  effects: [],
});
const acts = (...actions: UiAction[]) => ({ actions, effects: [] });

describe('runCommand: moving', () => {
  it('moves a table cursor by rows and pages, within the rows', () => {
    expect(runCommand('cursor.down', at(), {})).toEqual(acts({ type: 'cursor', cursor: 1 }));
    expect(runCommand('cursor.pageDown', at(), {})).toEqual(acts({ type: 'cursor', cursor: 4 }));
    expect(runCommand('cursor.up', at(), {})).toEqual(acts({ type: 'cursor', cursor: 0 }));
  });

  it('makes a text view follow new lines at the bottom, and stop when moved up', () => {
    const logsAt = (n: number) =>
      at({ view: 'logs', entry: { subject: { kind: 'Pod', name: 'p' } }, position: { at: n, last: 50, page: 20 } });
    expect(runCommand('cursor.bottom', logsAt(0), {})).toEqual(acts({ type: 'cursor', cursor: 50, follow: true }));
    expect(runCommand('cursor.up', logsAt(50), {})).toEqual(acts({ type: 'cursor', cursor: 49, follow: false }));
  });
});

describe('runCommand: views', () => {
  it('opens prompts, help (once) and goes back', () => {
    expect(runCommand('prompt.filter', at(), {})).toEqual(acts({ type: 'prompt.open', kind: 'filter' }));
    expect(runCommand('help', at({ view: 'events' }), {})).toEqual(
      acts({ type: 'push', entry: entry('help', { helpFor: 'events' }) }),
    );
    expect(runCommand('help', at({ view: 'help' }), {})).toEqual({ actions: [], effects: [] });
    expect(runCommand('view.back', at(), {})).toEqual(acts({ type: 'back' }));
    expect(runCommand('quit', at(), {})).toEqual({ actions: [], effects: [{ type: 'exit' }] });
  });

  it('drills into the row: a pod to its findings, a namespace to its pods in that namespace', () => {
    expect(runCommand('drill', at({ selected: operatorPod }), {}).actions).toEqual([
      {
        type: 'push',
        entry: entry('findings', {
          subject: { kind: 'Pod', namespace: 'observability', name: operatorPod.metadata.name },
        }),
      },
    ]);
    const ns = { name: 'observability', pods: 5, findings: { critical: 0, warning: 0, info: 0 } };
    expect(runCommand('drill', at({ view: 'namespaces', selected: ns }), {}).actions).toEqual([
      { type: 'push', entry: entry('pods') },
      { type: 'namespace', namespace: 'observability' },
    ]);
    expect(runCommand('drill', at({ view: 'namespaces' }), {})).toEqual({ actions: [], effects: [] });
  });

  it('describes the object an event is about', () => {
    const event = events.find((e) => e.involvedObject.kind === 'Pod');
    const out = runCommand('describe', at({ view: 'events', selected: event }), {});
    expect(out.actions).toEqual([
      {
        type: 'push',
        entry: entry('describe', {
          subject: { kind: 'Pod', name: event?.involvedObject.name, namespace: event?.involvedObject.namespace },
        }),
      },
    ]);
  });

  it('opens the failing container\u2019s log, or says why it cannot', () => {
    expect(runCommand('logs', at({ selected: collectorPod }), {})).toEqual(
      flash('error', 'Logs are not available: this kcockpit was started without a log source.'),
    );
    const subject = { kind: 'Pod', namespace: 'observability', name: collectorPod.metadata.name };
    expect(runCommand('logs.previous', at({ selected: collectorPod }), { logs }).actions).toEqual([
      {
        type: 'push',
        entry: entry('logs', { subject, container: 'jaeger-collector', previous: true, follow: true }),
      },
    ]);
    // A pod that left the cluster picture has no container to read from.
    const gone = { ...corednsPod, metadata: { ...corednsPod.metadata, name: 'coredns-gone' } };
    expect(runCommand('logs', at({ selected: gone }), { logs })).toEqual(
      flash('error', 'Pod coredns-gone has no container to read logs from.'),
    );
  });

  it('switches view and namespace from the `:` line, checking the namespace', () => {
    const line = (text: string) => ({ type: 'line', text }) as const;
    expect(runCommand(line('pods observability'), at(), {})).toEqual(
      acts({ type: 'namespace', namespace: 'observability' }, { type: 'reset', entry: entry('pods') }),
    );
    expect(runCommand(line('svc all'), at(), {})).toEqual(
      acts({ type: 'namespace', namespace: undefined }, { type: 'reset', entry: entry('services') }),
    );
    expect(runCommand(line('ns'), at(), {})).toEqual(acts({ type: 'reset', entry: entry('namespaces') }));
    expect(runCommand(line('pods nope'), at(), {})).toEqual(
      flash('error', 'Namespace "nope" not found. :ns lists the namespaces.'),
    );
    expect(runCommand(line('pdos'), at(), {})).toEqual(
      flash('error', 'Unknown command ":pdos": try :pods, :events, :helm, :findings (? lists all)'),
    );
    expect(runCommand(line('q'), at(), {})).toEqual({ actions: [], effects: [{ type: 'exit' }] });
  });

  it('a user who may read one namespace: another is out of the watch, except for kinds asked by name', () => {
    const line = (text: string) => ({ type: 'line', text }) as const;
    const configmaps = {
      group: '',
      version: 'v1',
      name: 'configmaps',
      kind: 'ConfigMap',
      namespaced: true,
      verbs: ['list', 'watch'],
      shortNames: ['cm'],
    };
    const snapshot = scenarioSnapshot({
      namespace: 'observability',
      namespaces: [],
      forbidden: ['namespaces'],
      apiResources: [configmaps],
    });
    const ports: CommandPorts = { resources: { table: vi.fn(), get: vi.fn() } };
    expect(runCommand(line('pods kube-system'), at({ snapshot }), ports)).toEqual(
      flash(
        'error',
        'Your user may not list pods in every namespace, so kcockpit watches "observability" only. Other kinds by name (:cm kube-system) ask the server.',
      ),
    );
    // Namespaces may not be listed: kcockpit cannot say kube-system does not exist; the server answers.
    expect(runCommand(line('cm kube-system'), at({ snapshot }), ports)).toEqual(
      acts(
        { type: 'namespace', namespace: 'kube-system' },
        { type: 'reset', entry: entry('resource', { resource: 'configmaps' }) },
      ),
    );
    expect(runCommand(line('pods observability'), at({ snapshot }), ports)).toEqual(
      acts({ type: 'namespace', namespace: 'observability' }, { type: 'reset', entry: entry('pods') }),
    );
  });

  it('switches context from :ctx and from the contexts view, through the action that does it', () => {
    const switchContext = vi.fn();
    const ports: CommandPorts = { actions: { switchContext } };
    expect(runCommand({ type: 'line', text: 'ctx kind-dev' }, at(), ports)).toEqual({
      actions: [],
      effects: [{ type: 'switchContext', name: 'kind-dev', switchContext }],
    });
    expect(runCommand({ type: 'line', text: 'ctx nope' }, at(), ports)).toEqual(
      flash('error', 'No context "nope" in the kubeconfig. :ctx lists them.'),
    );
    const current = { name: 'minikube', cluster: 'minikube', user: 'minikube' };
    expect(runCommand('drill', at({ view: 'contexts', selected: current }), ports)).toEqual(
      flash('info', 'Already on context minikube.'),
    );
    const other = { name: 'kind-dev', cluster: 'kind-dev', user: 'kind-dev' };
    expect(runCommand('drill', at({ view: 'contexts', selected: other }), {})).toEqual(
      flash('error', 'Switching context is not available in this build of kcockpit.'),
    );
  });
});

describe('runCommand: dialogs', () => {
  it('opens the fix dialog on the row\u2019s finding, or says why not', () => {
    const fixes = new FakeFixBackend();
    expect(runCommand('fix', at({ selected: corednsPod }), { fixes })).toEqual(
      flash('info', 'Nothing to fix here: kcockpit found no problem for this row.'),
    );
    expect(runCommand('fix', at({ finding: collectorFinding }), { fixes })).toEqual(
      flash(
        'info',
        `kcockpit has no fix plan for "${collectorFinding.title}". It follows from its cause (under "Why"): fix that one first.`,
      ),
    );
    expect(runCommand('fix', at({ finding: pullFinding }), {})).toEqual(
      flash('error', 'Fixing is not available in this build of kcockpit.'),
    );
    // Read-only mode still opens it: plans and previews are only reading.
    expect(runCommand('fix', at({ finding: esFinding, readonly: true }), { fixes }).effects).toEqual([
      { type: 'dialog', dialog: { kind: 'fix', finding: esFinding, backend: fixes, readonly: true } },
    ]);
  });

  it('opens the port-forward dialog on the row, in read-only mode too', () => {
    const forwards = new FakeForwards();
    const target = { kind: 'Pod', namespace: 'observability', name: operatorPod.metadata.name };
    expect(runCommand('portForward', at({ selected: operatorPod, readonly: true }), { forwards }).effects).toEqual([
      { type: 'dialog', dialog: { kind: 'portForward', target, backend: forwards } },
    ]);
    expect(runCommand('portForward', at({ selected: operatorPod }), {})).toEqual(
      flash('error', 'Port-forwarding is not available in this build of kcockpit.'),
    );
    expect(runCommand('portForward', at(), { forwards })).toEqual({ actions: [], effects: [] });
  });

  it('asks before deleting, and refuses under --readonly or without a delete action', () => {
    const del = vi.fn();
    const target = { kind: 'Pod', namespace: 'observability', name: operatorPod.metadata.name };
    expect(runCommand('delete', at({ selected: operatorPod }), { actions: { delete: del } }).effects).toEqual([
      { type: 'dialog', dialog: { kind: 'delete', target, delete: del } },
    ]);
    expect(runCommand('delete', at({ selected: operatorPod, readonly: true }), { actions: { delete: del } })).toEqual(
      flash('error', 'Read-only mode (--readonly): deleting is turned off.'),
    );
    expect(runCommand('delete', at({ selected: operatorPod }), {})).toEqual(
      flash('error', 'Deleting is not available in this build of kcockpit.'),
    );
    expect(del).not.toHaveBeenCalled();
  });

  it('asks before stopping a port-forward, which read-only mode allows', () => {
    const forward = forwardInfo(
      '1',
      {
        target: { kind: 'Service', namespace: 'observability', name: 'jaeger-query' },
        ports: [],
        address: '127.0.0.1',
      },
      'jaeger-query-5c9d8f7b6-qk4lm',
    );
    const forwards = new FakeForwards([forward]);
    const state = at({ view: 'portforwards', selected: forward, readonly: true });
    expect(runCommand('delete', state, { forwards }).effects).toEqual([
      { type: 'dialog', dialog: { kind: 'stopForward', forward, backend: forwards } },
    ]);
  });
});
