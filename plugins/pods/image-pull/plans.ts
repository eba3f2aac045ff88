// pods/image-pull, plans: give the pods registry credentials (through their ServiceAccount or
// their pod template), create a missing pull secret, or tell the user what only they can fix
// (the image name, the registry's reachability).
import type { KubeObject } from '../../../src/model/k8s.js';
import type { Snapshot } from '../../../src/store/snapshot.js';
import type { FixPlan, FixStep, RuleContext } from '../../../src/diagnose/types.js';
import type { ContainerGroup } from '../../../src/diagnose/container-rule.js';
import { kubectlName, refOf } from '../../../src/diagnose/evidence.js';
import { podRef } from '../../../src/diagnose/pod-facts.js';
import { helmUpgradeCommand, manualPlan, nsFlag } from '../../../src/diagnose/plans.js';
import { patchableWorkload, recreatePods } from '../../../src/diagnose/workload-plans.js';
import { findValues } from '../lib/helm-values.js';
import { pullSecretServer, registryLabel, registrySlug, withTag } from '../lib/image-ref.js';
import { createPullSecretStep, pullSecretPlans, type PullSecretSituation } from '../lib/pull-secret-plans.js';
import type { PullAnalysis } from './classify.js';
import { imageLabel } from './explain.js';

function newSecretName(snapshot: Snapshot, namespace: string, registry: string): string {
  const exists = (name: string): boolean => snapshot.get('Secret', namespace, name) !== undefined;
  if (!exists('regcred')) return 'regcred';
  const base = `regcred-${registrySlug(registry)}`;
  let name = base;
  for (let i = 2; exists(name); i++) name = `${base}-${i}`;
  return name;
}

function setImageCommands(snapshot: Snapshot, owner: KubeObject, a: PullAnalysis, newImage: string): string[] {
  // A CronJob's next runs take the image from its jobTemplate; the run already stuck takes it on its pod.
  const targets = patchableWorkload(owner)
    ? [refOf(owner)]
    : owner.kind === 'CronJob'
      ? [refOf(owner), podRef(a.pod)]
      : [podRef(a.pod)];
  const commands = targets.map(
    (target) => `kubectl set image ${kubectlName(target)} ${a.site.name}=${newImage}${nsFlag(target.namespace)}`,
  );
  const release = snapshot.helmReleaseOf(owner);
  const hit = release && a.ref.tag ? findValues(release.values, (_k, v) => v === a.ref.tag)[0] : undefined;
  if (release && hit) commands.push(helmUpgradeCommand(release, [`${hit.path}=<correct-tag>`]));
  return commands;
}

