// The job controller and the cronjob controller's bookkeeping (pkg/controller/job,
// pkg/controller/cronjob). A Job runs its pods until enough succeed or, past `backoffLimit`
// failed pods, gives up with the real condition and event (api-samples/job-failed-backofflimit.json,
// events-job-backofflimit.json): Failed/BackoffLimitExceeded "Job has reached the specified
// backoff limit"; past `activeDeadlineSeconds`, Failed/DeadlineExceeded "Job was active longer
// than specified deadline". A CronJob starts a Job when its schedule fires (the scenario says
// when the controller runs; the Job is named after the schedule's last fire time), lists it as active, and records
// `Saw completed job: <job>, status: Failed` when it ends. A controller that gets to the start
// later than `startingDeadlineSeconds` allows starts nothing and says `MissSchedule`. While a
// Job is active, `concurrencyPolicy: Forbid` starts nothing and says `JobAlreadyActive`, and
// `Replace` deletes the active Jobs first (`SuccessfulDelete`); an active Job deleted by
// someone else leaves the list with `MissingJob`.
import type { CronJob, Job, JobCondition, KubeObject, Pod } from '../../model/k8s.js';
import type { SimApi } from '../api.js';
import { rfc3339 } from '../clock.js';
import { lastFireAtOrBefore } from '../cron.js';
import { recordEvent } from '../events.js';
import type { SimState, WatchEvent } from '../state.js';
import { ApiError } from '../status.js';
import { controllerOf, isTerminal, ownedBy, ownerRef, writeStatus } from './util.js';

const finished = (job: Job): JobCondition | undefined =>
  job.status?.conditions?.find((c) => (c.type === 'Complete' || c.type === 'Failed') && c.status === 'True');

export class JobController {
  constructor(
    private readonly state: SimState,
    private readonly api: SimApi,
  ) {}

  handle(ev: WatchEvent): void {
    const obj = ev.entry.obj;
    if (ev.type === 'DELETED') return;
    if (ev.entry.def.kind === 'Job') this.sync(obj as Job);
    else if (ev.entry.def.kind === 'Pod') {
      const owner = controllerOf(obj);
      if (owner?.kind === 'Job') {
        const job = this.state.find('Job', obj.metadata.namespace, owner.name) as Job | undefined;
        if (job) this.sync(job);
      }
    }
  }

  /** Time passed: jobs past their active deadline fail. */
  resync(): void {
    for (const job of this.state.objectsOf<Job>('Job')) this.sync(job);
  }

  private event(job: Job, type: 'Normal' | 'Warning', reason: string, message: string): void {
    recordEvent(this.state, job, { type, reason, message, component: 'job-controller' });
  }

  private sync(stale: Job): void {
    const job = this.state.find('Job', stale.metadata.namespace, stale.metadata.name) as Job | undefined;
    if (!job || finished(job) || job.spec.suspend) return;
    const now = this.state.now();
    const pods = ownedBy<Pod>(this.state, 'Pod', job);
    const active = pods.filter((p) => !isTerminal(p) && !p.metadata.deletionTimestamp);
    const succeeded = pods.filter((p) => p.status?.phase === 'Succeeded').length;
    const failed = pods.filter((p) => p.status?.phase === 'Failed').length;
    const startTime = job.status?.startTime ?? rfc3339(now);
    const completions = job.spec.completions ?? 1;
    const deadline = job.spec.activeDeadlineSeconds;

    let verdict: JobCondition | undefined;
    if (failed > (job.spec.backoffLimit ?? 6))
      verdict = this.condition('Failed', 'BackoffLimitExceeded', 'Job has reached the specified backoff limit', now);
    else if (deadline !== undefined && now - Date.parse(startTime) >= deadline * 1000)
      verdict = this.condition('Failed', 'DeadlineExceeded', 'Job was active longer than specified deadline', now);
    else if (succeeded >= completions)
      verdict = { type: 'Complete', status: 'True', lastProbeTime: rfc3339(now), lastTransitionTime: rfc3339(now) };

    let running = active.length;
    if (verdict) {
      for (const p of active) this.state.delete('Pod', p.metadata.namespace, p.metadata.name);
      running = 0;
    } else {
      const want = Math.min(job.spec.parallelism ?? 1, completions - succeeded) - active.length;
      for (let i = 0; i < want; i++) if (this.createPod(job)) running++;
    }
    const status: Record<string, unknown> = {};
    const conditions = [...(job.status?.conditions ?? []), ...(verdict ? [verdict] : [])];
    if (conditions.length) status['conditions'] = conditions;
    status['startTime'] = startTime;
    if (verdict?.type === 'Complete') status['completionTime'] = rfc3339(now);
    if (running) status['active'] = running;
    if (succeeded) status['succeeded'] = succeeded;
    if (failed) status['failed'] = failed;
    status['uncountedTerminatedPods'] = {};
    writeStatus(this.state, job, status);
    if (verdict?.type === 'Failed') this.event(job, 'Warning', verdict.reason as string, verdict.message as string);
    if (verdict?.type === 'Complete') this.event(job, 'Normal', 'Completed', 'Job completed');
  }

