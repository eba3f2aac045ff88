// pods/init-failing: an init container that keeps the pod from starting. Init containers run
// one after another before any app container; while one crashes (Init:CrashLoopBackOff),
// failed for good (Init:Error under restartPolicy Never) or runs without end (Init:0/1 for
// minutes, usually waiting for a dependency), the app containers wait in PodInitializing.
// Why the init container fails is the same question as for any crash (its exit code, memory,
// log lines, a dependency it cannot reach), so the crash analysis of pods/crashloop is reused;
// what this rule adds is which step of the pod's start is stuck and what it holds back.
import type { Pod } from '../../src/model/k8s.js';
import type { Evidence, FixPlan, RuleContext } from '../../src/diagnose/types.js';
import { containerRule, type ContainerCase, type ContainerGroup } from '../../src/diagnose/container-rule.js';
import type { Explained } from '../../src/diagnose/define-rule.js';
import { clip, fieldEvidence, uniqueEvidence } from '../../src/diagnose/evidence.js';
import { containerSites, podContainers, podsPhrase, type ContainerSite } from '../../src/diagnose/pod-facts.js';
import { manualPlan, nsFlag } from '../../src/diagnose/plans.js';
import { RULE_IDS } from '../../src/diagnose/rule-ids.js';
import { durationWords } from '../../src/util/duration.js';
import { analyseCrash, classifyCrash, dependencyTarget, isHealthy, type CrashAnalysis } from './crashloop/classify.js';
import { crashCause, crashCauseText, dependsOnOf, evidenceOf, severityOf } from './crashloop/explain.js';
import { crashPlans } from './crashloop/plans.js';
import { isSidecar } from './lib/sidecar.js';

/** An init container may legitimately take a while (a migration, a download); past this it is stuck. */
const STUCK_MS = 10 * 60 * 1000;

type InitState = 'looping' | 'failed' | 'stuck';

interface InitCase extends ContainerCase {
  state: InitState;
  crash: CrashAnalysis;
  /** 1-based position among the pod's init containers, and how many there are. */
  step: number;
  steps: number;
  /** The app containers it holds back. */
  blocked: string[];
  /** When the stuck container started. */
  since: number | undefined;
}

function stateOf(
  pod: Pod,
  site: ContainerSite,
  ctx: RuleContext,
): { state: InitState; crash: CrashAnalysis } | undefined {
  const looping = classifyCrash(pod, site, ctx);
  if (looping) return { state: 'looping', crash: looping };
  const st = site.status;
  const terminated = st.state?.terminated;
  if (terminated && typeof terminated.exitCode === 'number' && terminated.exitCode !== 0)
    return { state: 'failed', crash: analyseCrash(pod, site, ctx, false) };
  const started = Date.parse(st.state?.running?.startedAt ?? '');
  if (pod.status?.phase === 'Pending' && Number.isFinite(started) && ctx.now - started > STUCK_MS)
    return { state: 'stuck', crash: analyseCrash(pod, site, ctx, false) };
  return undefined;
}

function classify(pod: Pod, site: ContainerSite, ctx: RuleContext): InitCase | undefined {
  if (!site.init || isSidecar(site.spec)) return undefined;
  const found = stateOf(pod, site, ctx);
  if (!found) return undefined;
  const { state, crash } = found;
  // Waiting on a Service that answers is not what holds a stuck container up.
  const waitsOn = state === 'stuck' && crash.dependency && !isHealthy(crash.dependency);
  const inits = podContainers(pod, true);
  return {
    pod,
    site,
    variant: state === 'stuck' ? (waitsOn ? 'waiting-dependency' : 'stuck') : crash.variant,
    state,
    crash,
    step: inits.findIndex((c) => c?.name === site.name) + 1,
    steps: inits.length,
    blocked: podContainers(pod, false)
      .map((c) => c?.name)
      .filter((n): n is string => typeof n === 'string'),
    since: state === 'stuck' ? Date.parse(site.status.state?.running?.startedAt ?? '') : undefined,
  };
}

