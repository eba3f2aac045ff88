// pods/crashloop, explain: the words for a crash — what happened, why, and what to do — and the
// evidence, the most telling line first.
import type { Pod } from '../../../src/model/k8s.js';
import type { Snapshot } from '../../../src/store/snapshot.js';
import type { Evidence, ObjectRef, RuleContext, Severity } from '../../../src/diagnose/types.js';
import type { ContainerGroup } from '../../../src/diagnose/container-rule.js';
import type { Explained } from '../../../src/diagnose/define-rule.js';
import { clip, eventsEvidence, fieldEvidence, refOf, uniqueEvidence } from '../../../src/diagnose/evidence.js';
import { podRef, podsPhrase, waitingEvidence } from '../../../src/diagnose/pod-facts.js';
import { logExcerpt, redactLogLine } from '../lib/log-dependencies.js';
import { exitCodeMeaning } from '../lib/exit-codes.js';
import { declaresPort, describeProbe, misfitText, probeFailureKind, probePort, probeTimings } from '../lib/probes.js';
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

const LOG_EVIDENCE_LINES = 5;

/** What ended the last run, as the part of a title after the colon; undefined when nothing is known. */
export function crashCause(a: CrashAnalysis): string | undefined {
  switch (a.variant) {
    case 'oom': {
      const limit = a.site.spec?.resources?.limits?.memory;
      return limit
        ? `killed for using more than its ${limit} memory limit (OOMKilled)`
        : `killed for lack of memory (OOMKilled, no memory limit set)`;
    }
    case 'liveness': {
      const m = a.misfit;
      if (m?.kind === 'undeclared-port')
        return `its ${a.probeKind} probe dials port ${String(m.port)}, which the container does not declare`;
      if (m?.kind === 'path-not-found')
        return `its ${a.probeKind} probe asks for ${m.path}, which the app answers with 404`;
      if (a.killedWhileStarting !== undefined) return `its liveness probe kills it before it has finished starting`;
      return `its ${a.probeKind} probe fails and Kubernetes restarts it`;
    }
    case 'disk-full': {
      const place = diskPlace(a);
      return `${place.claim ? `volume ${place.volume} (PVC ${place.claim}) is full` : place.volume ? `volume ${place.volume} is full` : 'its disk is full'} (No space left on device)`;
    }
    case 'dependency':
      return `it cannot reach ${dependencyTarget(a.dependency!)}`;
    case 'exit-code': {
      const code = a.terminated!.exitCode;
      return `exit code ${code} (${exitCodeMeaning(code).short})`;
    }
    case 'unknown':
      return undefined;
  }
}

function titleOf(a: CrashAnalysis): string {
  const verb = a.looping ? 'keeps crashing' : 'keeps restarting';
  const cause = crashCause(a);
  return cause ? `${a.site.name} ${verb}: ${cause}` : `${a.site.name} ${verb} (CrashLoopBackOff)`;
}

function intro(a: CrashAnalysis, pods: readonly Pod[]): string {
  const restarts = a.site.status.restartCount;
  const where = `Container ${a.site.name} (${podsPhrase(pods)})`;
  if (a.looping)
    return `${where} keeps crashing: it stopped, Kubernetes restarted it, and it stopped again — ${restarts} restart${restarts === 1 ? '' : 's'} so far. CrashLoopBackOff means Kubernetes now waits longer before each restart (up to 5 minutes), so the app is down most of the time.`;
  return `${where} is running now but has restarted ${restarts} time${restarts === 1 ? '' : 's'}, the last time at ${a.terminated?.finishedAt ?? 'an unknown time'}.`;
}

function quoteLine(line: string): string {
  return `"${clip(redactLogLine(logExcerpt(line)), 300)}"`;
}

