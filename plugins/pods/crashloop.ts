// pods/crashloop: containers that keep crashing (CrashLoopBackOff), or keep restarting while
// running. Tells apart the memory limit (OOMKilled), a liveness probe that kills the
// container, a dependency the container cannot reach (a symptom: the finding hangs under the
// dependency's own finding), and plain exit codes.
import type { ContainerStateTerminated, KubeEvent, KubeObject, Pod, Probe, Service } from '../../src/model/k8s.js';
import type { Snapshot } from '../../src/store/snapshot.js';
import type {
  Evidence,
  FixPlan,
  FixStep,
  JsonPatchOp,
  ObjectRef,
  RawFinding,
  Rule,
  Severity,
} from '../../src/diagnose/types.js';
import {
  fieldEvidence,
  findingId,
  kubectlName,
  nsFlag,
  refKey,
  refOf,
  subjectOf,
} from '../../src/diagnose/evidence.js';
import { parseQuantity, toQuantity } from '../../src/diagnose/quantity.js';
import { findValues } from './lib/helm-values.js';
import {
  dependencyHints,
  logExcerpt,
  redactLogLine,
  serviceForHost,
  type DependencyHint,
} from './lib/log-dependencies.js';
import {
  byName,
  clip,
  containerSites,
  eventsEvidence,
  findingObjects,
  isPodReady,
  isTerminating,
  podEvents,
  podRef,
  podsPhrase,
  subjectRef,
  waitingEvidence,
  type ContainerSite,
} from './lib/pod-facts.js';
import {
  declaresPort,
  describeProbe,
  probeFailureKind,
  probePort,
  probeTimings,
  type ProbeFailure,
} from './lib/probes.js';
import {
  helmUpgradeCommand,
  jsonPatchCommand,
  patchableWorkload,
  recreatePods,
  rollsPodsOnTemplateChange,
  templateContainer,
} from './lib/workload.js';

export const RULE_ID = 'pods/crashloop';

export type CrashVariant = 'oom' | 'liveness' | 'dependency' | 'exit-code' | 'unknown';

/** A running container that restarted this often within the window is flapping, not healthy. */
const FLAPPING_RESTARTS = 3;
const FLAPPING_WINDOW_MS = 60 * 60 * 1000;
const LOG_EVIDENCE_LINES = 5;

interface Dependency {
  hint: DependencyHint;
  service: Service | undefined;
  /** Pods the Service selects and how many are ready. */
  total: number;
  ready: number;
  /** The workloads behind the Service. */
  owners: KubeObject[];
}

interface CrashAnalysis {
  pod: Pod;
  site: ContainerSite;
  variant: CrashVariant;
  /** Waiting in CrashLoopBackOff now (rather than running after recent restarts). */
  looping: boolean;
  terminated: ContainerStateTerminated | undefined;
  terminatedPath: string | undefined;
  logLines: string[];
  logPrevious: boolean;
  probeEvents: KubeEvent[];
  probeKind: 'liveness' | 'startup';
  otherEvents: KubeEvent[];
  dependency: Dependency | undefined;
}

function crashState(site: ContainerSite, now: number): 'looping' | 'flapping' | undefined {
  const st = site.status;
  if (st.state?.waiting?.reason === 'CrashLoopBackOff') return 'looping';
  const last = st.lastState?.terminated;
  if (!st.state?.running || !last || !(st.restartCount >= FLAPPING_RESTARTS)) return undefined;
  const finished = Date.parse(last.finishedAt ?? '');
  return Number.isFinite(finished) && now - finished <= FLAPPING_WINDOW_MS ? 'flapping' : undefined;
}

const PROBE_UNHEALTHY = /^(Liveness|Startup) probe failed/;
const PROBE_KILLING = /failed (liveness|startup) probe/;

/** Probe kills that happened during the last run (older ones belong to an earlier story). */
function probeKillEvents(events: readonly KubeEvent[], terminated: ContainerStateTerminated | undefined): KubeEvent[] {
  const started = Date.parse(terminated?.startedAt ?? '');
  const relevant = events.filter(
    (e) =>
      (e.reason === 'Unhealthy' && PROBE_UNHEALTHY.test(e.message ?? '')) ||
      (e.reason === 'Killing' && PROBE_KILLING.test(e.message ?? '')),
  );
  const killedInLastRun = relevant.some((e) => {
    if (e.reason !== 'Killing') return false;
    const at = Date.parse(e.lastTimestamp ?? e.eventTime ?? '');
    return !Number.isFinite(started) || !Number.isFinite(at) || at >= started;
  });
  return killedInLastRun ? relevant : [];
}