  private condition(type: string, reason: string, message: string, now: number): JobCondition {
    return { type, status: 'True', lastProbeTime: rfc3339(now), lastTransitionTime: rfc3339(now), reason, message };
  }

  private createPod(job: Job): boolean {
    const template = job.spec.template;
    const pod = {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: {
        generateName: `${job.metadata.name}-`,
        namespace: job.metadata.namespace,
        labels: { ...(template.metadata?.labels ?? {}) },
        ...(template.metadata?.annotations ? { annotations: template.metadata.annotations } : {}),
        ownerReferences: [ownerRef(job)],
      },
      spec: structuredClone(template.spec),
    } as unknown as Pod;
    try {
      const made = this.api.create(this.state.registry.forKind('Pod')!, job.metadata.namespace, pod, {
        fieldManager: 'kube-controller-manager',
      });
      this.event(job, 'Normal', 'SuccessfulCreate', `Created pod: ${made.metadata.name}`);
      return true;
    } catch (e) {
      if (!(e instanceof ApiError)) throw e;
      this.event(job, 'Warning', 'FailedCreate', `Error creating: ${e.message}`);
      return false;
    }
  }
}

export class CronJobController {
  constructor(
    private readonly state: SimState,
    private readonly api: SimApi,
  ) {}

  private event(cj: CronJob, type: 'Normal' | 'Warning', reason: string, message: string): void {
    recordEvent(this.state, cj, { type, reason, message, component: 'cronjob-controller' });
  }

  /** The controller runs now and finds the schedule's last fire time due: it starts the Job, named after that minute. */
  fire(namespace: string, name: string): void {
    const cj = this.state.find('CronJob', namespace, name) as CronJob | undefined;
    if (!cj) throw new Error(`cronjob ${namespace}/${name} does not exist`);
    if (cj.spec.suspend) return;
    const now = this.state.now();
    const scheduled = lastFireAtOrBefore(cj.spec.schedule, now) ?? Math.floor(now / 60_000) * 60_000;
    const deadline = cj.spec.startingDeadlineSeconds;
    if (typeof deadline === 'number' && scheduled + deadline * 1000 < now) {
      // Go's RFC1123Z of the UTC time: `Thu, 03 Dec 2026 09:25:00 +0000`.
      const when = new Date(scheduled).toUTCString().replace('GMT', '+0000');
      this.event(cj, 'Warning', 'MissSchedule', `Missed scheduled time to start a job: ${when}`);
      return;
    }
    if (!this.makeRoom(cj)) return;
    const jt = cj.spec.jobTemplate;
    const job = {
      apiVersion: 'batch/v1',
      kind: 'Job',
      metadata: {
        name: `${name}-${scheduled / 60_000}`,
        namespace,
        ...(jt.metadata?.labels ? { labels: { ...jt.metadata.labels } } : {}),
        annotations: {
          ...(jt.metadata?.annotations ?? {}),
          'batch.kubernetes.io/cronjob-scheduled-timestamp': rfc3339(scheduled),
        },
        ownerReferences: [ownerRef(cj)],
      },
      spec: structuredClone(jt.spec),
    } as Job;
    let made: KubeObject;
    try {
      made = this.api.create(this.state.registry.forKind('Job')!, namespace, job, {
        fieldManager: 'kube-controller-manager',
      });
    } catch (e) {
      if (!(e instanceof ApiError)) throw e;
      this.event(cj, 'Warning', 'FailedCreate', `Error creating job: ${e.message}`);
      return;
    }
    this.event(cj, 'Normal', 'SuccessfulCreate', `Created job ${made.metadata.name}`);
    const latest = this.state.find('CronJob', namespace, name) as CronJob;
    const ref = {
      kind: 'Job',
      namespace,
      name: made.metadata.name,
      uid: made.metadata.uid ?? '',
      apiVersion: 'batch/v1',
      resourceVersion: made.metadata.resourceVersion ?? '',
    };
    writeStatus(this.state, latest, {
      ...(latest.status ?? {}),
      active: [...(latest.status?.active ?? []), ref],
      lastScheduleTime: rfc3339(scheduled),
    });
  }

