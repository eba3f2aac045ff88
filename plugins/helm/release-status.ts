// The newest revision of a Helm release is `failed`, or stuck in a `pending-*` state.
// A failed revision carries helm's own error as its description; a pending one means a helm
// process is running, or died mid-operation and left the release locked so every further
// install/upgrade/rollback fails with "another operation ... is in progress".
import type { HelmRelease, Workload } from '../../src/model/k8s.js';
import type { Snapshot } from '../../src/store/snapshot.js';
import type { Evidence, FixPlan, ObjectRef, RuleContext } from '../../src/diagnose/types.js';
import { defineRule, type Case, type CaseGroup, type Explained } from '../../src/diagnose/define-rule.js';
import { parseErrorText } from '../../src/diagnose/error-text.js';
import { durationWords } from '../../src/util/duration.js';
import { clip, refOf } from '../../src/diagnose/evidence.js';
import { manualPlan } from '../../src/diagnose/plans.js';
import { RULE_IDS } from '../../src/diagnose/rule-ids.js';

/** A helm operation that has not finished after this long is not running any more. */
const STUCK_AFTER_MS = 10 * 60_000;

const PENDING = new Set(['pending-install', 'pending-upgrade', 'pending-rollback']);

export function releaseRef(r: HelmRelease): ObjectRef {
  return { kind: 'HelmRelease', namespace: r.namespace, name: r.name };
}

/** The newest earlier revision that was deployed at some point: where a rollback can go. */
function lastGoodRevision(snapshot: Snapshot, r: HelmRelease): HelmRelease | undefined {
  return snapshot.helmReleases
    .filter(
      (o) =>
        o.name === r.name &&
        o.namespace === r.namespace &&
        o.revision < r.revision &&
        (o.status === 'deployed' || o.status === 'superseded'),
    )
    .sort((a, b) => b.revision - a.revision)[0];
}

function chartText(r: HelmRelease): string {
  return r.chartName ? `chart ${r.chartName}${r.chartVersion ? `-${r.chartVersion}` : ''}` : 'chart unknown';
}

function statusEvidence(r: HelmRelease): Evidence[] {
  const ev: Evidence[] = [
    {
      source: 'helm',
      ref: releaseRef(r),
      path: 'info.status',
      text: `${r.status} (revision ${r.revision}, ${chartText(r)})`,
    },
  ];
  if (r.description)
    ev.push({ source: 'helm', ref: releaseRef(r), path: 'info.description', text: clip(r.description) });
  if (r.lastDeployed) ev.push({ source: 'helm', ref: releaseRef(r), path: 'info.last_deployed', text: r.lastDeployed });
  return ev;
}

/** The release's workloads that are not fully ready: a failed `--wait` usually waited for them. */
function unreadyWorkloads(snapshot: Snapshot, r: HelmRelease): ObjectRef[] {
  const workloads: [Workload, string][] = [
    ...snapshot.deployments.map((w): [Workload, string] => [w, 'Deployment']),
    ...snapshot.statefulSets.map((w): [Workload, string] => [w, 'StatefulSet']),
  ];
  return workloads
    .filter(
      ([w]) =>
        w?.metadata?.namespace === r.namespace && w.metadata.annotations?.['meta.helm.sh/release-name'] === r.name,
    )
    .filter(([w]) => (w.status?.readyReplicas ?? 0) < (typeof w.spec?.replicas === 'number' ? w.spec.replicas : 1))
    .map(([w, kind]) => refOf(w, kind));
}

/** What the stored error means, in a sentence, when kcockpit recognises it. */
function causeHint(description: string): string {
  const parsed = parseErrorText(description);
  const missing = parsed.filter((e) => e.kind === 'no-matches');
  if (missing.length > 0) {
    const kinds = [
      ...new Set(missing.map((e) => (e.kind === 'no-matches' ? `${e.resourceKind} (${e.apiVersion})` : ''))),
    ].join(', ');
    return ` The chart creates kinds the cluster does not serve: ${kinds}. Install what provides them first (see the finding about the missing API group), then retry.`;
  }
  if (parsed.some((e) => e.kind === 'timeout')) {
    return " Helm waited for the release's resources to become ready and gave up: the real cause is why they are not ready, so look at the findings about its workloads and pods, fix that, then retry.";
  }
  if (parsed.some((e) => e.kind === 'ownership-conflict')) {
    return ' An object the chart creates already exists and belongs to something else: adopt it into the release or remove it, then retry.';
  }
  return '';
}