function findDependency(snapshot: Snapshot, pod: Pod, lines: readonly string[]): Dependency | undefined {
  const hints = dependencyHints(lines);
  if (hints.length === 0) return undefined;
  const ns = pod.metadata.namespace ?? '';
  for (const hint of hints) {
    const service = serviceForHost(snapshot, ns, hint.host);
    if (!service) continue;
    const pods = snapshot.podsForService(service);
    const owners = new Map<string, KubeObject>();
    for (const p of pods) {
      const top = snapshot.topOwner(p);
      if (top !== p) owners.set(refKey(refOf(top)), top);
    }
    return { hint, service, total: pods.length, ready: pods.filter(isPodReady).length, owners: [...owners.values()] };
  }
  return { hint: hints[0]!, service: undefined, total: 0, ready: 0, owners: [] };
}

function analyse(snapshot: Snapshot, pod: Pod, site: ContainerSite, looping: boolean): CrashAnalysis {
  const ns = pod.metadata.namespace;
  const st = site.status;
  const terminated = st.lastState?.terminated ?? st.state?.terminated;
  const terminatedPath = st.lastState?.terminated
    ? `${site.statusPath}.lastState.terminated`
    : st.state?.terminated
      ? `${site.statusPath}.state.terminated`
      : undefined;
  const previous = snapshot.logTail(ns, pod.metadata.name, site.name, true);
  const log = previous ?? (looping ? undefined : snapshot.logTail(ns, pod.metadata.name, site.name, false));
  const logLines = Array.isArray(log?.lines) ? log.lines.filter((l): l is string => typeof l === 'string') : [];
  const events = podEvents(snapshot, pod, site);
  const probeEvents = probeKillEvents(events, terminated);
  const dependency = findDependency(snapshot, pod, logLines);
  let variant: CrashVariant;
  if (terminated?.reason === 'OOMKilled') variant = 'oom';
  else if (dependency) variant = 'dependency';
  else if (probeEvents.length > 0) variant = 'liveness';
  else if (terminated && typeof terminated.exitCode === 'number') variant = 'exit-code';
  else variant = 'unknown';
  return {
    pod,
    site,
    variant,
    looping,
    terminated,
    terminatedPath,
    logLines,
    logPrevious: !!previous,
    probeEvents,
    probeKind: probeEvents.some((e) => /startup/i.test(e.message ?? '')) ? 'startup' : 'liveness',
    otherEvents: events.filter((e) => e.type === 'Warning' && !probeEvents.includes(e)),
    dependency,
  };
}

// ---------------------------------------------------------------------------------------
// Words

interface ExitMeaning {
  short: string;
  long: string;
}

export function exitCodeMeaning(code: number): ExitMeaning {
  switch (code) {
    case 0:
      return {
        short: 'exits successfully but must keep running',
        long: 'the program finished successfully, but a container of a Deployment, StatefulSet or DaemonSet is expected to keep running, so Kubernetes starts it again. Its main command must stay in the foreground (a server, not a one-off script); one-off work belongs in a Job',
      };
    case 1:
      return {
        short: 'application error',
        long: 'the program stopped itself with a general error — usually bad configuration, a missing file or setting, or an error it could not handle; its last log lines say which',
      };
    case 2:
      return {
        short: 'usage error',
        long: 'usually a usage error: a wrong flag or argument in the command or args, or a shell script error',
      };
    case 126:
      return {
        short: 'command not executable',
        long: 'the command was found but could not be run: the file is not executable (permissions) or is not a program for this system',
      };
    case 127:
      return {
        short: 'command not found',
        long: 'command not found: the command (or the first word of a shell command) is not in the image — a typo in command/args, or the wrong image',
      };
    case 128:
      return {
        short: 'could not start',
        long: 'the container runtime could not start the command (for example "executable file not found in $PATH")',
      };
    case 134:
      return {
        short: 'aborted',
        long: 'the program aborted itself (SIGABRT), typically on a failed assertion or a fatal runtime error',
      };
    case 137:
      return {
        short: 'killed (SIGKILL)',
        long: 'the process was killed from outside with SIGKILL, but not for memory (that would say OOMKilled): usually a failed liveness probe, or a stop that took longer than the grace period',
      };
    case 139:
      return {
        short: 'segmentation fault',
        long: 'a segmentation fault (SIGSEGV): the program crashed on an invalid memory access — a bug in it or in a native library, or a binary built for another CPU or C library',
      };
    case 143:
      return {
        short: 'terminated (SIGTERM)',
        long: 'the process was asked to stop (SIGTERM) and did: something stopped it, such as a liveness probe, a pod deletion or a node drain',
      };
    default:
      if (code > 128 && code < 160)
        return { short: `killed by signal ${code - 128}`, long: `the process was killed by signal ${code - 128}` };
      return {
        short: `exit code ${code}`,
        long: `the program's own error code ${code}; its documentation or its log lines say what it means`,
      };
  }
}

