// pods/crashloop, plans: raise the memory limit, give a probe more time, fix the dependency
// first, or read the crash's own log — whichever the cause calls for.
import type { KubeObject, PersistentVolumeClaim, Pod, StorageClass } from '../../../src/model/k8s.js';
import type { Snapshot } from '../../../src/store/snapshot.js';
import type { FixPlan, JsonPatchOp, RuleContext } from '../../../src/diagnose/types.js';
import type { ContainerGroup } from '../../../src/diagnose/container-rule.js';
import { kubectlName, refOf } from '../../../src/diagnose/evidence.js';
import { manualPlan, nsFlag } from '../../../src/diagnose/plans.js';
import {
  patchableWorkload,
  templateContainer,
  templatePatchPlan,
  type TemplateChange,
} from '../../../src/diagnose/workload-plans.js';
import { exitCodeMeaning } from '../lib/exit-codes.js';
import { doubledSize } from '../lib/sizes.js';
import { findValues } from '../lib/helm-values.js';
import { declaresPort, probeFailureKind, probePort, probeTimings, type ProbeFailure } from '../lib/probes.js';
import { fixProbePlan, startupProbePlan } from '../lib/probe-plans.js';
import {
  dependencyTarget,
  diskPlace,
  doubledMemory,
  isHealthy,
  latestProbeFailure,
  portMismatch,
  probeOf,
  type CrashAnalysis,
} from './classify.js';

function logsCommand(a: CrashAnalysis): string {
  return `kubectl logs ${a.pod.metadata.name} -c ${a.site.name}${nsFlag(a.pod.metadata.namespace)} --previous`;
}

function memoryLimitOp(pointer: string, resources: unknown, value: string): JsonPatchOp {
  const res = resources && typeof resources === 'object' ? (resources as { limits?: unknown }) : undefined;
  if (res?.limits && typeof res.limits === 'object')
    return { op: 'add', path: `${pointer}/resources/limits/memory`, value };
  if (res) return { op: 'add', path: `${pointer}/resources/limits`, value: { memory: value } };
  return { op: 'add', path: `${pointer}/resources`, value: { limits: { memory: value } } };
}

function raiseLimitPlan(
  snapshot: Snapshot,
  owner: KubeObject,
  a: CrashAnalysis,
  pods: readonly Pod[],
  limit: string,
  newLimit: string,
): FixPlan | undefined {
  const c = a.site.name;
  const w = patchableWorkload(owner);
  const tc = w ? templateContainer(w, c, a.site.init) : undefined;
  if (!w || !tc) return undefined;
  const ref = refOf(w);
  const release = snapshot.helmReleaseOf(w);
  const hit = release ? findValues(release.values, (k, v) => k === 'memory' && v === limit)[0] : undefined;
  const change: TemplateChange = {
    what: `Raise the memory limit of ${c} in ${ref.kind} ${ref.name} from ${limit} to ${newLimit}.`,
    ops: [tc.guard, memoryLimitOp(tc.pointer, tc.container.resources, newLimit)],
    helmHint: hit ? `${hit.path}: ${newLimit}` : `the chart's resources value for ${c}, often resources.limits.memory`,
  };
  // `kubectl set resources` reaches only regular containers; init containers get the patch itself.
  if (!a.site.init)
    change.command = `kubectl set resources ${kubectlName(ref)} -c ${c} --limits=memory=${newLimit}${nsFlag(ref.namespace)}`;
  if (hit) change.helmSet = `${hit.path}=${newLimit}`;
  return templatePatchPlan(snapshot, owner, pods, {
    id: 'raise-memory-limit',
    title: `Raise ${c}'s memory limit from ${limit} to ${newLimit}`,
    explanation:
      'Doubling is a first step, not a measurement: check the real use afterwards with kubectl top pod, and look for a leak if it keeps climbing.',
    change: change,
  });
}

