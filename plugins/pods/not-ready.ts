// pods/not-ready: containers that run but have not been Ready for minutes because their
// readiness probe fails. Usually a symptom (the app waits for something), so a warning;
// a rule that knows the deeper cause `explains` these pods and the engine nests this under it.
import type { KubeEvent, Pod } from '../../src/model/k8s.js';
import type { Evidence, FixPlan, RuleContext } from '../../src/diagnose/types.js';
import { containerRule, type ContainerCase, type ContainerGroup } from '../../src/diagnose/container-rule.js';
import type { Explained } from '../../src/diagnose/define-rule.js';
import { clip, eventsEvidence, fieldEvidence } from '../../src/diagnose/evidence.js';
import { podEvents, podsPhrase, type ContainerSite } from '../../src/diagnose/pod-facts.js';
import { manualPlan, nsFlag } from '../../src/diagnose/plans.js';
import { RULE_IDS } from '../../src/diagnose/rule-ids.js';
import { durationWords } from '../../src/util/duration.js';
import { describeProbe, misfitText, probeMisfit, type ProbeMisfit } from './lib/probes.js';
import { fixProbePlan } from './lib/probe-plans.js';
import { brokenConfigDependency, type ConfigDependency } from './lib/config-dependencies.js';
import { refOf } from '../../src/diagnose/evidence.js';

/** Apps take a while to warm up; only a container unready for longer than this is reported. */
const GRACE_MS = 2 * 60 * 1000;
const READINESS_FAILED = /^Readiness probe failed/;

interface NotReady extends ContainerCase {
  since: number;
  events: KubeEvent[];
  /** A Service its configuration names that cannot serve it: what it most likely waits for. */
  waitsFor: ConfigDependency | undefined;
  /** The probe cannot pass whatever the app does: a port the container does not declare, a path it answers 404. */
  misfit: ProbeMisfit | undefined;
}

function readyCondition(
  pod: Pod,
): { index: number; status: string; message?: string; lastTransitionTime?: string } | undefined {
  const conditions = Array.isArray(pod.status?.conditions) ? pod.status.conditions : [];
  const index = conditions.findIndex((c) => c?.type === 'Ready');
  const c = conditions[index];
  return c
    ? {
        index,
        status: c.status,
        ...(c.message ? { message: c.message } : {}),
        ...(c.lastTransitionTime ? { lastTransitionTime: c.lastTransitionTime } : {}),
      }
    : undefined;
}

// ---- classify

function classify(pod: Pod, site: ContainerSite, ctx: RuleContext): NotReady | undefined {
  if (site.init || site.status.ready !== false || !site.status.state?.running) return undefined;
  // Unready since the later of "container started" and "pod became unready".
  const started = Date.parse(site.status.state.running.startedAt ?? '');
  const unready = Date.parse(readyCondition(pod)?.lastTransitionTime ?? '');
  const candidates = [started, unready].filter(Number.isFinite);
  if (candidates.length === 0) return undefined;
  const since = Math.max(...candidates);
  if (ctx.now - since < GRACE_MS) return undefined;
  const events = podEvents(ctx.snapshot, pod, site).filter(
    (e) => e.reason === 'Unhealthy' && READINESS_FAILED.test(e.message ?? ''),
  );
  if (events.length === 0 && !site.spec?.readinessProbe) return undefined;
  const found = brokenConfigDependency(ctx.snapshot, pod, site.spec, site.specPath);
  const misfit = probeMisfit(site.spec, 'readinessProbe', events[events.length - 1]?.message ?? '');
  return { pod, site, variant: 'readiness', since, events, waitsFor: found?.health ? found : undefined, misfit };
}

// ---- explain

function evidenceOf(n: NotReady): Evidence[] {
  const ev: Evidence[] = [];
  const cond = readyCondition(n.pod);
  if (cond)
    ev.push(
      fieldEvidence(
        n.pod,
        `status.conditions[${cond.index}]`,
        `Ready=${cond.status}${cond.message ? `: ${cond.message}` : ''}`,
      ),
    );
  ev.push(
    fieldEvidence(n.pod, `${n.site.statusPath}.state.running.startedAt`, n.site.status.state?.running?.startedAt ?? ''),
  );
  const probe = n.site.spec?.readinessProbe;
  if (probe && n.site.specPath)
    ev.push(fieldEvidence(n.pod, `${n.site.specPath}.readinessProbe`, clip(describeProbe(probe), 500), 'spec'));
  ev.push(...eventsEvidence(n.events, 3));
  const w = n.waitsFor;
  if (w) ev.push(fieldEvidence(n.pod, w.reference.path, clip(w.reference.text, 1000), 'spec'));
  return ev;
}