function probeOf(a: CrashAnalysis): Probe | undefined {
  return a.probeKind === 'startup' ? a.site.spec?.startupProbe : a.site.spec?.livenessProbe;
}

function latestProbeFailure(a: CrashAnalysis): string {
  const unhealthy = a.probeEvents.filter((e) => e.reason === 'Unhealthy');
  return unhealthy[unhealthy.length - 1]?.message ?? '';
}

function dependencyTarget(d: Dependency): string {
  return `${d.hint.host}${d.hint.port !== undefined ? `:${d.hint.port}` : ''}`;
}

function titleOf(a: CrashAnalysis): string {
  const c = a.site.name;
  const verb = a.looping ? 'keeps crashing' : 'keeps restarting';
  switch (a.variant) {
    case 'oom': {
      const limit = a.site.spec?.resources?.limits?.memory;
      return limit
        ? `${c} ${verb}: killed for using more than its ${limit} memory limit (OOMKilled)`
        : `${c} ${verb}: killed for lack of memory (OOMKilled, no memory limit set)`;
    }
    case 'liveness':
      return `${c} ${verb}: its ${a.probeKind} probe fails and Kubernetes restarts it`;
    case 'dependency':
      return `${c} ${verb}: it cannot reach ${dependencyTarget(a.dependency!)}`;
    case 'exit-code': {
      const code = a.terminated!.exitCode;
      return `${c} ${verb}: exit code ${code} (${exitCodeMeaning(code).short})`;
    }
    case 'unknown':
      return `${c} ${verb} (CrashLoopBackOff)`;
  }
}

function intro(a: CrashAnalysis, pods: readonly Pod[]): string {
  const restarts = a.site.status.restartCount;
  const where = `Container ${a.site.name} (${podsPhrase(pods)})`;
  if (a.looping)
    return `${where} keeps crashing: it stopped, Kubernetes restarted it, and it stopped again — ${restarts} restarts so far. CrashLoopBackOff means Kubernetes now waits longer before each restart (up to 5 minutes), so the app is down most of the time.`;
  return `${where} is running now but has restarted ${restarts} times, the last time at ${a.terminated?.finishedAt ?? 'an unknown time'}.`;
}

function quoteLine(line: string): string {
  return `"${clip(redactLogLine(logExcerpt(line)), 300)}"`;
}

/** Ports the Service serves, when the log names a port it does not serve. */
function portMismatch(d: Dependency): number[] | undefined {
  const ports = (d.service?.spec?.ports ?? []).map((p) => p?.port).filter((p): p is number => typeof p === 'number');
  // A cluster-IP hint is the address the name resolved to; its port is the one dialled.
  return d.hint.port !== undefined && ports.length > 0 && !ports.includes(d.hint.port) ? ports : undefined;
}

function isHealthy(d: Dependency): boolean {
  return d.total > 0 && d.ready === d.total;
}