/** A Job's pod that failed is the Job's story (jobs/failed); a pod that can still start, or a bare one that failed, is ours. */
function podsToCheck(pod: Pod): boolean {
  if (pod.status?.phase === 'Pending') return true;
  return (
    pod.status?.phase === 'Failed' &&
    !(Array.isArray(pod.metadata.ownerReferences) && pod.metadata.ownerReferences.some((o) => o?.kind === 'Job'))
  );
}

function blockedPhrase(n: InitCase): string {
  if (n.blocked.length === 0) return 'the app containers never start';
  return n.blocked.length === 1
    ? `app container ${n.blocked[0]} never starts`
    : `app containers ${n.blocked.join(', ')} never start`;
}

function titleOf(n: InitCase, now: number): string {
  const c = n.site.name;
  if (n.state === 'stuck') {
    const d = n.crash.dependency;
    const waiting = n.variant === 'waiting-dependency' && d ? `, waiting for ${dependencyTarget(d)}` : '';
    return `init container ${c} has run for ${durationWords(now - (n.since ?? now))} without finishing${waiting}: ${blockedPhrase(n)}`;
  }
  const verb = n.state === 'looping' ? 'keeps crashing' : 'failed';
  const cause = crashCause(n.crash);
  return `init container ${c} ${verb}${cause ? `: ${cause}` : ''} — ${blockedPhrase(n)}`;
}

function intro(n: InitCase, pods: readonly Pod[], now: number): string {
  const c = n.site.name;
  const step = n.steps > 1 ? ` (step ${n.step} of ${n.steps})` : '';
  const before = `Init containers run one after another before the app containers start, and each must finish successfully. Init container ${c}${step} of ${podsPhrase(pods)}`;
  const never = `so ${blockedPhrase(n)}: the pod stays ${n.state === 'failed' && n.pod.status?.phase === 'Failed' ? 'Failed' : 'Pending'} and serves nothing.`;
  switch (n.state) {
    case 'looping':
      return `${before} keeps failing (Init:CrashLoopBackOff, ${n.site.status.restartCount} restart${n.site.status.restartCount === 1 ? '' : 's'} so far; Kubernetes waits up to 5 minutes between tries), ${never}`;
    case 'failed':
      return `${before} failed (Init:Error)${n.pod.spec?.restartPolicy === 'Never' ? ' and, with restartPolicy Never, is not retried' : ''}, ${never}`;
    case 'stuck':
      return `${before} has been running for ${durationWords(now - (n.since ?? now))} without finishing (Init:${n.step - 1}/${n.steps}), ${never} An init container that never ends is usually waiting for something in a loop.`;
  }
}

function stuckText(n: InitCase): string {
  const d = n.crash.dependency;
  if (n.variant !== 'waiting-dependency' || !d)
    return `Its log says what it waits for (kubectl logs -c ${n.site.name}).`;
  const said = d.config
    ? `Its configuration names ${dependencyTarget(d)} (${d.config.path}: "${clip(d.config.text, 300)}")`
    : `Its log shows it cannot reach ${dependencyTarget(d)} ("${clip(d.hint.line, 300)}")`;
  if (!d.service)
    return `${said}, and there is no such Service${d.didYouMean ? ` — did you mean ${d.didYouMean}?` : ''}. Correct the address, or install what it waits for.`;
  const state = d.total === 0 ? 'which selects no running pods' : `which has ${d.ready} of ${d.total} pods ready`;
  return `${said}: Service ${d.service.metadata.name}, ${state}. That is what it waits for — a symptom, not the cause: fix ${d.service.metadata.name} and the pod starts by itself.`;
}