// ---- classify

interface ReleaseCase extends Case {
  release: HelmRelease;
  status: 'failed' | 'pending';
  /** What helm was doing: install, upgrade or rollback. */
  operation: string;
  /** The newest earlier revision that deployed: where a rollback can go. */
  good: HelmRelease | undefined;
  /** How long a pending operation has been pending, when known. */
  age: number | undefined;
  /** Pending for longer than any operation takes: the helm process died. */
  stuck: boolean;
}

function failedOperation(r: HelmRelease): string {
  const description = r.description ?? '';
  return /^Upgrade "/.test(description)
    ? 'upgrade'
    : /^Rollback "/.test(description)
      ? 'rollback'
      : r.revision === 1
        ? 'install'
        : 'upgrade';
}

function* classify(ctx: RuleContext): Iterable<ReleaseCase> {
  for (const r of ctx.snapshot.latestReleases()) {
    if (!r || typeof r.name !== 'string' || typeof r.status !== 'string') continue;
    const good = lastGoodRevision(ctx.snapshot, r);
    const subject = releaseRef(r);
    if (r.status === 'failed')
      yield {
        subject,
        release: r,
        status: 'failed',
        operation: failedOperation(r),
        good,
        age: undefined,
        stuck: false,
      };
    else if (PENDING.has(r.status)) {
      const since = Date.parse(r.lastDeployed ?? r.firstDeployed ?? '');
      const age = Number.isNaN(since) ? undefined : ctx.now - since;
      const stuck = age !== undefined && age >= STUCK_AFTER_MS;
      yield { subject, release: r, status: 'pending', operation: r.status.replace('pending-', ''), good, age, stuck };
    }
  }
}

// ---- explain

/** How to get out of a pending state: the words of the explanation and of the plan alike. */
function unlockText({ release: r, good, operation }: ReleaseCase): string {
  const ns = ` -n ${r.namespace}`;
  return r.status === 'pending-install' || !good
    ? `\`helm uninstall ${r.name}${ns}\` removes the half-installed release and what it created; then install again.`
    : `\`helm rollback ${r.name} ${good.revision}${ns}\` goes back to revision ${good.revision}, the last one that deployed, and clears the lock; then run your ${operation} again.`;
}

function explainFailed(snapshot: Snapshot, c: ReleaseCase): Explained {
  const { release: r, good, operation } = c;
  const description = r.description ?? '';
  const evidence = statusEvidence(r);
  if (good)
    evidence.push({
      source: 'helm',
      ref: c.subject,
      path: 'revision',
      text: `revision ${good.revision} (${chartText(good)}) was the last one that deployed`,
    });
  const next = good
    ? `Fix the cause, then run the ${operation} again, or roll back to revision ${good.revision}, the last one that worked.`
    : 'Fix the cause, then uninstall the failed release and install it again.';
  const explained: Explained = {
    severity: 'critical',
    title: `Helm release ${r.name}: the last ${operation} failed (revision ${r.revision})`,
    explanation:
      `Helm's last ${operation} of release ${r.name} in ${r.namespace} (revision ${r.revision}, ${chartText(r)}) failed${description ? `: "${clip(description, 500)}"` : ''}. ` +
      `helm list shows it as failed, and its objects are as the failed ${operation} left them, partly old and partly new.${causeHint(description)} ${next}`,
    evidence,
  };
  const unready = unreadyWorkloads(snapshot, r);
  if (unready.length > 0) explained.dependsOn = unready;
  return explained;
}