function oomPlans(snapshot: Snapshot, owner: KubeObject, a: CrashAnalysis, pods: readonly Pod[]): FixPlan[] {
  const c = a.site.name;
  const limit = a.site.spec?.resources?.limits?.memory;
  const node = a.pod.spec?.nodeName;
  if (!limit)
    return [
      manualPlan({
        id: 'set-memory-request',
        title: `Give ${c} a memory request and limit that match its use`,
        explanation:
          'Without a request the scheduler does not reserve memory for the container, so it lands on nodes that cannot hold it.',
        commands: [
          `kubectl top pod ${a.pod.metadata.name}${nsFlag(a.pod.metadata.namespace)} --containers`,
          ...(node ? [`kubectl describe node ${node}`] : []),
        ],
        instructions: `Measure ${c}'s memory use, then set resources.requests.memory (and a limit) on the workload.`,
      }),
    ];
  const doubled = doubledMemory(limit);
  const newLimit = doubled ?? '<new-limit>';
  const plan = doubled ? raiseLimitPlan(snapshot, owner, a, pods, limit, doubled) : undefined;
  if (plan) return [plan];
  const w = patchableWorkload(owner);
  return [
    manualPlan({
      id: 'raise-memory-limit',
      title: `Raise ${c}'s memory limit from ${limit}`,
      explanation: w
        ? 'kcockpit cannot patch this safely (the container is not in the pod template as expected, or the limit is not a plain quantity), so the change is left to you.'
        : 'This pod has no workload whose template kcockpit could change: recreate it from its manifest with a higher limit.',
      commands: w
        ? [
            `kubectl set resources ${kubectlName(refOf(w))} -c ${c} --limits=memory=${newLimit}${nsFlag(w.metadata.namespace)}`,
          ]
        : [],
      instructions: `Set resources.limits.memory of ${c} to ${newLimit === '<new-limit>' ? 'a higher value' : `${newLimit} or more`}.`,
    }),
  ];
}

function livenessPlans(snapshot: Snapshot, owner: KubeObject, a: CrashAnalysis, pods: readonly Pod[]): FixPlan[] {
  const c = a.site.name;
  const probe = probeOf(a);
  const failure: ProbeFailure = probeFailureKind(latestProbeFailure(a));
  const field = `${a.probeKind}Probe` as const;
  const inspect = manualPlan({
    id: 'check-health-endpoint',
    title: `Find out why ${c} fails its ${a.probeKind} probe`,
    explanation: 'The probe reflects what the app says about itself; its logs say why it is unhealthy.',
    commands: [logsCommand(a), `kubectl describe pod ${a.pod.metadata.name}${nsFlag(a.pod.metadata.namespace)}`],
    instructions: `Read ${c}'s logs from before the restart and fix what makes the probe fail.`,
  });
  if (a.misfit) {
    const fix = fixProbePlan(snapshot, owner, a.site, pods, field, a.misfit);
    return fix ? [fix, inspect] : [inspect];
  }
  const startup = a.killedWhileStarting !== undefined ? startupProbePlan(snapshot, owner, a.site, pods) : undefined;
  if (startup) return [startup, inspect];
  const portMismatch = failure === 'refused' && probe && declaresPort(a.site.spec?.ports, probePort(probe)) === false;
  const w = patchableWorkload(owner);
  const tc = w ? templateContainer(w, c, a.site.init) : undefined;
  const tplProbe = tc?.container[field];
  if (failure === 'status' || portMismatch || !tc || !tplProbe) return [inspect];
  const t = probeTimings(tplProbe);
  // A timeout needs a longer timeout; otherwise allow twice as many failures before a kill.
  const [setting, value] =
    failure === 'timeout' && a.probeKind === 'liveness'
      ? (['timeoutSeconds', Math.max(5, t.timeoutSeconds * 2)] as const)
      : (['failureThreshold', t.failureThreshold * 2] as const);
  const ref = refOf(w!);
  const release = snapshot.helmReleaseOf(w!);
  const hit = release
    ? findValues(release.values, (k, v) => k === field && typeof v === 'object' && v !== null)[0]
    : undefined;
  const change: TemplateChange = {
    what: `Set ${field}.${setting} of ${c} in ${ref.kind} ${ref.name} to ${value} (now ${t[setting]}).`,
    ops: [tc.guard, { op: 'add', path: `${tc.pointer}/${field}/${setting}`, value }],
    helmHint: hit
      ? `${hit.path}.${setting}: ${value}`
      : `the chart's ${field} value for ${c}, often ${field}.${setting}`,
  };
  if (hit) change.helmSet = `${hit.path}.${setting}=${value}`;
  const relax = templatePatchPlan(snapshot, owner, pods, {
    id: 'relax-probe',
    title: `Give the ${a.probeKind} probe of ${c} more time (${setting} ${t[setting]} → ${value})`,
    explanation: `This helps when ${c} is healthy but slow to answer; if it is really stuck, the probe is right to restart it and the cause is in its logs.`,
    change: change,
  });
  return relax ? [relax, inspect] : [inspect];
}

