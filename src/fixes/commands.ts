// The kubectl or helm command that does what a step does, shown next to its preview so the
// user learns the tool underneath. Credentials appear as placeholders, never as values.
import type { FixStep, JsonPatchOp } from '../model/fix-plan.js';
import type { ObjectRef } from '../model/ref.js';

/** Single-quoted shell word, closing and reopening around embedded quotes. */
export function shellWord(text: string): string {
  return /^[\w@%+=:,./-]+$/.test(text) ? text : `'${text.replace(/'/g, `'\\''`)}'`;
}

const ns = (namespace: string | undefined): string => (namespace ? ` -n ${namespace}` : '');

export function kubectlRef(ref: ObjectRef): string {
  return `${ref.kind.toLowerCase()}/${ref.name}`;
}

/** A plan's resourceVersion guard only means something to the runner, not to someone typing the command. */
export function withoutVersionGuard(ops: readonly JsonPatchOp[]): JsonPatchOp[] {
  return ops.filter((op) => !(op.op === 'test' && op.path === '/metadata/resourceVersion'));
}

/** `--set` splits on commas; a value keeps its commas escaped. */
export function helmSetValue(key: string, value: string): string {
  return `${key}=${value.replace(/\\/g, '\\\\').replace(/,/g, '\\,')}`;
}

export function helmUpgradeArgs(step: Extract<FixStep, { action: 'helm-upgrade' }>, dryRun: boolean): string[] {
  const args = ['upgrade', step.release, step.chart, '-n', step.namespace];
  if (step.version) args.push('--version', step.version);
  if (step.reuseValues) args.push('--reuse-values');
  for (const [k, v] of Object.entries(step.set)) args.push('--set', helmSetValue(k, v));
  if (dryRun) args.push('--dry-run');
  return args;
}

export function commandFor(step: FixStep): string | undefined {
  switch (step.action) {
    case 'create':
      return `kubectl create -f <file with the YAML above>${ns(step.object.metadata.namespace)}`;
    case 'create-pull-secret':
      return `kubectl create secret docker-registry ${step.name} --docker-server=${shellWord(step.server)} --docker-username=<user> --docker-password=<token>${ns(step.namespace)}`;
    case 'json-patch':
      return `kubectl patch ${step.ref.kind.toLowerCase()} ${step.ref.name}${ns(step.ref.namespace)} --type=json -p ${shellWord(JSON.stringify(withoutVersionGuard(step.patch)))}`;
    case 'merge-patch':
      return `kubectl patch ${step.ref.kind.toLowerCase()} ${step.ref.name}${ns(step.ref.namespace)} --type=merge -p ${shellWord(JSON.stringify(step.patch))}`;
    case 'delete':
      return `kubectl delete ${step.ref.kind.toLowerCase()} ${step.ref.name}${ns(step.ref.namespace)}`;
    case 'rollout-restart':
      return `kubectl rollout restart ${kubectlRef(step.ref)}${ns(step.ref.namespace)}`;
    case 'scale':
      return `kubectl scale ${kubectlRef(step.ref)} --replicas=${step.replicas}${ns(step.ref.namespace)}`;
    case 'create-job-from-cronjob':
      return `kubectl create job ${step.jobName} --from=cronjob/${step.ref.name}${ns(step.ref.namespace)}`;
    case 'replace':
      return `kubectl edit ${kubectlRef(step.ref)}${ns(step.ref.namespace)}`;
    case 'drain':
      return `kubectl drain ${step.ref.name} --ignore-daemonsets --delete-emptydir-data`;
    case 'helm-upgrade':
      return `helm ${helmUpgradeArgs(step, false).map(shellWord).join(' ')}`;
    case 'apply-manifest':
      return `kubectl create -f ${shellWord(step.source)}`;
    case 'wait-available': {
      const namespaces = [...new Set(step.refs.map((r) => r.namespace))];
      const names = step.refs.map((r) => kubectlRef(r)).join(' ');
      return `kubectl wait --for=condition=Available ${names}${namespaces.length === 1 ? ns(namespaces[0]) : ''} --timeout=${step.timeoutSeconds}s`;
    }
    case 'port-forward':
      return `kubectl port-forward --address ${step.address} ${kubectlRef(step.ref)} ${step.ports.map((p) => (p.local === p.remote ? `${p.local}` : `${p.local}:${p.remote}`)).join(' ')}${ns(step.ref.namespace)}`;
    case 'manual':
      return undefined;
  }
}
