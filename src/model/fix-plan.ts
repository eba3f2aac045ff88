// A fix plan is data: rules write it (src/diagnose, plugins/), one runner executes it
// (src/fixes: confirmation, server-side dry run, --readonly refusal, audit), and the views
// and outputs show it. It lives here so the runner does not depend on the rule API.
import type { KubeObject } from './k8s.js';
import type { ObjectRef } from './ref.js';

/**
 * One step of a fix. Steps never carry secret values: credentials are gathered by the
 * runner at run time.
 */
export type FixStep =
  | { action: 'create'; object: KubeObject; description: string }
  | {
      action: 'create-pull-secret';
      namespace: string;
      name: string;
      /** Registry server as kubectl writes it, e.g. `https://index.docker.io/v1/`. */
      server: string;
      description: string;
    }
  | { action: 'json-patch'; ref: ObjectRef; patch: JsonPatchOp[]; description: string }
  | { action: 'merge-patch'; ref: ObjectRef; patch: Record<string, unknown>; description: string }
  | { action: 'delete'; ref: ObjectRef; description: string }
  | { action: 'rollout-restart'; ref: ObjectRef; description: string }
  | { action: 'scale'; ref: ObjectRef; replicas: number; description: string }
  /** `kubectl create job NAME --from=cronjob/REF`: a Job from the CronJob's template, now. */
  | { action: 'create-job-from-cronjob'; ref: ObjectRef; jobName: string; description: string }
  /** `kubectl edit`'s write: PUT the whole object as the user left it, pinned to the resourceVersion it was read at. */
  | { action: 'replace'; ref: ObjectRef; object: KubeObject; description: string }
  /** `kubectl drain`: cordon the node, then evict its pods through the eviction API (PodDisruptionBudgets decide). */
  | { action: 'drain'; ref: ObjectRef; description: string }
  | {
      action: 'helm-upgrade';
      release: string;
      namespace: string;
      chart: string;
      reuseValues: boolean;
      set: Record<string, string>;
      /** Chart version to stay on (`--version`); without it helm upgrades to the newest chart too. */
      version?: string;
      description: string;
    }
  | { action: 'apply-manifest'; source: string; description: string }
  | { action: 'wait-available'; refs: ObjectRef[]; timeoutSeconds: number; description: string }
  | {
      action: 'port-forward';
      ref: ObjectRef;
      ports: { local: number; remote: number }[];
      address: string;
      description: string;
    }
  /** Something only the user can do (edit a chart's values, fix code). Shown, never executed. */
  | { action: 'manual'; description: string };

export type FixAction = FixStep['action'];

export interface JsonPatchOp {
  op: 'add' | 'remove' | 'replace' | 'test';
  path: string;
  value?: unknown;
}

export interface FixPlan {
  /** Stable within its rule, e.g. `attach-pull-secret-to-serviceaccount`. */
  id: string;
  title: string;
  /** Why this fix works and what to watch out for, in plain words. */
  explanation: string;
  /** The kubectl/helm commands that do the same by hand, so users learn. */
  commands: string[];
  steps: FixStep[];
  /** True when the plan changes the cluster; false for plans that only inform. */
  mutates: boolean;
}
