// Fake fix runner and port-forward manager for the dialog tests: they behave as the real
// ones promise to (src/fixes/types.ts, src/portforward/types.ts) and record what they were
// asked. Used only by *.test.tsx files.
import type { Finding, FixPlan, ObjectRef } from '../../src/diagnose/types.js';
import type { FixOutcome, Prompter, StepPreview } from '../../src/fixes/types.js';
import type { ForwardInfo, ForwardRequest } from '../../src/portforward/types.js';
import type { AvailablePort, FixBackend, PortForwardBackend } from '../sources.js';
import { pullFinding } from './fixtures.js';

const pullPlan = pullFinding.fixes[0] as FixPlan;

/** S1.1's second way out: only words and commands, nothing kcockpit applies. */
export const mirrorPlan: FixPlan = {
  id: 'mirror-image',
  title: 'Copy the image into a registry you control',
  explanation:
    'Docker Hub limits pulls per IP address; a copy in your own registry has no such limit. Point the chart at the copy afterwards.',
  commands: [
    'docker pull jaegertracing/jaeger-operator:1.39.0',
    'docker tag jaegertracing/jaeger-operator:1.39.0 registry.example.com/jaegertracing/jaeger-operator:1.39.0',
    'docker push registry.example.com/jaegertracing/jaeger-operator:1.39.0',
  ],
  steps: [{ action: 'manual', description: 'Set image.repository in the jaeger-operator chart values to the copy' }],
  mutates: false,
};

/** The operator pod's finding with both plans: the pull secret first, the mirror second. */
export const pullFindingTwoPlans: Finding = { ...pullFinding, fixes: [pullPlan, mirrorPlan] };

export const pullSecretPreviews: StepPreview[] = [
  {
    step: pullPlan.steps[0]!,
    ref: { kind: 'Secret', namespace: 'observability', name: 'regcred' },
    command:
      'kubectl create secret docker-registry regcred --docker-server=https://index.docker.io/v1/ -n observability',
    diff: [
      '--- /dev/null',
      '+++ secret/regcred',
      '+apiVersion: v1',
      '+kind: Secret',
      '+metadata:',
      '+  name: regcred',
      '+  namespace: observability',
      '+type: kubernetes.io/dockerconfigjson',
      '+data:',
      "+  .dockerconfigjson: '*** (hidden)'",
    ].join('\n'),
  },
  {
    step: {
      action: 'json-patch',
      ref: { kind: 'ServiceAccount', namespace: 'observability', name: 'default' },
      patch: [{ op: 'add', path: '/imagePullSecrets', value: [{ name: 'regcred' }] }],
      description: 'add regcred to the default ServiceAccount',
    },
    ref: { kind: 'ServiceAccount', namespace: 'observability', name: 'default' },
    command:
      'kubectl patch serviceaccount default -n observability --type=json -p \'[{"op":"add","path":"/imagePullSecrets","value":[{"name":"regcred"}]}]\'',
    diff: [
      '--- serviceaccount/default',
      '+++ serviceaccount/default',
      '@@ -1,4 +1,6 @@',
      ' apiVersion: v1',
      ' kind: ServiceAccount',
      '-secrets: []',
      '+imagePullSecrets:',
      '+- name: regcred',
    ].join('\n'),
  },
];

export interface RunCall {
  plan: FixPlan;
  dryRun: boolean;
}

/**
 * A fix runner that runs the pull-secret plan as the real one does: a dry run, then it asks
 * for the registry username and token, then confirms, then applies and reports.
 */
export class FakeFixBackend implements FixBackend {
  readonly runs: RunCall[] = [];
  readonly previewed: string[] = [];
  /** What the runner received from the prompter, to check the secret got through intact. */
  readonly answers: { username?: string; token?: string; confirmed?: boolean } = {};
  previews: StepPreview[] = pullSecretPreviews;

  preview(plan: FixPlan): Promise<StepPreview[]> {
    this.previewed.push(plan.id);
    return Promise.resolve(this.previews);
  }

