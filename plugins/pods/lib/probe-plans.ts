// Fix plans for a probe that cannot pass (a port the container does not declare, a path the
// app answers 404) or that kills an app before it has started: patches of the workload's pod
// template, each guarded by tests of what the snapshot showed.
import type { KubeObject, Pod, Probe } from '../../../src/model/k8s.js';
import type { Snapshot } from '../../../src/store/snapshot.js';
import type { FixPlan, JsonPatchOp } from '../../../src/diagnose/types.js';
import type { ContainerSite } from '../../../src/diagnose/pod-facts.js';
import { refOf } from '../../../src/diagnose/evidence.js';
import { patchableWorkload, templateContainer, templatePatchPlan } from '../../../src/diagnose/workload-plans.js';
import { probePort, type ProbeField, type ProbeMisfit } from './probes.js';

/** Point the probe at the port or path the did-you-mean names; undefined without a suggestion or a template to patch. */
export function fixProbePlan(
  snapshot: Snapshot,
  owner: KubeObject,
  site: ContainerSite,
  pods: readonly Pod[],
  field: ProbeField,
  misfit: ProbeMisfit,
): FixPlan | undefined {
  if (misfit.suggest === undefined) return undefined;
  const w = patchableWorkload(owner);
  const tc = w ? templateContainer(w, site.name, site.init) : undefined;
  const probe = tc?.container[field];
  if (!w || !tc || !probe) return undefined;
  const handler = probe.httpGet ? 'httpGet' : probe.tcpSocket ? 'tcpSocket' : undefined;
  if (!handler) return undefined;
  const c = site.name;
  const ref = refOf(w);
  const setting = misfit.kind === 'undeclared-port' ? 'port' : 'path';
  const now = misfit.kind === 'undeclared-port' ? probePort(probe) : probe.httpGet?.path;
  // The template must still say what the pods say, or the patch would fix something else.
  if (now === undefined || String(now) !== String(misfit.kind === 'undeclared-port' ? misfit.port : misfit.path))
    return undefined;
  const at = `${tc.pointer}/${field}/${handler}/${setting}`;
  const ops: JsonPatchOp[] = [
    tc.guard,
    { op: 'test', path: at, value: now },
    { op: 'replace', path: at, value: misfit.suggest },
  ];
  return templatePatchPlan(snapshot, owner, pods, {
    id: 'fix-probe-target',
    title: `Point the ${field} of ${c} at ${setting} ${String(misfit.suggest)} (now ${String(now)})`,
    explanation: `The probe ${misfit.kind === 'undeclared-port' ? 'dials a port nothing listens on' : 'asks for a path the app does not serve'}; ${String(misfit.suggest)} is what the container ${misfit.kind === 'undeclared-port' ? 'declares' : 'answers on another probe'}. Check it is the app's health endpoint before applying.`,
    change: {
      what: `Set ${field}.${handler}.${setting} of ${c} in ${ref.kind} ${ref.name} to ${String(misfit.suggest)} (now ${String(now)}).`,
      ops,
      helmHint: `the chart's ${field} value for ${c}, often ${field}.${handler}.${setting}`,
    },
  });
}

/** Kubernetes' advice for slow starters: a startup probe of 30 × 10 s holds the liveness probe off for up to 5 minutes. */
const STARTUP_PERIOD = 10;
const STARTUP_FAILURES = 30;

/** Add a startup probe with the liveness probe's check, so a slow start is not killed. */
export function startupProbePlan(
  snapshot: Snapshot,
  owner: KubeObject,
  site: ContainerSite,
  pods: readonly Pod[],
): FixPlan | undefined {
  const w = patchableWorkload(owner);
  const tc = w ? templateContainer(w, site.name, site.init) : undefined;
  const live = tc?.container.livenessProbe;
  if (!w || !tc || !live || tc.container.startupProbe) return undefined;
  const check: Probe = live.httpGet
    ? { httpGet: live.httpGet }
    : live.tcpSocket
      ? { tcpSocket: live.tcpSocket }
      : live.exec
        ? { exec: live.exec }
        : {};
  if (Object.keys(check).length === 0) return undefined;
  const probe = { ...check, periodSeconds: STARTUP_PERIOD, failureThreshold: STARTUP_FAILURES };
  const ref = refOf(w);
  const c = site.name;
  return templatePatchPlan(snapshot, owner, pods, {
    id: 'add-startup-probe',
    title: `Give ${c} up to ${(STARTUP_PERIOD * STARTUP_FAILURES) / 60} minutes to start (a startup probe)`,
    explanation:
      'Until a startup probe passes, Kubernetes does not run the liveness probe, so a slow start is not taken for a hang; once the app is up, the liveness probe works as before.',
    change: {
      what: `Add a startupProbe to ${c} in ${ref.kind} ${ref.name} with the liveness probe's check, every ${STARTUP_PERIOD}s, ${STARTUP_FAILURES} failures allowed.`,
      ops: [tc.guard, { op: 'add', path: `${tc.pointer}/startupProbe`, value: probe }],
      helmHint: `the chart's startupProbe value for ${c}`,
    },
  });
}