function diskPlans(snapshot: Snapshot, a: CrashAnalysis): FixPlan[] {
  const place = diskPlace(a);
  const c = a.site.name;
  const ns = a.pod.metadata.namespace;
  if (place.claim) {
    const pvc = snapshot.get<PersistentVolumeClaim>('PersistentVolumeClaim', ns, place.claim);
    const size = pvc?.status?.capacity?.storage ?? pvc?.spec?.resources?.requests?.storage;
    const bigger = size ? doubledSize(size) : undefined;
    const className = pvc?.spec?.storageClassName;
    const sc = className ? snapshot.get<StorageClass>('StorageClass', undefined, className) : undefined;
    const expands = sc ? sc.allowVolumeExpansion === true : undefined;
    return [
      manualPlan({
        id: 'expand-volume',
        title: `Make room on PVC ${place.claim}${size ? ` (${size} now)` : ''}`,
        explanation:
          expands === false
            ? `StorageClass ${className} does not allow volume expansion, so the claim cannot grow in place: free space on it, or copy the data to a larger claim.`
            : `Expanding the claim grows the volume in place${expands ? ` (StorageClass ${className} allows it)` : ' when its StorageClass allows volume expansion'}; freeing space (old data, logs) is the other way.`,
        commands: [
          ...(expands === false
            ? []
            : [
                `kubectl patch pvc ${place.claim}${nsFlag(ns)} -p '${JSON.stringify({ spec: { resources: { requests: { storage: bigger ?? '<size>' } } } })}'`,
              ]),
          `kubectl get pvc ${place.claim}${nsFlag(ns)}`,
        ],
        instructions: `Free space on PVC ${place.claim} or give it more (${bigger ?? 'a larger size'}); ${c} starts again at its next restart.`,
      }),
    ];
  }
  return [
    manualPlan({
      id: 'free-disk-space',
      title: place.volume ? `Give volume ${place.volume} of ${c} more room` : `Find what fills ${c}'s disk`,
      explanation: place.emptyDir
        ? "An emptyDir lives on the node's disk (or in memory) and is bounded by its sizeLimit: raise the limit or write less there."
        : "The container's own filesystem shares the node's disk: data that grows belongs on a volume.",
      commands: [
        `kubectl describe node ${a.pod.spec?.nodeName ?? '<node>'}`,
        `kubectl logs ${a.pod.metadata.name} -c ${c}${nsFlag(ns)} --previous`,
      ],
      instructions: place.emptyDir
        ? `Raise the sizeLimit of emptyDir ${place.volume} (or write less to ${place.mountPath}), or move the data to a PersistentVolumeClaim.`
        : `Mount a volume (a PersistentVolumeClaim) where ${c} writes${place.path ? ` (${place.path})` : ''}, and check the node's free disk.`,
    }),
  ];
}

