// `kubectl drain --ignore-daemonsets --delete-emptydir-data`: cordon the node, then ask the
// eviction API to remove each of its pods, so PodDisruptionBudgets decide (a 429 names the
// budget and the pod stays). As kubectl does, DaemonSet pods are left (their controller would
// put them straight back), mirror pods are left (the kubelet owns them; the API cannot delete
// them), and pods no controller owns are not evicted (nothing would recreate them; kubectl
// wants --force). What could not be evicted is reported, not hidden behind "applied".
import type { FixStep, ObjectRef } from '../../diagnose/types.js';
import type { Node, Pod } from '../../model/k8s.js';
import { KubeError } from '../../kube/errors.js';
import { CONTENT, isNotFound } from '../cluster.js';
import { commandFor } from '../commands.js';
import { refLabel } from '../render.js';
import type { StepPreview } from '../types.js';
import {
  BrokenOperation,
  lineOf,
  type Applied,
  type DryRunNote,
  type Operation,
  type StepContext,
} from '../operation.js';

type Step = Extract<FixStep, { action: 'drain' }>;

const MIRROR = 'kubernetes.io/config.mirror';

export interface DrainPlanOfPods {
  evict: Pod[];
  /** Left on the node, with why. */
  skip: { pod: Pod; why: string }[];
}

const podName = (p: Pod): string => `${p.metadata.namespace ?? ''}/${p.metadata.name}`;

/** Which pods a drain evicts and which it leaves, as kubectl's drain filters do. */
export function sortPods(pods: readonly Pod[]): DrainPlanOfPods {
  const out: DrainPlanOfPods = { evict: [], skip: [] };
  for (const pod of pods) {
    const controller = pod.metadata.ownerReferences?.find((o) => o.controller);
    // A static pod's mirror carries the annotation, and is owned by its Node.
    if (pod.metadata.annotations?.[MIRROR] !== undefined || controller?.kind === 'Node')
      out.skip.push({ pod, why: 'mirror pod' });
    else if (controller?.kind === 'DaemonSet') out.skip.push({ pod, why: 'DaemonSet' });
    else if (!controller && pod.status?.phase !== 'Succeeded' && pod.status?.phase !== 'Failed')
      out.skip.push({ pod, why: 'no controller: nothing would recreate it (kubectl drain --force deletes it)' });
    else out.evict.push(pod);
  }
  return out;
}

class DrainOperation implements Operation {
  readonly mutates = true;
  readonly executes = true;
  // One line for the cordon and one per eviction: the log says which pods went.
  readonly auditsItself = true;
  readonly label: string;

  constructor(
    private readonly ctx: StepContext,
    readonly step: Step,
    private readonly node: Node,
    private readonly pods: DrainPlanOfPods,
  ) {
    this.label = refLabel(step.ref);
  }

  preview(): StepPreview {
    const lines = [
      this.node.spec?.unschedulable
        ? `${this.label} is cordoned already (spec.unschedulable: true)`
        : `~ ${this.label}: cordon (spec.unschedulable: true): no new pods are scheduled here`,
    ];
    if (this.pods.evict.length === 0) lines.push('no pod to evict');
    for (const p of this.pods.evict) lines.push(`- evict Pod ${podName(p)}`);
    for (const { pod, why } of this.pods.skip) lines.push(`  leave Pod ${podName(pod)} (${why})`);
    return { step: this.step, ref: this.step.ref, diff: lines.join('\n'), command: commandFor(this.step) ?? '' };
  }

  private async cordon(dryRun: boolean): Promise<void> {
    await this.ctx.cluster.write({
      method: 'PATCH',
      path: await this.ctx.cluster.objectPath(this.step.ref),
      body: { spec: { unschedulable: true } },
      contentType: CONTENT.mergePatch,
      dryRun,
      action: `cordon ${this.label}`,
    });
  }