function evidence(n: InitCase): Evidence[] {
  const ev: Evidence[] = [];
  if (n.state === 'stuck') {
    ev.push(
      fieldEvidence(
        n.pod,
        `${n.site.statusPath}.state.running.startedAt`,
        n.site.status.state?.running?.startedAt ?? '',
      ),
    );
    const d = n.crash.dependency;
    if (d?.config) ev.push(fieldEvidence(n.pod, d.config.path, clip(d.config.text, 1000), 'spec'));
    const cmd = n.site.spec?.command ?? n.site.spec?.args;
    if (Array.isArray(cmd) && n.site.specPath)
      ev.push(
        fieldEvidence(
          n.pod,
          `${n.site.specPath}.${n.site.spec?.command ? 'command' : 'args'}`,
          clip(JSON.stringify(cmd), 1000),
          'spec',
        ),
      );
  } else ev.push(...evidenceOf(n.crash));
  const conditions = Array.isArray(n.pod.status?.conditions) ? n.pod.status.conditions : [];
  const i = conditions.findIndex((c) => c?.type === 'Initialized');
  const init = conditions[i];
  if (init && init.status !== 'True')
    ev.push(
      fieldEvidence(
        n.pod,
        `status.conditions[${i}]`,
        `Initialized=${init.status}${init.message ? `: ${init.message}` : ''}`,
      ),
    );
  for (const s of containerSites(n.pod).filter((x) => !x.init && x.status.state?.waiting))
    ev.push(fieldEvidence(n.pod, `${s.statusPath}.state.waiting.reason`, s.status.state!.waiting!.reason ?? ''));
  return uniqueEvidence(ev);
}

function explain(group: ContainerGroup<InitCase>, ctx: RuleContext): Explained {
  const n = group.lead;
  const explained: Explained = {
    severity:
      n.state === 'stuck'
        ? n.variant === 'waiting-dependency' && n.crash.dependency?.service
          ? 'warning'
          : 'critical'
        : severityOf({ ...n.crash, looping: true }),
    title: titleOf(n, ctx.now),
    explanation: `${intro(n, group.pods, ctx.now)} ${n.state === 'stuck' ? stuckText(n) : crashCauseText(ctx.snapshot, n.crash)}`,
    evidence: evidence(n),
  };
  const dependsOn =
    n.state === 'stuck'
      ? n.variant === 'waiting-dependency'
        ? dependsOnOf({ ...n.crash, variant: 'dependency' })
        : undefined
      : dependsOnOf(n.crash);
  if (dependsOn) explained.dependsOn = dependsOn;
  return explained;
}

function plans(group: ContainerGroup<InitCase>, ctx: RuleContext): FixPlan[] {
  const n = group.lead;
  if (n.state !== 'stuck')
    return crashPlans(
      { ...group, lead: { ...n, ...n.crash }, cases: group.cases.map((c) => ({ ...c, ...c.crash })) },
      ctx,
    );
  const d = n.crash.dependency;
  const ns = n.pod.metadata.namespace;
  return [
    manualPlan({
      id: 'find-what-init-waits-for',
      title:
        n.variant === 'waiting-dependency' && d
          ? `Make ${dependencyTarget(d)} available; ${n.site.name} then finishes by itself`
          : `Find out what init container ${n.site.name} waits for`,
      explanation:
        'The init container finishes once what it waits for answers; restarting the pod before that changes nothing.',
      commands: [
        `kubectl logs ${n.pod.metadata.name} -c ${n.site.name}${nsFlag(ns)} --tail=20`,
        ...(d?.service
          ? [
              `kubectl get endpointslices${nsFlag(d.service.metadata.namespace)} -l kubernetes.io/service-name=${d.service.metadata.name}`,
            ]
          : []),
      ],
      instructions:
        n.variant === 'waiting-dependency' && d
          ? `Fix ${d.service ? `Service ${d.service.metadata.name} (see the finding about its pods)` : `the address ${dependencyTarget(d)} in ${n.site.name}'s configuration`}, then watch the pod start.`
          : `Read ${n.site.name}'s log and its command, and make what it waits for available.`,
    }),
  ];
}

export const rule = containerRule({
  id: RULE_IDS.initFailing,
  title: 'Init container keeps the pod from starting',
  pods: podsToCheck,
  classify,
  // Explain from a replica that crashed with logs when there is one: it says the most.
  lead: (cases) => cases.find((x) => x.crash.logLines.length > 0) ?? cases[0]!,
  explain,
  plans,
});