  /**
   * What the concurrency policy asks before a start, in the controller's words: false when
   * Forbid waits for an active Job; Replace deletes the active Jobs (with their pods).
   */
  private makeRoom(cj: CronJob): boolean {
    const active = cj.status?.active ?? [];
    if (active.length === 0) return true;
    if (cj.spec.concurrencyPolicy === 'Forbid') {
      this.event(
        cj,
        'Normal',
        'JobAlreadyActive',
        'Not starting job because prior execution is running and concurrency policy is Forbid',
      );
      return false;
    }
    if (cj.spec.concurrencyPolicy !== 'Replace') return true;
    writeStatus(this.state, cj, { ...(cj.status ?? {}), active: [] });
    for (const a of active) {
      try {
        this.api.delete(
          this.state.registry.forKind('Job')!,
          a.namespace ?? cj.metadata.namespace,
          a.name,
          { propagationPolicy: 'Background' },
          { fieldManager: 'kube-controller-manager' },
        );
      } catch (e) {
        if (!(e instanceof ApiError) || e.status.code !== 404) throw e;
      }
      this.event(cj, 'Normal', 'SuccessfulDelete', `Deleted job ${a.name}`);
    }
    return true;
  }

  handle(ev: WatchEvent): void {
    if (ev.entry.def.kind !== 'Job') return;
    const job = ev.entry.obj as Job;
    if (ev.type === 'DELETED') return this.missing(job);
    const owner = controllerOf(job);
    const done = finished(job);
    if (owner?.kind !== 'CronJob' || !done) return;
    const cj = this.state.find('CronJob', job.metadata.namespace, owner.name) as CronJob | undefined;
    if (!cj || !(cj.status?.active ?? []).some((a) => a.uid === job.metadata.uid)) return;
    const status = {
      ...(cj.status ?? {}),
      active: (cj.status?.active ?? []).filter((a) => a.uid !== job.metadata.uid),
      ...(done.type === 'Complete'
        ? { lastSuccessfulTime: job.status?.completionTime ?? done.lastTransitionTime }
        : {}),
    };
    if (!status.active.length) delete (status as { active?: unknown }).active;
    writeStatus(this.state, cj, status);
    this.event(cj, 'Normal', 'SawCompletedJob', `Saw completed job: ${job.metadata.name}, status: ${done.type}`);
    this.cleanupHistory(cj);
  }

  /** An active Job deleted by someone else: the controller's next sync drops it from the list. */
  private missing(job: Job): void {
    const owner = controllerOf(job);
    if (owner?.kind !== 'CronJob') return;
    const cj = this.state.find('CronJob', job.metadata.namespace, owner.name) as CronJob | undefined;
    if (!cj || !(cj.status?.active ?? []).some((a) => a.uid === job.metadata.uid)) return;
    const status = {
      ...(cj.status ?? {}),
      active: (cj.status?.active ?? []).filter((a) => a.uid !== job.metadata.uid),
    };
    if (!status.active.length) delete (status as { active?: unknown }).active;
    writeStatus(this.state, cj, status);
    this.event(cj, 'Normal', 'MissingJob', `Active job went missing: ${job.metadata.name}`);
  }

  /** successfulJobsHistoryLimit / failedJobsHistoryLimit: the oldest finished jobs go. */
  private cleanupHistory(cj: CronJob): void {
    const jobs = ownedBy<Job>(this.state, 'Job', cj).sort((a, b) =>
      (a.metadata.creationTimestamp ?? '') < (b.metadata.creationTimestamp ?? '') ? -1 : 1,
    );
    for (const [type, limit] of [
      ['Complete', cj.spec.successfulJobsHistoryLimit ?? 3],
      ['Failed', cj.spec.failedJobsHistoryLimit ?? 1],
    ] as const) {
      const ended = jobs.filter((j) => finished(j)?.type === type);
      for (const old of ended.slice(0, Math.max(0, ended.length - limit))) {
        this.state.delete('Job', old.metadata.namespace, old.metadata.name);
        this.event(cj, 'Normal', 'SuccessfulDelete', `Deleted job ${old.metadata.name}`);
      }
    }
  }
}
