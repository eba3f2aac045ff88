// Steps that change nothing themselves: waiting for Deployments to become Available, a
// port-forward, and the manual steps only the user can do (shown, never executed).
import type { FixStep } from '../../model/fix-plan.js';
import type { ObjectRef } from '../../model/ref.js';
import type { Workload } from '../../model/k8s.js';
import { commandFor } from '../commands.js';
import { refLabel } from '../render.js';
import type { StepPreview } from '../types.js';
import { lineOf, StepFailure, type Applied, type DryRunNote, type Operation, type StepContext } from '../operation.js';

const DEFAULT_POLL_MS = 1000;

interface Availability {
  ready: boolean;
  /** `1/1 available`, `not created yet`, the Available condition's message. */
  text: string;
}

function availability(d: Workload | undefined): Availability {
  if (!d) return { ready: false, text: 'not created yet' };
  const want = d.spec?.replicas ?? 1;
  const available = d.status?.availableReplicas ?? 0;
  const condition = d.status?.conditions?.find((c) => c.type === 'Available');
  // A condition the controller wrote for an older spec says nothing about the current one.
  const observed = d.status?.observedGeneration;
  const ready = condition?.status === 'True' && (observed === undefined || observed >= (d.metadata.generation ?? 0));
  return {
    ready,
    text: `${available}/${want} available${!ready && condition?.message ? ` (${condition.message})` : ''}`,
  };
}

function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(done, ms);
    function done(): void {
      clearTimeout(timer);
      signal?.removeEventListener('abort', done);
      resolve();
    }
    signal?.addEventListener('abort', done, { once: true });
  });
}

class WaitOperation implements Operation {
  readonly mutates = false;
  readonly label: string;

  constructor(
    private readonly ctx: StepContext,
    readonly step: Extract<FixStep, { action: 'wait-available' }>,
    /** False when an earlier step is the user's to do: then so is the wait. */
    readonly executes: boolean,
  ) {
    this.label = step.refs.map(refLabel).join(', ');
  }

  preview(): StepPreview {
    const p: StepPreview = {
      step: this.step,
      diff: `(no change) waits up to ${this.step.timeoutSeconds}s until ${this.label} ${this.step.refs.length > 1 ? 'are' : 'is'} Available${this.executes ? '' : ', once you have done the step before it'}`,
    };
    const command = commandFor(this.step);
    if (command) p.command = command;
    return p;
  }

  async dryRun(): Promise<DryRunNote> {
    return { message: 'nothing to check: it only waits' };
  }

  async apply(): Promise<Applied> {
    const command = commandFor(this.step) ?? '';
    if (!this.executes) return { status: 'manual', message: `after the step before it, wait: ${command}` };
    const deadline = Date.now() + this.step.timeoutSeconds * 1000;
    const poll = this.ctx.options.pollIntervalMs ?? DEFAULT_POLL_MS;
    const said = new Map<string, string>();
    for (;;) {
      const states = await Promise.all(
        this.step.refs.map(async (ref: ObjectRef) => ({
          ref,
          state: availability(await this.ctx.cluster.read<Workload>(ref)),
        })),
      );
      for (const { ref, state } of states) {
        const line = `${refLabel(ref)}: ${state.ready ? 'available' : state.text}`;
        if (said.get(refLabel(ref)) !== line) this.ctx.progress(line);
        said.set(refLabel(ref), line);
      }
      const waiting = states.filter((s) => !s.state.ready);
      if (waiting.length === 0)
        return { status: 'applied', message: `${this.label} ${this.step.refs.length > 1 ? 'are' : 'is'} available` };
      if (this.ctx.options.signal?.aborted) throw new StepFailure('cancelled while waiting');
      if (Date.now() >= deadline) {
        throw new StepFailure(
          `timed out after ${this.step.timeoutSeconds}s waiting for ${waiting.map((w) => `${refLabel(w.ref)} (${w.state.text})`).join(', ')}: look at their pods (kubectl get pods -n ${waiting[0]!.ref.namespace ?? 'default'})`,
        );
      }
      await sleep(Math.min(poll, Math.max(0, deadline - Date.now())), this.ctx.options.signal);
    }
  }
}

export function prepareWait(
  ctx: StepContext,
  step: Extract<FixStep, { action: 'wait-available' }>,
  userStepBefore: boolean,
): Operation {
  return new WaitOperation(ctx, step, !userStepBefore);
}

/** Shown, never executed: a step only the user can do. */
class ManualOperation implements Operation {
  readonly mutates = false;
  readonly executes = false;
  readonly label = 'a step for you';

  constructor(readonly step: Extract<FixStep, { action: 'manual' }>) {}

  preview(): StepPreview {
    return { step: this.step, diff: this.step.description };
  }

  async dryRun(): Promise<DryRunNote> {
    return { message: 'yours to do' };
  }

  async apply(): Promise<Applied> {
    return { status: 'manual', message: this.step.description };
  }
}

export function prepareManual(step: Extract<FixStep, { action: 'manual' }>): Operation {
  return new ManualOperation(step);
}

/** Starts through the caller's port-forward manager (the cockpit's); otherwise shows the kubectl command. */
class PortForwardOperation implements Operation {
  readonly mutates = false;
  readonly label: string;
  readonly executes: boolean;

  constructor(
    private readonly ctx: StepContext,
    readonly step: Extract<FixStep, { action: 'port-forward' }>,
  ) {
    this.label = refLabel(step.ref);
    this.executes = ctx.options.startPortForward !== undefined;
  }

  preview(): StepPreview {
    const ports = this.step.ports.map((p) => `${this.step.address}:${p.local} → ${p.remote}`).join(', ');
    const p: StepPreview = {
      step: this.step,
      ref: this.step.ref,
      diff: `(no change to the cluster) forwards ${ports} to ${this.label}`,
    };
    const command = commandFor(this.step);
    if (command) p.command = command;
    return p;
  }

  async dryRun(): Promise<DryRunNote> {
    return { message: 'nothing to check: a port-forward changes nothing in the cluster' };
  }

  async apply(): Promise<Applied> {
    const start = this.ctx.options.startPortForward;
    if (!start) return { status: 'manual', message: `run: ${commandFor(this.step) ?? ''}` };
    try {
      const info = await start({ target: this.step.ref, ports: this.step.ports, address: this.step.address });
      return {
        status: 'applied',
        message: `forwarding ${info.ports.map((p) => `${info.address}:${p.local} → ${info.pod}:${p.remote}`).join(', ')}`,
      };
    } catch (e) {
      throw new StepFailure(`the port-forward to ${this.label} did not start: ${lineOf(e)}`);
    }
  }
}

export function preparePortForward(ctx: StepContext, step: Extract<FixStep, { action: 'port-forward' }>): Operation {
  return new PortForwardOperation(ctx, step);
}
