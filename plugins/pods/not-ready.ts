// pods/not-ready: containers that run but have not been Ready for minutes because their
// readiness probe fails. Usually a symptom (the app waits for something), so a warning;
// a rule that knows the deeper cause `explains` these pods and the engine nests this under it.
import type { KubeObject, Pod } from '../../src/model/k8s.js';
import type { Evidence, RawFinding, Rule } from '../../src/diagnose/types.js';
import { fieldEvidence, findingId, nsFlag, refKey, refOf, subjectOf } from '../../src/diagnose/evidence.js';
import {
  byName,
  clip,
  containerSites,
  eventsEvidence,
  findingObjects,
  isTerminating,
  podEvents,
  podsPhrase,
  subjectRef,
  type ContainerSite,
} from './lib/pod-facts.js';
import { describeProbe } from './lib/probes.js';

export const RULE_ID = 'pods/not-ready';

/** Apps take a while to warm up; only a container unready for longer than this is reported. */
const GRACE_MS = 2 * 60 * 1000;
const READINESS_FAILED = /^Readiness probe failed/;

interface NotReady {
  pod: Pod;
  site: ContainerSite;
  since: number;
  sinceText: string;
  events: ReturnType<typeof podEvents>;
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

export function formatDuration(ms: number): string {
  const minutes = Math.floor(ms / 60_000);
  if (minutes < 60) return `${minutes} minute${minutes === 1 ? '' : 's'}`;
  const hours = Math.floor(minutes / 60);
  if (hours < 48) return `${hours} hour${hours === 1 ? '' : 's'}`;
  return `${Math.floor(hours / 24)} days`;
}

function notReady(
  snapshot: Parameters<Rule['diagnose']>[0]['snapshot'],
  pod: Pod,
  site: ContainerSite,
  now: number,
): NotReady | undefined {
  if (site.init || site.status.ready !== false || !site.status.state?.running) return undefined;
  // Unready since the later of "container started" and "pod became unready".
  const started = Date.parse(site.status.state.running.startedAt ?? '');
  const unready = Date.parse(readyCondition(pod)?.lastTransitionTime ?? '');
  const candidates = [started, unready].filter(Number.isFinite);
  if (candidates.length === 0) return undefined;
  const since = Math.max(...candidates);
  if (now - since < GRACE_MS) return undefined;
  const events = podEvents(snapshot, pod, site).filter(
    (e) => e.reason === 'Unhealthy' && READINESS_FAILED.test(e.message ?? ''),
  );
  if (events.length === 0 && !site.spec?.readinessProbe) return undefined;
  return { pod, site, since, sinceText: new Date(since).toISOString().replace('.000Z', 'Z'), events };
}

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
  return ev;
}

export const rule: Rule = {
  id: RULE_ID,
  title: 'Container runs but is not ready',
  diagnose(ctx) {
    const snapshot = ctx.snapshot;
    const groups = new Map<string, { owner: KubeObject; items: NotReady[] }>();
    for (const pod of byName(snapshot.pods)) {
      if (isTerminating(pod) || pod.status?.phase !== 'Running') continue;
      for (const site of containerSites(pod)) {
        const n = notReady(snapshot, pod, site, ctx.now);
        if (!n) continue;
        const owner = subjectOf(snapshot, pod);
        const key = `${refKey(refOf(owner))}|${site.name}`;
        const g = groups.get(key);
        if (g) g.items.push(n);
        else groups.set(key, { owner, items: [n] });
      }
    }
    const findings: RawFinding[] = [];
    for (const { owner, items } of groups.values()) {
      const n = items.find((x) => x.events.length > 0) ?? items[0]!;
      const pods = items.map((x) => x.pod);
      const subject = subjectRef(owner, pods);
      const c = n.site.name;
      const latest = n.events[n.events.length - 1]?.message;
      const said = latest
        ? `: its readiness probe keeps failing with "${clip(latest, 400)}"`
        : ': its readiness probe does not pass';
      findings.push({
        id: findingId(RULE_ID, subject, `${c}/readiness`),
        ruleId: RULE_ID,
        severity: 'warning',
        subject,
        title: `${c} is running but not ready: its readiness probe fails`,
        explanation: [
          `Container ${c} (${podsPhrase(pods)}) has been running for ${formatDuration(ctx.now - n.since)} but is not ready${said}.`,
          'A readiness probe is how an app tells Kubernetes it can take traffic: until it passes, Services send this pod no requests and rollouts wait for it. Kubernetes does not restart the container for this; the app itself says it is not ready yet, usually because it waits for something (a database, the other members of its cluster, a warm-up).',
          "The probe's message says what it waits for: fix that, and the pod becomes ready by itself.",
        ].join(' '),
        evidence: evidenceOf(n),
        objects: findingObjects(owner, pods),
        fixes: [
          {
            id: 'find-why-not-ready',
            title: `Find out what ${c} waits for`,
            explanation: "The app's log and the probe's message name what it is waiting for.",
            commands: [
              `kubectl logs ${n.pod.metadata.name} -c ${c}${nsFlag(n.pod.metadata.namespace)} --tail=50`,
              `kubectl describe pod ${n.pod.metadata.name}${nsFlag(n.pod.metadata.namespace)}`,
            ],
            steps: [
              {
                action: 'manual',
                description: `Read ${c}'s log and the readiness probe's message, and fix what it waits for.`,
              },
            ],
            mutates: false,
          },
        ],
      });
    }
    return findings;
  },
};