function dependencyText(snapshot: Snapshot, a: CrashAnalysis): string {
  const d = a.dependency!;
  const c = a.site.name;
  const said = `Its last log lines show it cannot reach ${dependencyTarget(d)}: ${quoteLine(d.hint.line)}.`;
  if (d.service) {
    const svc = d.service.metadata.name;
    const svcNs = d.service.metadata.namespace ?? '';
    const served = portMismatch(d);
    const port = served
      ? ` ${c} connects to port ${d.hint.port}, but Service ${svc} serves ${served.join(', ')}: correct the port in ${c}'s configuration.`
      : '';
    if (isHealthy(d))
      return `${said} That is Service ${svc} in namespace ${svcNs}, ${d.total === 1 ? 'whose only pod is' : `whose ${d.total} pods are all`} ready now, so the problem is not (or no longer) on its side.${port || ` If the crashes go on, check the address, port and credentials ${c} uses.`}`;
    const state =
      d.total === 0
        ? 'which selects no running pods (nothing serves it)'
        : `which has ${d.ready} of ${d.total} pods ready`;
    return `${said} That is Service ${svc} in namespace ${svcNs}, ${state}. ${c} crashes because something it needs is not ready: a symptom, not the cause. Fix ${svc} first; ${c} then starts by itself at its next restart (CrashLoopBackOff waits up to 5 minutes; deleting the pod retries at once).${port}`;
  }
  const ns = a.pod.metadata.namespace ?? '';
  if (/^\d/.test(d.hint.host) || d.hint.host.split('.').length > 2)
    return `${said} ${d.hint.host} is not a Service kcockpit can see in the cluster: check that it is up and reachable from the pods, and that the address in ${c}'s configuration is right.`;
  const name = d.hint.host.split('.')[0]!;
  const svcNs = d.hint.host.split('.')[1] ?? ns;
  return `${said} There is no Service named ${name} in namespace ${svcNs}${snapshot.forbidden.has('services') ? ' that kcockpit may read' : ''}: install what ${c} needs, or correct the address in its configuration.`;
}

function livenessText(a: CrashAnalysis): string {
  const probe = probeOf(a);
  const failure = latestProbeFailure(a);
  const t = probe ? probeTimings(probe) : undefined;
  const parts = [
    `Kubernetes restarted it because its ${a.probeKind} probe failed${failure ? `: ${quoteLine(failure)}` : ''}.`,
    a.probeKind === 'startup'
      ? `A startup probe gives the app ${t ? `${t.failureThreshold} × ${t.periodSeconds}s` : 'a fixed time'} to start; if it has not answered by then, Kubernetes kills and restarts it.`
      : `A liveness probe is Kubernetes asking the app "are you alive?"${t ? ` every ${t.periodSeconds}s, allowing ${t.timeoutSeconds}s for an answer; after ${t.failureThreshold} failures in a row` : '; after a few failures in a row'} it kills and restarts the container — even a healthy app that is just slow (starting up, busy, or waiting on something).`,
  ];
  switch (probeFailureKind(failure)) {
    case 'timeout':
      parts.push(`The check timed out: the app answered too slowly. Give it more time.`);
      break;
    case 'refused': {
      const port = probe ? probePort(probe) : undefined;
      if (declaresPort(a.site.spec?.ports, port) === false)
        parts.push(
          `Nothing answered on port ${String(port)}, which the container does not declare (it declares ${(a.site.spec?.ports ?? []).map((p) => p.containerPort).join(', ')}): check the probe's port.`,
        );
      else
        parts.push(
          `Nothing answered on the probed port: the app was not listening yet (a slow start — a startupProbe or a longer initialDelaySeconds helps), or it listens elsewhere.`,
        );
      break;
    }
    case 'status':
      parts.push(
        `The app answered with an error status: it reports itself unhealthy, and its logs say why. Relaxing the probe would only hide that.`,
      );
      break;
    case 'other':
      break;
  }
  return parts.join(' ');
}

