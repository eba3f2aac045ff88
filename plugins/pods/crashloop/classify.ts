// pods/crashloop, classify: which containers keep crashing, and why — the memory limit
// (OOMKilled), a liveness or startup probe that kills it, a dependency its log says it cannot
// reach, or just its exit code.
import type { ContainerStateTerminated, KubeEvent, KubeObject, Pod, Probe, Service } from '../../../src/model/k8s.js';
import type { Snapshot } from '../../../src/store/snapshot.js';
import type { RuleContext } from '../../../src/diagnose/types.js';
import type { ContainerCase } from '../../../src/diagnose/container-rule.js';
import { refKey, refOf } from '../../../src/diagnose/evidence.js';
import { isPodReady, podEvents, type ContainerSite } from '../../../src/diagnose/pod-facts.js';
import { parseQuantity, toQuantity } from '../../../src/diagnose/quantity.js';
import { dependencyHints, serviceForHost, type DependencyHint } from '../lib/log-dependencies.js';
import { brokenConfigDependency, type ConfigReference } from '../lib/config-dependencies.js';

export type CrashVariant = 'oom' | 'liveness' | 'dependency' | 'exit-code' | 'unknown';

/** A running container that restarted this often within the window is flapping, not healthy. */
const FLAPPING_RESTARTS = 3;
const FLAPPING_WINDOW_MS = 60 * 60 * 1000;

export interface Dependency {
  hint: DependencyHint;
  service: Service | undefined;
  /** Pods the Service selects and how many are ready. */
  total: number;
  ready: number;
  /** The workloads behind the Service. */
  owners: KubeObject[];
  /**
   * Set when no log line named the dependency and the container's configuration did: the
   * env var, arg or command that names the Service. `hint.line` then is its text.
   */
  config?: ConfigReference;
  /** When the Service does not exist: the closest existing name in its namespace. */
  didYouMean?: string;
}

export interface CrashAnalysis extends ContainerCase {
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

/** Without log lines, the configuration still names what the container connects to. */
function configDependency(snapshot: Snapshot, pod: Pod, site: ContainerSite): Dependency | undefined {
  const found = brokenConfigDependency(snapshot, pod, site.spec, site.specPath);
  if (!found) return undefined;
  const r = found.reference;
  const hint: DependencyHint = { host: r.host, line: r.text, ...(r.port !== undefined ? { port: r.port } : {}) };
  const h = found.health;
  return {
    hint,
    service: h?.service,
    total: h?.pods.length ?? 0,
    ready: h?.ready ?? 0,
    owners: h?.owners ?? [],
    config: r,
    ...(found.didYouMean ? { didYouMean: found.didYouMean } : {}),
  };
}

/** The container's crash, or undefined when it is not crashing. */
export function classifyCrash(pod: Pod, site: ContainerSite, ctx: RuleContext): CrashAnalysis | undefined {
  const state = crashState(site, ctx.now);
  if (!state) return undefined;
  const looping = state === 'looping';
  const snapshot = ctx.snapshot;
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
  // The log is the better witness; the configuration speaks only when there is no log.
  const dependency =
    findDependency(snapshot, pod, logLines) ??
    (logLines.length === 0 ? configDependency(snapshot, pod, site) : undefined);
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

/** Explain from a crash-looping pod with logs when there is one: it says the most. */
export function mostTelling(cases: readonly CrashAnalysis[]): CrashAnalysis {
  return cases.find((x) => x.looping && x.logLines.length > 0) ?? cases.find((x) => x.looping) ?? cases[0]!;
}

export function probeOf(a: CrashAnalysis): Probe | undefined {
  return a.probeKind === 'startup' ? a.site.spec?.startupProbe : a.site.spec?.livenessProbe;
}

export function latestProbeFailure(a: CrashAnalysis): string {
  const unhealthy = a.probeEvents.filter((e) => e.reason === 'Unhealthy');
  return unhealthy[unhealthy.length - 1]?.message ?? '';
}

export function dependencyTarget(d: Dependency): string {
  return `${d.hint.host}${d.hint.port !== undefined ? `:${d.hint.port}` : ''}`;
}

/** Ports the Service serves, when the log names a port it does not serve. */
export function portMismatch(d: Dependency): number[] | undefined {
  const ports = (d.service?.spec?.ports ?? []).map((p) => p?.port).filter((p): p is number => typeof p === 'number');
  // A cluster-IP hint is the address the name resolved to; its port is the one dialled.
  return d.hint.port !== undefined && ports.length > 0 && !ports.includes(d.hint.port) ? ports : undefined;
}

export function isHealthy(d: Dependency): boolean {
  return d.total > 0 && d.ready === d.total;
}

/** Twice a memory limit, as a quantity kubectl accepts (`128Mi` → `256Mi`); undefined when the limit is not a positive quantity. */
export function doubledMemory(limit: string): string | undefined {
  const bytes = parseQuantity(limit);
  return bytes !== undefined && bytes > 0 ? toQuantity('memory', bytes * 2) : undefined;
}
