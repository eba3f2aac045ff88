// The newest revision of a Helm release is `failed`, or stuck in a `pending-*` state.
// A failed revision carries helm's own error as its description; a pending one means a helm
// process is running, or died mid-operation and left the release locked so every further
// install/upgrade/rollback fails with "another operation ... is in progress".
import type { HelmRelease, Workload } from '../../src/model/k8s.js';
import type { Snapshot } from '../../src/store/snapshot.js';
import type { Evidence, FixPlan, ObjectRef, RawFinding, Rule, RuleContext } from '../../src/diagnose/types.js';
import { parseErrorText } from '../../src/diagnose/error-text.js';
import { durationWords } from '../../src/util/duration.js';
import { clip, findingId, refOf } from '../../src/diagnose/evidence.js';

const RULE_ID = 'helm/release-status';

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

function failedFinding(snapshot: Snapshot, r: HelmRelease): RawFinding {
  const ref = releaseRef(r);
  const good = lastGoodRevision(snapshot, r);
  const description = r.description ?? '';
  const operation = /^Upgrade "/.test(description)
    ? 'upgrade'
    : /^Rollback "/.test(description)
      ? 'rollback'
      : r.revision === 1
        ? 'install'
        : 'upgrade';
  const ns = ` -n ${r.namespace}`;
  const evidence = statusEvidence(r);
  const fixes: FixPlan[] = [];
  let next: string;
  if (good) {
    evidence.push({
      source: 'helm',
      ref,
      path: 'revision',
      text: `revision ${good.revision} (${chartText(good)}) was the last one that deployed`,
    });
    const description = `Roll back to revision ${good.revision}, the last one that deployed: helm records it as a new revision and puts the objects back as they were. This undoes the changes of the failed ${operation}; fix the cause before you try it again.`;
    fixes.push({
      id: 'rollback-release',
      title: `Roll back ${r.name} to revision ${good.revision}`,
      explanation: description,
      commands: [`helm rollback ${r.name} ${good.revision}${ns}`],
      steps: [{ action: 'manual', description }],
      mutates: false,
    });
    next = `Fix the cause, then run the ${operation} again, or roll back to revision ${good.revision}, the last one that worked.`;
  } else {
    const description = `No revision of ${r.name} ever deployed, so there is nothing to roll back to and \`helm upgrade\` refuses it ("has no deployed releases"). Once the cause is fixed, uninstall the failed release and install it again.`;
    fixes.push({
      id: 'reinstall-release',
      title: `Uninstall the failed release ${r.name}, then install again`,
      explanation: description,
      commands: [`helm uninstall ${r.name}${ns}`],
      steps: [{ action: 'manual', description }],
      mutates: false,
    });
    next = 'Fix the cause, then uninstall the failed release and install it again.';
  }
  const finding: RawFinding = {
    id: findingId(RULE_ID, ref),
    ruleId: RULE_ID,
    severity: 'critical',
    subject: ref,
    title: `Helm release ${r.name}: the last ${operation} failed (revision ${r.revision})`,
    explanation:
      `Helm's last ${operation} of release ${r.name} in ${r.namespace} (revision ${r.revision}, ${chartText(r)}) failed${description ? `: "${clip(description, 500)}"` : ''}. ` +
      `helm list shows it as failed, and its objects are as the failed ${operation} left them, partly old and partly new.${causeHint(description)} ${next}`,
    evidence,
    objects: [ref],
    fixes,
  };
  const unready = unreadyWorkloads(snapshot, r);
  if (unready.length > 0) finding.dependsOn = unready;
  return finding;
}

function pendingFinding(snapshot: Snapshot, r: HelmRelease, now: number): RawFinding {
  const ref = releaseRef(r);
  const since = Date.parse(r.lastDeployed ?? r.firstDeployed ?? '');
  const age = Number.isNaN(since) ? undefined : now - since;
  const stuck = age !== undefined && age >= STUCK_AFTER_MS;
  const operation = r.status.replace('pending-', '');
  const good = lastGoodRevision(snapshot, r);
  const ns = ` -n ${r.namespace}`;
  const evidence = statusEvidence(r);
  const fixes: FixPlan[] = [];

  let unlock: string;
  if (r.status === 'pending-install' || !good) {
    unlock = `\`helm uninstall ${r.name}${ns}\` removes the half-installed release and what it created; then install again.`;
    fixes.push({
      id: 'uninstall-release',
      title: `Uninstall the stuck release ${r.name}`,
      explanation: unlock,
      commands: [`helm uninstall ${r.name}${ns}`],
      steps: [{ action: 'manual', description: unlock }],
      mutates: false,
    });
  } else {
    unlock = `\`helm rollback ${r.name} ${good.revision}${ns}\` goes back to revision ${good.revision}, the last one that deployed, and clears the lock; then run your ${operation} again.`;
    fixes.push({
      id: 'rollback-release',
      title: `Roll back ${r.name} to revision ${good.revision}`,
      explanation: unlock,
      commands: [`helm rollback ${r.name} ${good.revision}${ns}`],
      steps: [{ action: 'manual', description: unlock }],
      mutates: false,
    });
  }
  if (stuck && good) {
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

  const howLong = age !== undefined ? ` for ${durationWords(age)}` : '';
  return {
    id: findingId(RULE_ID, ref),
    ruleId: RULE_ID,
    severity: stuck ? 'critical' : 'warning',
    subject: ref,
    title: stuck
      ? `Helm release ${r.name} is stuck in ${r.status}${howLong}`
      : `Helm release ${r.name} is ${r.status}${howLong}`,
    explanation:
      `Release ${r.name} in ${r.namespace} (revision ${r.revision}, ${chartText(r)}) has been ${r.status}${howLong}. Helm sets that status while an ${operation} runs and replaces it when the ${operation} ends. ` +
      (stuck
        ? `No ${operation} takes that long, so the helm process most likely died mid-operation (interrupted, a CI job killed, a lost connection). `
        : `A helm command may still be running (yours or a CI job's): if so, wait for it. `) +
      `While the release is in this state it is locked: every install, upgrade or rollback fails with "another operation (install/upgrade/rollback) is in progress". ` +
      `To unlock it: ${unlock}`,
    evidence,
    objects: [ref],
    fixes,
  };
}

function diagnose(ctx: RuleContext): RawFinding[] {
  const findings: RawFinding[] = [];
  for (const r of ctx.snapshot.latestReleases()) {
    if (!r || typeof r.name !== 'string' || typeof r.status !== 'string') continue;
    if (r.status === 'failed') findings.push(failedFinding(ctx.snapshot, r));
    else if (PENDING.has(r.status)) findings.push(pendingFinding(ctx.snapshot, r, ctx.now));
  }
  return findings;
}

export const rule: Rule = {
  id: RULE_ID,
  title: 'Helm releases that failed or are stuck mid-operation',
  diagnose,
};