  /** undefined when the pod is evicted (or already gone); otherwise why not. */
  private async evict(pod: Pod, dryRun: boolean): Promise<string | undefined> {
    const ref: ObjectRef = { kind: 'Pod', name: pod.metadata.name, namespace: pod.metadata.namespace ?? 'default' };
    try {
      await this.ctx.cluster.write({
        method: 'POST',
        path: await this.ctx.cluster.objectPath(ref, 'eviction'),
        body: {
          apiVersion: 'policy/v1',
          kind: 'Eviction',
          metadata: { name: ref.name, namespace: ref.namespace },
          ...(pod.metadata.uid ? { deleteOptions: { preconditions: { uid: pod.metadata.uid } } } : {}),
        },
        dryRun,
        action: `evict Pod ${podName(pod)}`,
      });
      if (!dryRun) this.ctx.audit(`Pod ${podName(pod)}`, 'evict', 'applied', false);
      return undefined;
    } catch (e) {
      if (isNotFound(e)) return undefined;
      // A budget's no (429) is an answer about this pod, not a failure of the drain.
      if (e instanceof KubeError && e.code === 429) {
        if (!dryRun) this.ctx.audit(`Pod ${podName(pod)}`, 'evict', `failed: ${lineOf(e)}`, false);
        return lineOf(e);
      }
      throw e;
    }
  }

  private async evictAll(dryRun: boolean): Promise<{ evicted: number; refused: string[]; kept: string[] }> {
    const refused: string[] = [];
    const kept: string[] = [];
    let evicted = 0;
    for (const pod of this.pods.evict) {
      const why = await this.evict(pod, dryRun);
      if (why) {
        refused.push(`${podName(pod)}: ${why}`);
        kept.push(podName(pod));
      } else evicted++;
    }
    return { evicted, refused, kept };
  }

  private summary(verb: string, r: { evicted: number; refused: string[] }): string {
    const left = this.pods.skip.length > 0 ? `; left ${this.pods.skip.length} (${this.skipSummary()})` : '';
    const refused = r.refused.length > 0 ? `; could not evict ${r.refused.join('; ')}` : '';
    return `${verb} ${r.evicted} of ${this.pods.evict.length} pods${left}${refused}`;
  }

  private skipSummary(): string {
    return this.pods.skip.map(({ pod, why }) => `${podName(pod)}: ${why.split(':')[0]}`).join(', ');
  }

  async dryRun(): Promise<DryRunNote> {
    if (!this.node.spec?.unschedulable) await this.cordon(true);
    return { message: `dry run of draining ${this.label}: ${this.summary('would evict', await this.evictAll(true))}` };
  }

  async apply(): Promise<Applied> {
    const cordoned = !this.node.spec?.unschedulable;
    if (cordoned) {
      try {
        await this.cordon(false);
      } catch (e) {
        this.ctx.audit(this.label, 'cordon', `failed: ${lineOf(e)}`, false);
        throw e;
      }
      this.ctx.audit(this.label, 'cordon', 'applied', false);
    }
    const result = await this.evictAll(false);
    const label = this.label;
    const applied: Applied = {
      status: 'applied',
      message: `cordoned ${label}, ${this.summary('evicted', result)}`,
      ...(result.evicted > 0 ? { irreversible: `${result.evicted} pods of ${label} were evicted` } : {}),
      ...(result.kept.length > 0
        ? {
            except: `${result.kept.length} ${result.kept.length === 1 ? 'pod' : 'pods'} kept by a PodDisruptionBudget: ${result.kept.join(', ')}`,
          }
        : {}),
    };
    if (cordoned)
      applied.undo = [
        {
          object: label,
          action: 'uncordon',
          byHand: `kubectl uncordon ${this.step.ref.name}`,
          run: async () => {
            await this.ctx.cluster.write({
              method: 'PATCH',
              path: await this.ctx.cluster.objectPath(this.step.ref),
              body: { spec: { unschedulable: null } },
              contentType: CONTENT.mergePatch,
              action: `uncordon ${label}`,
            });
            return `uncordoned ${label}`;
          },
        },
      ];
    return applied;
  }
}

export async function prepareDrain(ctx: StepContext, step: Step): Promise<Operation> {
  const ref: ObjectRef = { kind: 'Node', name: step.ref.name };
  try {
    const node = await ctx.cluster.read<Node>(ref);
    if (!node) throw new KubeError('notfound', `not found: ${refLabel(ref)} is gone`);
    const list = await ctx.cluster.conn.getJson<{ items: Pod[] }>(
      '/api/v1/pods',
      { fieldSelector: `spec.nodeName=${step.ref.name}` },
      { action: `list the pods on ${refLabel(ref)}` },
    );
    return new DrainOperation(ctx, { ...step, ref }, node, sortPods(list.items));
  } catch (e) {
    return new BrokenOperation(step, refLabel(ref), true, e as Error, commandFor(step));
  }
}