/** Ports the Service serves, when the log names a port it does not serve. */
function dependencyText(snapshot: Snapshot, a: CrashAnalysis): string {
  const d = a.dependency!;
  const c = a.site.name;
  const said = d.config
    ? `No log lines were available, but its configuration names ${dependencyTarget(d)} (${d.config.path}: "${clip(d.config.text, 300)}"), so it most likely crashes because that does not answer.`
    : `Its last log lines show it cannot reach ${dependencyTarget(d)}: ${quoteLine(d.hint.line)}.`;
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
  if (!d.config && (/^\d/.test(d.hint.host) || d.hint.host.split('.').length > 2))
    return `${said} ${d.hint.host} is not a Service kcockpit can see in the cluster: check that it is up and reachable from the pods, and that the address in ${c}'s configuration is right.`;
  const name = d.hint.host.split('.')[0]!;
  const svcNs = d.hint.host.split('.')[1] ?? ns;
  const mean = d.didYouMean ? ` Did you mean ${d.didYouMean}? That Service exists in namespace ${svcNs}.` : '';
  return `${said} There is no Service named ${name} in namespace ${svcNs}${snapshot.forbidden.has('services') ? ' that kcockpit may read' : ''}: install what ${c} needs, or correct the address in its configuration.${mean}`;
}