function explanationOf(snapshot: Snapshot, a: CrashAnalysis, pods: readonly Pod[]): string {
  const parts = [intro(a, pods)];
  switch (a.variant) {
    case 'oom': {
      const limit = a.site.spec?.resources?.limits?.memory;
      const next = limit ? doubledMemory(limit) : undefined;
      parts.push(
        limit
          ? `The last run was killed with OOMKilled (exit code ${a.terminated?.exitCode ?? 137}): it used more memory than its limit of ${limit}, so the kernel killed it. Either the limit is too low for what the app needs, or the app leaks memory. Raise the limit${next ? ` (the fix doubles it to ${next})` : ''} and watch the real use with kubectl top pod; if use keeps growing until the kill, look for a leak.`
          : `The last run was killed with OOMKilled (exit code ${a.terminated?.exitCode ?? 137}) although the container has no memory limit: the node ran low on memory and the kernel killed it. Give it a memory request that matches its real use, so the scheduler places it where the memory is, and a limit.`,
      );
      break;
    }
    case 'liveness':
      parts.push(livenessText(a));
      break;
    case 'dependency':
      parts.push(dependencyText(snapshot, a));
      break;
    case 'exit-code': {
      const code = a.terminated!.exitCode;
      const logs =
        a.logLines.length > 0
          ? ' Its last log lines are in the evidence.'
          : ' No log lines were fetched; kubectl logs --previous shows them.';
      parts.push(
        `The last run ended with exit code ${code}: ${exitCodeMeaning(code).long}.${logs} Restarting it does not help until the cause is fixed.`,
      );
      break;
    }
    case 'unknown':
      parts.push(
        'kcockpit has no record of how the last run ended (no lastState in the pod status, no log lines): kubectl logs --previous and kubectl describe pod show more.',
      );
      break;
  }
  return parts.join(' ');
}

// ---------------------------------------------------------------------------------------
// Evidence

function logEvidence(a: CrashAnalysis): Evidence[] {
  const last = a.logLines.slice(-LOG_EVIDENCE_LINES);
  const hintLine = a.dependency?.hint.line;
  const lines = hintLine && !last.includes(hintLine) ? [hintLine, ...last.slice(1)] : last;
  return lines.map((line) => ({
    source: 'log',
    ref: podRef(a.pod),
    path: `log?container=${a.site.name}${a.logPrevious ? '&previous=true' : ''}`,
    text: clip(redactLogLine(line), 1000),
  }));
}

/** Evidence with the most telling line first: output that shows one line per symptom shows that one. */
function evidenceOf(a: CrashAnalysis): Evidence[] {
  const t = a.terminated;
  const terminated =
    t && a.terminatedPath
      ? [
          fieldEvidence(
            a.pod,
            a.terminatedPath,
            [
              `exitCode ${t.exitCode}`,
              t.reason ? `reason ${t.reason}` : '',
              t.finishedAt ? `finishedAt ${t.finishedAt}` : '',
            ]
              .filter(Boolean)
              .join(', '),
          ),
        ]
      : [];
  const logs = logEvidence(a);
  const lead: Evidence[] =
    a.variant === 'dependency'
      ? logs.slice(-1)
      : a.variant === 'liveness'
        ? eventsEvidence(a.probeEvents, 1)
        : terminated;
  const ev: Evidence[] = [...lead, ...waitingEvidence(a.pod, a.site)];
  if (a.variant === 'dependency' || a.variant === 'liveness') ev.push(...terminated);
  ev.push(fieldEvidence(a.pod, `${a.site.statusPath}.restartCount`, String(a.site.status.restartCount)));
  const spec = a.site.spec;
  const specPath = a.site.specPath;
  if (spec && specPath) {
    if (a.variant === 'oom')
      ev.push(
        fieldEvidence(
          a.pod,
          `${specPath}.resources.limits.memory`,
          spec.resources?.limits?.memory ?? 'not set',
          'spec',
        ),
      );
    const probe = probeOf(a);
    if (a.variant === 'liveness' && probe)
      ev.push(fieldEvidence(a.pod, `${specPath}.${a.probeKind}Probe`, describeProbe(probe), 'spec'));
    if (a.variant === 'exit-code' && [126, 127, 128].includes(t?.exitCode ?? -1)) {
      if (spec.command)
        ev.push(fieldEvidence(a.pod, `${specPath}.command`, clip(JSON.stringify(spec.command), 1000), 'spec'));
      if (spec.args) ev.push(fieldEvidence(a.pod, `${specPath}.args`, clip(JSON.stringify(spec.args), 1000), 'spec'));
    }
  }
  ev.push(...eventsEvidence(a.probeEvents), ...logs, ...eventsEvidence(a.otherEvents, 2));
  const svc = a.dependency?.service;
  if (svc)
    ev.push({
      source: 'status',
      ref: refOf(svc, 'Service'),
      text: `selects ${a.dependency!.total} pods, ${a.dependency!.ready} ready`,
    });
  return uniqueEvidence(ev);
}

