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
import { livenessAllowance, probeFailureKind, probeMisfit, probeTimings, type ProbeMisfit } from '../lib/probes.js';

export type CrashVariant = 'oom' | 'liveness' | 'dependency' | 'disk-full' | 'exit-code' | 'unknown';

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
  /** The probe cannot pass whatever the app does (a port it does not declare, a path it answers 404). */
  misfit: ProbeMisfit | undefined;
  /**
   * Seconds the last run lasted, when the probe killed it within its first allowance
   * (initialDelaySeconds + failureThreshold × periodSeconds): the app never got past its start.
   */
  killedWhileStarting: number | undefined;
  /** The log line that says the disk is full (`No space left on device`, ENOSPC). */
  diskFullLine: string | undefined;
}

function crashState(site: ContainerSite, now: number): 'looping' | 'flapping' | undefined {
  const st = site.status;
  if (st.state?.waiting?.reason === 'CrashLoopBackOff') return 'looping';
  const last = st.lastState?.terminated;
  // One kill for memory is already worth saying: the next spike kills it again.
  const restarts = last?.reason === 'OOMKilled' ? 1 : FLAPPING_RESTARTS;
  if (!st.state?.running || !last || !(st.restartCount >= restarts)) return undefined;
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

const DISK_FULL = /no space left on device|\bENOSPC\b|disk quota exceeded/i;

/** A probe kill that came before the app could have answered: the run lasted no longer than the probe allows a fresh start. */
function killedWhileStarting(
  probe: Probe | undefined,
  terminated: ContainerStateTerminated | undefined,
  message: string,
): number | undefined {
  if (!probe || !['refused', 'timeout'].includes(probeFailureKind(message))) return undefined;
  const ran = (Date.parse(terminated?.finishedAt ?? '') - Date.parse(terminated?.startedAt ?? '')) / 1000;
  if (!Number.isFinite(ran) || ran < 0) return undefined;
  // One more period: the kill follows the last failed check, plus the grace period to stop.
  return ran <= livenessAllowance(probe) + probeTimings(probe).periodSeconds ? Math.round(ran) : undefined;
}

/** The container's crash, or undefined when it is not crashing. */
export function classifyCrash(pod: Pod, site: ContainerSite, ctx: RuleContext): CrashAnalysis | undefined {
  const state = crashState(site, ctx.now);
  return state ? analyseCrash(pod, site, ctx, state === 'looping') : undefined;
}

/**
 * How the container's last run ended and why, from its status, events, log and configuration.
 * `looping`: it waits in CrashLoopBackOff now (its log of interest is the previous run's).
 */
export function analyseCrash(pod: Pod, site: ContainerSite, ctx: RuleContext, looping: boolean): CrashAnalysis {
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
  const diskFullLine = [...logLines].reverse().find((l) => DISK_FULL.test(l));
  let variant: CrashVariant;
  if (terminated?.reason === 'OOMKilled') variant = 'oom';
  else if (diskFullLine) variant = 'disk-full';
  else if (dependency) variant = 'dependency';
  else if (probeEvents.length > 0) variant = 'liveness';
  else if (terminated && typeof terminated.exitCode === 'number') variant = 'exit-code';
  else variant = 'unknown';
  const probeKind = probeEvents.some((e) => /startup/i.test(e.message ?? '')) ? 'startup' : 'liveness';
  const failure = latestUnhealthy(probeEvents);
  const misfit = variant === 'liveness' ? probeMisfit(site.spec, `${probeKind}Probe`, failure) : undefined;
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
    probeKind,
    otherEvents: events.filter((e) => e.type === 'Warning' && !probeEvents.includes(e)),
    dependency,
    misfit,
    killedWhileStarting:
      variant === 'liveness' && probeKind === 'liveness' && !misfit && !site.spec?.startupProbe
        ? killedWhileStarting(site.spec?.livenessProbe, terminated, failure)
        : undefined,
    diskFullLine,
  };
}

/** Explain from a crash-looping pod with logs when there is one: it says the most. */
export function mostTelling(cases: readonly CrashAnalysis[]): CrashAnalysis {
  return cases.find((x) => x.looping && x.logLines.length > 0) ?? cases.find((x) => x.looping) ?? cases[0]!;
}

export function probeOf(a: CrashAnalysis): Probe | undefined {
  return a.probeKind === 'startup' ? a.site.spec?.startupProbe : a.site.spec?.livenessProbe;
}

function latestUnhealthy(events: readonly KubeEvent[]): string {
  const unhealthy = events.filter((e) => e.reason === 'Unhealthy');
  return unhealthy[unhealthy.length - 1]?.message ?? '';
}

export function latestProbeFailure(a: CrashAnalysis): string {
  return latestUnhealthy(a.probeEvents);
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

/** Where the full disk is: the volume mounted over the path the log line names, or the container's own filesystem. */
export interface DiskPlace {
  path: string | undefined;
  mountPath?: string;
  volume?: string;
  claim?: string;
  emptyDir?: { sizeLimit?: string; medium?: string };
}

export function diskPlace(a: CrashAnalysis): DiskPlace {
  const line = a.diskFullLine ?? '';
  const path = /(?:^|[\s"'(=:])(\/[^\s"':,)]+)/.exec(line)?.[1];
  if (!path) return { path: undefined };
  const mounts = Array.isArray(a.site.spec?.volumeMounts) ? a.site.spec.volumeMounts : [];
  const mount = mounts
    .filter(
      (m) =>
        typeof m?.mountPath === 'string' &&
        (path === m.mountPath || path.startsWith(`${m.mountPath.replace(/\/$/, '')}/`)),
    )
    .sort((x, y) => y.mountPath.length - x.mountPath.length)[0];
  if (!mount) return { path };
  const volumes = Array.isArray(a.pod.spec?.volumes) ? a.pod.spec.volumes : [];
  const v = volumes.find((x) => x?.name === mount.name) as
    | {
        name: string;
        persistentVolumeClaim?: { claimName?: string };
        emptyDir?: { sizeLimit?: string; medium?: string };
      }
    | undefined;
  return {
    path,
    mountPath: mount.mountPath,
    volume: mount.name,
    ...(v?.persistentVolumeClaim?.claimName ? { claim: v.persistentVolumeClaim.claimName } : {}),
    ...(v?.emptyDir ? { emptyDir: v.emptyDir } : {}),
  };
}