  async run(
    plan: FixPlan,
    options: { dryRun: boolean; prompter: Prompter; onProgress?: (line: string) => void },
  ): Promise<FixOutcome> {
    this.runs.push({ plan, dryRun: options.dryRun });
    const progress = options.onProgress ?? (() => undefined);
    const steps = pullSecretPreviews.map((p) => p.step);
    progress('server dry run: secret/regcred created (dry run), serviceaccount/default patched (dry run)');
    this.answers.username = await options.prompter.text('Docker Hub username:', 'jaeger-ops');
    this.answers.token = await options.prompter.secret('Docker Hub access token:');
    this.answers.confirmed = await options.prompter.confirm(
      'Create secret regcred and add it to serviceaccount default in observability?',
    );
    if (!this.answers.confirmed) {
      return {
        plan,
        applied: false,
        results: steps.map((step) => ({ step, status: 'skipped', message: 'not applied: you answered no' })),
        summary: 'nothing changed: you answered no',
      };
    }
    progress('secret/regcred created');
    progress('serviceaccount/default patched');
    return {
      plan,
      applied: true,
      results: steps.map((step) => ({ step, status: 'applied', message: 'done' })),
      summary: 'applied 2 of 2 steps; pod jaeger-op-jaeger-operator-7d7b58d48b-89p9p recreated',
    };
  }
}

export const jaegerQueryPorts: AvailablePort[] = [
  { name: 'query', port: 16686, protocol: 'TCP' },
  { name: 'admin', port: 16687, protocol: 'TCP' },
];

/** The port-forward manager's error when a local port is taken (see PortForwardBackend). */
export class LocalPortBusy extends Error {
  constructor(
    readonly localPort: number,
    readonly freePort: number,
  ) {
    super(`listen EADDRINUSE: address already in use 127.0.0.1:${localPort}`);
  }
}

export function forwardInfo(id: string, req: ForwardRequest, pod: string): ForwardInfo {
  const kind = req.target.kind === 'Service' ? 'svc' : req.target.kind === 'Deployment' ? 'deploy' : 'pod';
  return {
    id,
    namespace: req.target.namespace ?? 'default',
    target: `${kind}/${req.target.name}`,
    pod,
    address: req.address,
    ports: req.ports,
    state: 'active',
    connections: 0,
    bytesIn: 0,
    bytesOut: 0,
  };
}

export class FakeForwards implements PortForwardBackend {
  readonly started: ForwardRequest[] = [];
  readonly stopped: string[] = [];
  readonly asked: ObjectRef[] = [];
  /** Local ports another program holds: start() fails on them, proposing the next free one. */
  busy = new Set<number>();
  ports: AvailablePort[] = jaegerQueryPorts;
  private readonly listeners = new Set<() => void>();

  constructor(private forwards: ForwardInfo[] = []) {}

  list(): readonly ForwardInfo[] {
    return this.forwards;
  }

  subscribe(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  availablePorts(target: ObjectRef): Promise<AvailablePort[]> {
    this.asked.push(target);
    return Promise.resolve(this.ports);
  }

  start(req: ForwardRequest): Promise<ForwardInfo> {
    this.started.push(req);
    const taken = req.ports.find((p) => this.busy.has(p.local));
    if (taken) {
      let free = taken.local + 1;
      while (this.busy.has(free)) free++;
      return Promise.reject(new LocalPortBusy(taken.local, free));
    }
    const info = forwardInfo(
      String(this.forwards.length + 1),
      req,
      req.target.kind === 'Pod' ? req.target.name : 'jaeger-query-5c9d8f7b6-qk4lm',
    );
    this.set([...this.forwards, info]);
    return Promise.resolve(info);
  }

  stop(id: string): void {
    this.stopped.push(id);
    this.set(this.forwards.filter((f) => f.id !== id));
  }

  exposesNetwork(address: string): boolean {
    return !['127.0.0.1', 'localhost', '::1'].includes(address);
  }

  /** Replace the list and tell subscribers, as the manager does on every change. */
  set(forwards: ForwardInfo[]): void {
    this.forwards = forwards;
    for (const l of this.listeners) l();
  }
}