/** The lead line also appears in its own group; keep its first place only. */
function uniqueEvidence(list: Evidence[]): Evidence[] {
  const seen = new Set<string>();
  return list.filter((e) => {
    const k = `${e.source}|${e.path ?? ''}|${e.ref ? refKey(e.ref) : ''}|${e.text}`;
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
}

// ---------------------------------------------------------------------------------------
// Fixes

function manualPlan(id: string, title: string, explanation: string, commands: string[], description: string): FixPlan {
  return { id, title, explanation, commands, steps: [{ action: 'manual', description }], mutates: false };
}

function logsCommand(a: CrashAnalysis): string {
  return `kubectl logs ${a.pod.metadata.name} -c ${a.site.name}${nsFlag(a.pod.metadata.namespace)} --previous`;
}

interface TemplateChange {
  what: string;
  ops: JsonPatchOp[];
  /** A friendlier kubectl command with the same effect, when there is one. */
  command?: string;
  /** `--set` for the Helm value that holds the same setting, when the user's values set it. */
  helmSet?: string;
  helmHint: string;
}

/** A template patch plan with its rollout (or pod recreation) and the Helm caveat. */
function templatePlan(
  snapshot: Snapshot,
  owner: KubeObject,
  pods: readonly Pod[],
  id: string,
  title: string,
  explanation: string,
  change: TemplateChange,
): FixPlan | undefined {
  const w = patchableWorkload(owner);
  if (!w) return undefined;
  const ref = refOf(w);
  const steps: FixStep[] = [{ action: 'json-patch', ref, patch: change.ops, description: change.what }];
  const commands = [change.command ?? jsonPatchCommand(ref, change.ops)];
  if (rollsPodsOnTemplateChange(w)) commands.push(`kubectl rollout status ${kubectlName(ref)}${nsFlag(ref.namespace)}`);
  else {
    const recreate = recreatePods(snapshot, pods, 'uses the new settings');
    steps.push(...recreate.steps);
    commands.push(...recreate.commands);
  }
  const release = snapshot.helmReleaseOf(w);
  if (release) {
    steps.push({
      action: 'manual',
      description: `${ref.kind} ${ref.name} is managed by the Helm release ${release.name}: record the change in its values too, or the next upgrade may undo it (${change.helmHint}).`,
    });
    if (change.helmSet) commands.push(helmUpgradeCommand(release, [change.helmSet]));
  }
  return { id, title, explanation, commands, steps, mutates: true };
}

/** Twice a memory limit, as a quantity kubectl accepts (`128Mi` → `256Mi`); undefined when the limit is not a positive quantity. */
function doubledMemory(limit: string): string | undefined {
  const bytes = parseQuantity(limit);
  return bytes !== undefined && bytes > 0 ? toQuantity('memory', bytes * 2) : undefined;
}

/** The JSON patch op that sets a container's memory limit, creating `resources`/`limits` as needed. */
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
  return templatePlan(
    snapshot,
    owner,
    pods,
    'raise-memory-limit',
    `Raise ${c}'s memory limit from ${limit} to ${newLimit}`,
    'Doubling is a first step, not a measurement: check the real use afterwards with kubectl top pod, and look for a leak if it keeps climbing.',
    change,
  );
}

function oomPlans(snapshot: Snapshot, owner: KubeObject, a: CrashAnalysis, pods: readonly Pod[]): FixPlan[] {
  const c = a.site.name;
  const limit = a.site.spec?.resources?.limits?.memory;
  const node = a.pod.spec?.nodeName;
  if (!limit)
    return [
      manualPlan(
        'set-memory-request',
        `Give ${c} a memory request and limit that match its use`,
        'Without a request the scheduler does not reserve memory for the container, so it lands on nodes that cannot hold it.',
        [
          `kubectl top pod ${a.pod.metadata.name}${nsFlag(a.pod.metadata.namespace)} --containers`,
          ...(node ? [`kubectl describe node ${node}`] : []),
        ],
        `Measure ${c}'s memory use, then set resources.requests.memory (and a limit) on the workload.`,
      ),
    ];
  const doubled = doubledMemory(limit);
  const newLimit = doubled ?? '<new-limit>';
  const plan = doubled ? raiseLimitPlan(snapshot, owner, a, pods, limit, doubled) : undefined;
  if (plan) return [plan];
  const w = patchableWorkload(owner);
  return [
    manualPlan(
      'raise-memory-limit',
      `Raise ${c}'s memory limit from ${limit}`,
      w
        ? 'kcockpit cannot patch this safely (the container is not in the pod template as expected, or the limit is not a plain quantity), so the change is left to you.'
        : 'This pod has no workload whose template kcockpit could change: recreate it from its manifest with a higher limit.',
      w
        ? [
            `kubectl set resources ${kubectlName(refOf(w))} -c ${c} --limits=memory=${newLimit}${nsFlag(w.metadata.namespace)}`,
          ]
        : [],
      `Set resources.limits.memory of ${c} to ${newLimit === '<new-limit>' ? 'a higher value' : `${newLimit} or more`}.`,
    ),
  ];
}

function livenessPlans(snapshot: Snapshot, owner: KubeObject, a: CrashAnalysis, pods: readonly Pod[]): FixPlan[] {
  const c = a.site.name;
  const probe = probeOf(a);
  const failure: ProbeFailure = probeFailureKind(latestProbeFailure(a));
  const field = `${a.probeKind}Probe` as const;
  const inspect = manualPlan(
    'check-health-endpoint',
    `Find out why ${c} fails its ${a.probeKind} probe`,
    'The probe reflects what the app says about itself; its logs say why it is unhealthy.',
    [logsCommand(a), `kubectl describe pod ${a.pod.metadata.name}${nsFlag(a.pod.metadata.namespace)}`],
    `Read ${c}'s logs from before the restart and fix what makes the probe fail.`,
  );
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
  const relax = templatePlan(
    snapshot,
    owner,
    pods,
    'relax-probe',
    `Give the ${a.probeKind} probe of ${c} more time (${setting} ${t[setting]} → ${value})`,
    `This helps when ${c} is healthy but slow to answer; if it is really stuck, the probe is right to restart it and the cause is in its logs.`,
    change,
  );
  return relax ? [relax, inspect] : [inspect];
}

function dependencyPlan(a: CrashAnalysis): FixPlan {
  const d = a.dependency!;
  const c = a.site.name;
  const svc = d.service;
  if (svc && isHealthy(d)) {
    const served = portMismatch(d);
    return manualPlan(
      'check-dependency-address',
      `Check how ${c} connects to ${svc.metadata.name}`,
      `Service ${svc.metadata.name} has ready pods, so ${c}'s own settings are the likely cause.`,
      [`kubectl get service ${svc.metadata.name}${nsFlag(svc.metadata.namespace)}`, logsCommand(a)],
      served
        ? `Set the port ${c} uses for ${svc.metadata.name} to ${served.join(' or ')} (it uses ${d.hint.port}).`
        : `Check the address, port and credentials ${c} uses for ${svc.metadata.name}.`,
    );
  }
  if (svc) {
    const ns = svc.metadata.namespace;
    const selector = Object.entries(svc.spec?.selector ?? {})
      .map(([k, v]) => `${k}=${v}`)
      .join(',');
    const watch = selector
      ? `kubectl get pods${nsFlag(ns)} -l ${selector} -w`
      : `kubectl get endpointslices${nsFlag(ns)} -l kubernetes.io/service-name=${svc.metadata.name} -w`;
    return manualPlan(
      'fix-dependency-first',
      `Fix ${svc.metadata.name} first; ${c} recovers by itself`,
      `${c} only crashes because ${svc.metadata.name} does not answer. Once its pods are ready, ${c} starts at its next restart; restarting ${c} before that changes nothing.`,
      [watch],
      `Fix Service ${svc.metadata.name} (see the finding about its pods), then wait for ${c} to start.`,
    );
  }
  return manualPlan(
    'fix-dependency-first',
    `Make ${dependencyTarget(d)} reachable; ${c} recovers by itself`,
    `${c} starts at its next restart once what it connects to answers.`,
    [`kubectl get services${nsFlag(a.pod.metadata.namespace)}`],
    `Install or start what ${c} connects to (${dependencyTarget(d)}), or correct the address in its configuration.`,
  );
}

function plansOf(snapshot: Snapshot, owner: KubeObject, a: CrashAnalysis, pods: readonly Pod[]): FixPlan[] {
  switch (a.variant) {
    case 'oom':
      return oomPlans(snapshot, owner, a, pods);
    case 'liveness':
      return livenessPlans(snapshot, owner, a, pods);
    case 'dependency':
      return [dependencyPlan(a)];
    case 'exit-code': {
      const code = a.terminated!.exitCode;
      const fixWhat =
        code === 0
          ? `Make ${a.site.name}'s main command stay in the foreground, or run one-off work as a Job.`
          : [126, 127, 128].includes(code)
            ? `Correct the command/args of ${a.site.name}, or use an image that contains the program.`
            : `Fix what the last log lines of ${a.site.name} report (configuration, a missing setting or file), then let it restart.`;
      return [
        manualPlan(
          'fix-crash-cause',
          `Fix why ${a.site.name} exits (${exitCodeMeaning(code).short})`,
          `The log of the crashed run says why it stopped; restarting alone does not help.`,
          [logsCommand(a)],
          fixWhat,
        ),
      ];
    }
    case 'unknown':
      return [
        manualPlan(
          'inspect-crash',
          `Find out why ${a.site.name} crashes`,
          "The previous container's log and the pod's events say why it stopped.",
          [logsCommand(a), `kubectl describe pod ${a.pod.metadata.name}${nsFlag(a.pod.metadata.namespace)}`],
          `Read the log of ${a.site.name}'s last run and fix what it reports.`,
        ),
      ];
  }
}

function severityOf(a: CrashAnalysis): Severity {
  const d = a.dependency;
  // Waiting on a Service that is itself unhealthy is a symptom; its own finding is the cause.
  if (a.variant === 'dependency' && d?.service && !isHealthy(d)) return 'warning';
  return a.looping ? 'critical' : 'warning';
}

function dependsOnOf(a: CrashAnalysis): ObjectRef[] | undefined {
  const svc = a.dependency?.service;
  if (a.variant !== 'dependency' || !svc) return undefined;
  return [refOf(svc, 'Service'), ...a.dependency!.owners.map((o) => refOf(o))];
}

export const rule: Rule = {
  id: RULE_ID,
  title: 'Container keeps crashing',
  diagnose(ctx) {
    const snapshot = ctx.snapshot;
    const groups = new Map<string, { owner: KubeObject; analyses: CrashAnalysis[] }>();
    for (const pod of byName(snapshot.pods)) {
      if (isTerminating(pod)) continue;
      for (const site of containerSites(pod)) {
        const state = crashState(site, ctx.now);
        if (!state) continue;
        const owner = subjectOf(snapshot, pod);
        const a = analyse(snapshot, pod, site, state === 'looping');
        const key = `${refKey(refOf(owner))}|${site.name}|${a.variant}`;
        const g = groups.get(key);
        if (g) g.analyses.push(a);
        else groups.set(key, { owner, analyses: [a] });
      }
    }
    const findings: RawFinding[] = [];
    for (const { owner, analyses } of groups.values()) {
      // Explain from a crash-looping pod with logs when there is one: it says the most.
      const a =
        analyses.find((x) => x.looping && x.logLines.length > 0) ?? analyses.find((x) => x.looping) ?? analyses[0]!;
      const pods = analyses.map((x) => x.pod);
      const subject = subjectRef(owner, pods);
      const finding: RawFinding = {
        id: findingId(RULE_ID, subject, `${a.site.name}/${a.variant}`),
        ruleId: RULE_ID,
        severity: analyses.some((x) => severityOf(x) === 'critical') ? 'critical' : 'warning',
        subject,
        title: titleOf(a),
        explanation: explanationOf(snapshot, a, pods),
        evidence: evidenceOf(a),
        objects: findingObjects(owner, pods),
        fixes: plansOf(snapshot, owner, a, pods),
      };
      const dependsOn = dependsOnOf(a);
      if (dependsOn) finding.dependsOn = dependsOn;
      findings.push(finding);
    }
    return findings;
  },
};