function dependencyPlan(a: CrashAnalysis): FixPlan {
  const d = a.dependency!;
  const c = a.site.name;
  const svc = d.service;
  if (svc && isHealthy(d)) {
    const served = portMismatch(d);
    return manualPlan({
      id: 'check-dependency-address',
      title: `Check how ${c} connects to ${svc.metadata.name}`,
      explanation: `Service ${svc.metadata.name} has ready pods, so ${c}'s own settings are the likely cause.`,
      commands: [`kubectl get service ${svc.metadata.name}${nsFlag(svc.metadata.namespace)}`, logsCommand(a)],
      instructions: served
        ? `Set the port ${c} uses for ${svc.metadata.name} to ${served.join(' or ')} (it uses ${d.hint.port}).`
        : `Check the address, port and credentials ${c} uses for ${svc.metadata.name}.`,
    });
  }
  if (svc) {
    const ns = svc.metadata.namespace;
    const selector = Object.entries(svc.spec?.selector ?? {})
      .map(([k, v]) => `${k}=${v}`)
      .join(',');
    const watch = selector
      ? `kubectl get pods${nsFlag(ns)} -l ${selector} -w`
      : `kubectl get endpointslices${nsFlag(ns)} -l kubernetes.io/service-name=${svc.metadata.name} -w`;
    return manualPlan({
      id: 'fix-dependency-first',
      title: `Fix ${svc.metadata.name} first; ${c} recovers by itself`,
      explanation: `${c} only crashes because ${svc.metadata.name} does not answer. Once its pods are ready, ${c} starts at its next restart; restarting ${c} before that changes nothing.`,
      commands: [watch],
      instructions: `Fix Service ${svc.metadata.name} (see the finding about its pods), then wait for ${c} to start.`,
    });
  }
  return manualPlan({
    id: 'fix-dependency-first',
    title: `Make ${dependencyTarget(d)} reachable; ${c} recovers by itself`,
    explanation: `${c} starts at its next restart once what it connects to answers.`,
    commands: [`kubectl get services${nsFlag(a.pod.metadata.namespace)}`],
    instructions: d.didYouMean
      ? `Correct the address in ${c}'s configuration${d.config ? ` (${d.config.path})` : ''}: did you mean Service ${d.didYouMean}? Otherwise install what ${c} connects to (${dependencyTarget(d)}).`
      : `Install or start what ${c} connects to (${dependencyTarget(d)}), or correct the address in its configuration.`,
  });
}

export function crashPlans(group: ContainerGroup<CrashAnalysis>, ctx: RuleContext): FixPlan[] {
  const { snapshot } = ctx;
  const { owner, lead: a, pods } = group;
  switch (a.variant) {
    case 'oom':
      return oomPlans(snapshot, owner, a, pods);
    case 'liveness':
      return livenessPlans(snapshot, owner, a, pods);
    case 'dependency':
      return [dependencyPlan(a)];
    case 'disk-full':
      return diskPlans(snapshot, a);
    case 'exit-code': {
      const code = a.terminated!.exitCode;
      const fixWhat =
        code === 0
          ? `Make ${a.site.name}'s main command stay in the foreground, or run one-off work as a Job.`
          : [126, 127, 128].includes(code)
            ? `Correct the command/args of ${a.site.name}, or use an image that contains the program.`
            : `Fix what the last log lines of ${a.site.name} report (configuration, a missing setting or file), then let it restart.`;
      return [
        manualPlan({
          id: 'fix-crash-cause',
          title: `Fix why ${a.site.name} exits (${exitCodeMeaning(code).short})`,
          explanation: `The log of the crashed run says why it stopped; restarting alone does not help.`,
          commands: [logsCommand(a)],
          instructions: fixWhat,
        }),
      ];
    }
    case 'unknown':
      return [
        manualPlan({
          id: 'inspect-crash',
          title: `Find out why ${a.site.name} crashes`,
          explanation: "The previous container's log and the pod's events say why it stopped.",
          commands: [logsCommand(a), `kubectl describe pod ${a.pod.metadata.name}${nsFlag(a.pod.metadata.namespace)}`],
          instructions: `Read the log of ${a.site.name}'s last run and fix what it reports.`,
        }),
      ];
  }
}