function livenessText(a: CrashAnalysis): string {
  const probe = probeOf(a);
  const failure = latestProbeFailure(a);
  const t = probe ? probeTimings(probe) : undefined;
  const parts = [
    `Kubernetes restarted it because its ${a.probeKind} probe failed${failure ? `: ${quoteLine(failure)}` : ''}.`,
    a.probeKind === 'startup'
      ? `A startup probe gives the app ${t ? `${t.failureThreshold} × ${t.periodSeconds}s` : 'a fixed time'} to start; if it has not answered by then, Kubernetes kills and restarts it.`
      : `A liveness probe is Kubernetes asking the app "are you alive?"${t ? ` every ${t.periodSeconds}s, allowing ${t.timeoutSeconds}s for an answer; after ${t.failureThreshold} failures in a row` : '; after a few failures in a row'} it kills and restarts the container${a.misfit ? '' : ' — even a healthy app that is just slow (starting up, busy, or waiting on something)'}.`,
  ];
  if (a.misfit) {
    parts.push(misfitText(a.misfit, a.probeKind));
    return parts.join(' ');
  }
  if (a.killedWhileStarting !== undefined && t) {
    parts.push(
      `The last run lasted ${a.killedWhileStarting}s: the probe starts checking after initialDelaySeconds ${t.initialDelaySeconds} and kills after ${t.failureThreshold} failures ${t.periodSeconds}s apart, so the app gets about ${t.initialDelaySeconds + t.failureThreshold * t.periodSeconds}s to answer — and was killed before it had started. An app that needs longer to start is killed every time, however healthy it is: a startup probe gives it the time without weakening the liveness probe.`,
    );
    return parts.join(' ');
  }
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

function diskText(a: CrashAnalysis): string {
  const place = diskPlace(a);
  const said = `Its last log lines say the disk it writes to is full: ${quoteLine(a.diskFullLine ?? '')}.`;
  if (place.claim)
    return `${said} ${place.path} is on volume ${place.volume} (mounted at ${place.mountPath}), the PersistentVolumeClaim ${place.claim}: that volume is full. Free space on it, or expand the claim (its StorageClass must allow volume expansion); the container starts again once it can write.`;
  if (place.emptyDir)
    return `${said} ${place.path} is on volume ${place.volume}, an emptyDir${place.emptyDir.sizeLimit ? ` limited to ${place.emptyDir.sizeLimit}` : " that shares the node's disk"}${place.emptyDir.medium === 'Memory' ? ' in memory (it counts against the memory limit)' : ''}. Give it a larger sizeLimit, write less there, or use a PersistentVolumeClaim for data that grows.`;
  if (place.volume)
    return `${said} ${place.path} is on volume ${place.volume} (mounted at ${place.mountPath}): free space on it or give it more.`;
  return `${said} ${place.path ? `${place.path} is not on a volume, so it is the container's own filesystem, which shares the node's disk` : "No volume is named, so it is most likely the container's own filesystem, which shares the node's disk"}: write growing data to a volume (a PersistentVolumeClaim), and check the node's free disk (kubectl describe node shows DiskPressure).`;
}

function explanationOf(snapshot: Snapshot, a: CrashAnalysis, pods: readonly Pod[]): string {
  return `${intro(a, pods)} ${crashCauseText(snapshot, a)}`;
}

/** Why the last run ended and what to do, in sentences (the explanation without its introduction). */
export function crashCauseText(snapshot: Snapshot, a: CrashAnalysis): string {
  const parts: string[] = [];
  switch (a.variant) {
    case 'oom': {
      const limit = a.site.spec?.resources?.limits?.memory;
      const next = limit ? doubledMemory(limit) : undefined;
      const request = a.site.spec?.resources?.requests?.memory;
      const asked = request
        ? ` It asks for (requests.memory) ${request}: that is what the scheduler reserves on the node${limit && request !== limit ? `, while it may use up to ${limit}` : ''}.`
        : limit
          ? ' It sets no memory request, so Kubernetes takes the limit as its request.'
          : '';
      parts.push(
        limit
          ? `The last run was killed with OOMKilled (exit code ${a.terminated?.exitCode ?? 137}): it used more memory than its limit of ${limit}, so the kernel killed it. Either the limit is too low for what the app needs, or the app leaks memory. Raise the limit${next ? ` (the fix doubles it to ${next})` : ''} and watch the real use with kubectl top pod; if use keeps growing until the kill, look for a leak.`
          : `The last run was killed with OOMKilled (exit code ${a.terminated?.exitCode ?? 137}) although the container has no memory limit: the node ran low on memory and the kernel killed it. Give it a memory request that matches its real use, so the scheduler places it where the memory is, and a limit.`,
      );
      if (asked) parts.push(asked.trim());
      break;
    }
    case 'disk-full':
      parts.push(diskText(a));
      break;
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

function logEvidence(a: CrashAnalysis): Evidence[] {
  const last = a.logLines.slice(-LOG_EVIDENCE_LINES);
  const hintLine = a.dependency && !a.dependency.config ? a.dependency.hint.line : undefined;
  const lines = hintLine && !last.includes(hintLine) ? [hintLine, ...last.slice(1)] : last;
  return lines.map((line) => ({
    source: 'log',
    ref: podRef(a.pod),
    path: `log?container=${a.site.name}${a.logPrevious ? '&previous=true' : ''}`,
    text: clip(redactLogLine(line), 1000),
  }));
}

/** Evidence with the most telling line first: output that shows one line per symptom shows that one. */
export function evidenceOf(a: CrashAnalysis): Evidence[] {
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
  const config = a.dependency?.config;
  const lead: Evidence[] =
    a.variant === 'dependency'
      ? config
        ? [fieldEvidence(a.pod, config.path, clip(config.text, 1000), 'spec')]
        : logs.slice(-1)
      : a.variant === 'liveness'
        ? eventsEvidence(a.probeEvents, 1)
        : a.variant === 'disk-full'
          ? [
              {
                source: 'log',
                ref: podRef(a.pod),
                path: `log?container=${a.site.name}${a.logPrevious ? '&previous=true' : ''}`,
                text: clip(redactLogLine(a.diskFullLine ?? ''), 1000),
              },
            ]
          : terminated;
  const ev: Evidence[] = [...lead, ...waitingEvidence(a.pod, a.site)];
  if (a.variant === 'dependency' || a.variant === 'liveness' || a.variant === 'disk-full') ev.push(...terminated);
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
        fieldEvidence(
          a.pod,
          `${specPath}.resources.requests.memory`,
          spec.resources?.requests?.memory ?? 'not set',
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

export function severityOf(a: CrashAnalysis): Severity {
  const d = a.dependency;
  // Waiting on a Service that is itself unhealthy is a symptom; its own finding is the cause.
  if (a.variant === 'dependency' && d?.service && !isHealthy(d)) return 'warning';
  return a.looping ? 'critical' : 'warning';
}

export function dependsOnOf(a: CrashAnalysis): ObjectRef[] | undefined {
  const svc = a.dependency?.service;
  if (a.variant !== 'dependency' || !svc) return undefined;
  return [refOf(svc, 'Service'), ...a.dependency!.owners.map((o) => refOf(o))];
}

export function explainCrash(group: ContainerGroup<CrashAnalysis>, ctx: RuleContext): Explained {
  const a = group.lead;
  const explained: Explained = {
    severity: group.cases.some((x) => severityOf(x) === 'critical') ? 'critical' : 'warning',
    title: titleOf(a),
    explanation: explanationOf(ctx.snapshot, a, group.pods),
    evidence: evidenceOf(a),
  };
  const dependsOn = dependsOnOf(a);
  if (dependsOn) explained.dependsOn = dependsOn;
  return explained;
}