function titleOf(n: NotReady): string {
  const c = n.site.name;
  const m = n.misfit;
  if (m?.kind === 'undeclared-port')
    return `${c} is running but never ready: its readiness probe dials port ${String(m.port)}, which the container does not declare`;
  if (m?.kind === 'path-not-found')
    return `${c} is running but never ready: its readiness probe asks for ${m.path}, which the app answers with 404`;
  return `${c} is running but not ready: its readiness probe fails`;
}

function explain({ lead: n, pods }: ContainerGroup<NotReady>, ctx: RuleContext): Explained {
  const c = n.site.name;
  const latest = n.events[n.events.length - 1]?.message;
  const said = latest
    ? `: its readiness probe keeps failing with "${clip(latest, 400)}"`
    : ': its readiness probe does not pass';
  return {
    // A probe that cannot pass is the cause itself, not a symptom of something the app waits for.
    severity: n.misfit ? 'critical' : 'warning',
    title: titleOf(n),
    explanation: [
      `Container ${c} (${podsPhrase(pods)}) has been running for ${durationWords(ctx.now - n.since)} but is not ready${said}.`,
      n.misfit
        ? 'A readiness probe is how an app tells Kubernetes it can take traffic: until it passes, Services send this pod no requests and rollouts wait for it.'
        : 'A readiness probe is how an app tells Kubernetes it can take traffic: until it passes, Services send this pod no requests and rollouts wait for it. Kubernetes does not restart the container for this; the app itself says it is not ready yet, usually because it waits for something (a database, the other members of its cluster, a warm-up).',
      n.misfit
        ? misfitText(n.misfit, 'readiness')
        : (waitsForText(n) ??
          "The probe's message says what it waits for: fix that, and the pod becomes ready by itself."),
    ].join(' '),
    evidence: evidenceOf(n),
    ...(n.waitsFor?.health
      ? { dependsOn: [refOf(n.waitsFor.health.service, 'Service'), ...n.waitsFor.health.owners.map((o) => refOf(o))] }
      : {}),
  };
}

/** What the configuration says the container waits for, when that Service cannot serve. */
function waitsForText(n: NotReady): string | undefined {
  const w = n.waitsFor;
  if (!w?.health) return undefined;
  const state =
    w.health.state === 'selects-nothing' ? 'selects no pods' : `has none of its ${w.health.pods.length} pods ready`;
  return `Its configuration names Service ${w.name} (${w.reference.path}: "${clip(w.reference.text, 300)}"), which ${state}: that is most likely what it waits for. Fix ${w.name} first; ${n.site.name} becomes ready by itself.`;
}

// ---- plans

function plans({ lead: n, owner, pods }: ContainerGroup<NotReady>, ctx: RuleContext): FixPlan[] {
  const c = n.site.name;
  const fix = n.misfit ? fixProbePlan(ctx.snapshot, owner, n.site, pods, 'readinessProbe', n.misfit) : undefined;
  return [
    ...(fix ? [fix] : []),
    manualPlan({
      id: 'find-why-not-ready',
      title: `Find out what ${c} waits for`,
      explanation: "The app's log and the probe's message name what it is waiting for.",
      commands: [
        `kubectl logs ${n.pod.metadata.name} -c ${c}${nsFlag(n.pod.metadata.namespace)} --tail=50`,
        `kubectl describe pod ${n.pod.metadata.name}${nsFlag(n.pod.metadata.namespace)}`,
      ],
      instructions: `Read ${c}'s log and the readiness probe's message, and fix what it waits for.`,
    }),
  ];
}

export const rule = containerRule({
  id: RULE_IDS.notReady,
  title: 'Container runs but is not ready',
  pods: (pod) => pod.status?.phase === 'Running',
  classify,
  // Explain from a pod whose probe said something.
  lead: (cases) => cases.find((x) => x.events.length > 0) ?? cases[0]!,
  explain,
  plans,
});