function explainPending(c: ReleaseCase): Explained {
  const { release: r, operation, stuck } = c;
  const howLong = c.age !== undefined ? ` for ${durationWords(c.age)}` : '';
  return {
    severity: stuck ? 'critical' : 'warning',
    title: stuck
      ? `Helm release ${r.name} is stuck in ${r.status}${howLong}`
      : `Helm release ${r.name} is ${r.status}${howLong}`,
    explanation:
      `Release ${r.name} in ${r.namespace} (revision ${r.revision}, ${chartText(r)}) has been ${r.status}${howLong}. Helm sets that status while an ${operation} runs and replaces it when the ${operation} ends. ` +
      (stuck
        ? `No ${operation} takes that long, so the helm process most likely died mid-operation (interrupted, a CI job killed, a lost connection). `
        : `A helm command may still be running (yours or a CI job's): if so, wait for it. `) +
      `While the release is in this state it is locked: every install, upgrade or rollback fails with "another operation (install/upgrade/rollback) is in progress". ` +
      `To unlock it: ${unlockText(c)}`,
    evidence: statusEvidence(r),
  };
}

// ---- plans

function failedPlans({ release: r, good, operation }: ReleaseCase): FixPlan[] {
  const ns = ` -n ${r.namespace}`;
  return good
    ? [
        manualPlan({
          id: 'rollback-release',
          title: `Roll back ${r.name} to revision ${good.revision}`,
          explanation: `Roll back to revision ${good.revision}, the last one that deployed: helm records it as a new revision and puts the objects back as they were. This undoes the changes of the failed ${operation}; fix the cause before you try it again.`,
          commands: [`helm rollback ${r.name} ${good.revision}${ns}`],
        }),
      ]
    : [
        manualPlan({
          id: 'reinstall-release',
          title: `Uninstall the failed release ${r.name}, then install again`,
          explanation: `No revision of ${r.name} ever deployed, so there is nothing to roll back to and \`helm upgrade\` refuses it ("has no deployed releases"). Once the cause is fixed, uninstall the failed release and install it again.`,
          commands: [`helm uninstall ${r.name}${ns}`],
        }),
      ];
}

function pendingPlans(c: ReleaseCase): FixPlan[] {
  const { release: r, good, operation } = c;
  const ns = ` -n ${r.namespace}`;
  const unlock = unlockText(c);
  const fixes: FixPlan[] =
    r.status === 'pending-install' || !good
      ? [
          manualPlan({
            id: 'uninstall-release',
            title: `Uninstall the stuck release ${r.name}`,
            explanation: unlock,
            commands: [`helm uninstall ${r.name}${ns}`],
          }),
        ]
      : [
          manualPlan({
            id: 'rollback-release',
            title: `Roll back ${r.name} to revision ${good.revision}`,
            explanation: unlock,
            commands: [`helm rollback ${r.name} ${good.revision}${ns}`],
          }),
        ];
  if (c.stuck && good) {
    // The other known way out: forget the interrupted revision, keeping the objects as they are.
    const secret: ObjectRef = { kind: 'Secret', namespace: r.namespace, name: r.storageSecret };
    const description = `Delete ${r.storageSecret}, helm's record of the interrupted revision ${r.revision}: revision ${good.revision} becomes the current one again and the lock is gone. Objects the interrupted ${operation} already changed stay as they are until the next upgrade.`;
    fixes.push({
      id: 'delete-pending-revision',
      title: `Forget the interrupted revision ${r.revision}`,
      explanation: description,
      commands: [`kubectl delete secret ${r.storageSecret}${ns}`],
      steps: [{ action: 'delete', ref: secret, description }],
      mutates: true,
    });
  }
  return fixes;
}

export const rule = defineRule({
  id: RULE_IDS.helmReleaseStatus,
  title: 'Helm releases that failed or are stuck mid-operation',
  classify,
  explain: ({ lead }: CaseGroup<ReleaseCase>, ctx) =>
    lead.status === 'failed' ? explainFailed(ctx.snapshot, lead) : explainPending(lead),
  plans: ({ lead }: CaseGroup<ReleaseCase>) => (lead.status === 'failed' ? failedPlans(lead) : pendingPlans(lead)),
});