export function pullPlans(group: ContainerGroup<PullAnalysis>, ctx: RuleContext): FixPlan[] {
  const { owner, lead: a, pods } = group;
  const snapshot = ctx.snapshot;
  const ns = a.pod.metadata.namespace ?? '';
  const server = pullSecretServer(a.ref.registry);
  const situation = (secretName: string, createSecret: boolean): PullSecretSituation => ({
    snapshot,
    namespace: ns,
    owner,
    pods,
    serviceAccountName: a.serviceAccountName,
    serviceAccount: a.serviceAccount,
    secretName,
    registry: a.ref.registry,
    server,
    createSecret,
    templateListsOwnSecrets: a.templateListsOwnSecrets,
  });
  switch (a.variant) {
    case 'rate-limit':
      if (a.used)
        return [
          manualPlan({
            id: 'wait-for-pull-limit',
            title: `Wait for ${registryLabel(a.ref.registry)}'s pull limit to reset, or use an account with a higher limit`,
            explanation:
              'The pods already log in; the kubelet keeps retrying and the pull succeeds once the limit window has passed.',
            commands: [`kubectl get pods${nsFlag(ns)} -w`],
            instructions: `Wait, or put credentials of an account with a higher limit into Secret ${a.used}.`,
          }),
        ];
      return pullSecretPlans(situation(newSecretName(snapshot, ns, a.ref.registry), true));
    case 'auth-required':
      if (a.used)
        return [
          manualPlan({
            id: 'replace-pull-credentials',
            title: `Put valid credentials into Secret ${a.used}`,
            explanation:
              'The kubelet reads pull secrets at every attempt, so the pods recover on their next retry once the secret holds credentials the registry accepts; nothing needs recreating.',
            commands: [
              `kubectl create secret docker-registry ${a.used} --docker-server=${server} --docker-username=<user> --docker-password=<token>${nsFlag(ns)} --dry-run=client -o yaml | kubectl apply -f -`,
            ],
            instructions: `Replace the credentials in Secret ${a.used} with a username and access token that can read ${imageLabel({ registry: a.ref.registry, repository: a.ref.repository })}.`,
          }),
        ];
      return pullSecretPlans(situation(newSecretName(snapshot, ns, a.ref.registry), true));
    case 'secret-not-referenced':
      return pullSecretPlans(situation(a.unreferenced!.metadata.name, false));
    case 'secret-missing': {
      const name = a.missing[0]!;
      const create = createPullSecretStep({ namespace: ns, secretName: name, server, registry: a.ref.registry });
      const steps: FixStep[] = [create.step];
      const commands = [create.command];
      // The kubelet re-reads the pod's own list at every retry; a name only on the ServiceAccount needs new pods.
      const recreate = a.podSecrets.includes(name)
        ? undefined
        : recreatePods(snapshot, pods, `gets ${name} from the ServiceAccount`);
      if (recreate) {
        steps.push(...recreate.steps);
        commands.push(...recreate.commands);
      }
      return [
        {
          id: 'create-missing-pull-secret',
          title: `Create the missing pull secret ${name}`,
          explanation: recreate
            ? `ServiceAccount ${a.serviceAccountName} already lists ${name}; once it exists, new pods get it, so the failing pods are recreated.`
            : `The pods already list ${name}; the kubelet looks for it again at the next pull retry, so they recover without being recreated.`,
          commands,
          steps,
          mutates: true,
        },
      ];
    }
    case 'not-found':
    case 'invalid-name':
      return [
        manualPlan({
          id: 'set-correct-image',
          title: `Set a correct image for ${a.site.name}`,
          explanation: `Only you know which image or tag is intended; kcockpit does not guess one. ${
            patchableWorkload(owner)
              ? 'Setting the image on the workload rolls out new pods.'
              : owner.kind === 'CronJob'
                ? `Setting it on CronJob ${owner.metadata.name} gives its next runs the image; the run that is stuck keeps the one it was created with, so set it on its pod too (the kubelet pulls it and the run goes on), or delete that Job.`
                : 'Setting the image on the pod makes the kubelet pull it.'
          }`,
          commands: setImageCommands(
            snapshot,
            owner,
            a,
            a.variant === 'invalid-name' ? '<image>' : withTag(a.image, '<correct-tag>'),
          ),
          instructions: `Find the intended image and tag (the registry lists the tags of ${imageLabel({ registry: a.ref.registry, repository: a.ref.repository })}), then set it on the workload, or in the Helm values when Helm manages it.`,
        }),
      ];
    case 'unreachable': {
      const host = a.ref.registry.replace(/:\d+$/, '');
      const node = a.pod.spec?.nodeName;
      return [
        manualPlan({
          id: 'check-registry-reachability',
          title: node
            ? `Check that node ${node} can reach ${a.ref.registry}`
            : `Check that the node can reach ${a.ref.registry}`,
          explanation:
            'The pull runs on the node, so test name resolution from the node itself; fix DNS, proxy or firewall settings there, or correct the registry host in the image.',
          commands: node ? [`kubectl debug node/${node} -it --image=busybox:1.36 -- nslookup ${host}`] : [],
          instructions: `Check that ${host} is the right registry host and that the node can resolve and reach it.`,
        }),
      ];
    }
    case 'unknown':
      return [
        manualPlan({
          id: 'inspect-pull-error',
          title: 'Read the full pull error',
          explanation: "The events of the pod carry the container runtime's complete message.",
          commands: [`kubectl describe pod ${a.pod.metadata.name}${nsFlag(ns)}`],
          instructions: 'Read the Failed events of the pod and fix what they name.',
        }),
      ];
  }
}
