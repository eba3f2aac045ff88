import { describe, expect, it } from 'vitest';
import type { Pod, ServiceAccount, Workload } from '../../src/model/k8s.js';
import type { FixPlan, FixStep, RawFinding } from '../../src/diagnose/types.js';
import { Snapshot, type SnapshotInput } from '../../src/store/snapshot.js';
import { NOW, loadInput, onlyFinding, snapshotOf } from '../../test/fixtures/pods/load.js';
import { blockedCronJob } from '../../test/fixtures/jobs/load.js';
import { rule } from './image-pull.js';
import { classifyPullMessage } from './image-pull/classify.js';

const S1 = 's1-jaeger-operator-pull-rate-limit.json';
const SHOP = 'pull-failures.json';
const S1_POD = 'jaeger-op-jaeger-operator-7d7b58d48b-89p9p';
const S1_DEPLOY = 'jaeger-op-jaeger-operator';

function run(snapshot: Snapshot): RawFinding[] {
  return rule.diagnose({ snapshot, now: NOW });
}

function stepsOf(plan: FixPlan | undefined, action: FixStep['action']): FixStep[] {
  return (plan?.steps ?? []).filter((s) => s.action === action);
}

function sa(input: SnapshotInput, name: string): ServiceAccount {
  return input.serviceAccounts!.find((s) => s.metadata.name === name)!;
}

describe('pods/image-pull — S1 Docker Hub rate limit', () => {
  const findings = run(snapshotOf(S1));
  const f = onlyFinding(findings, S1_DEPLOY);

  it('names the owner, the variant and the image', () => {
    expect(findings).toHaveLength(1);
    expect(f.id).toBe(`pods/image-pull:observability/Deployment/${S1_DEPLOY}#jaeger-op-jaeger-operator/rate-limit`);
    expect(f.severity).toBe('critical');
    expect(f.subject).toEqual({ kind: 'Deployment', name: S1_DEPLOY, namespace: 'observability' });
    expect(f.objects).toEqual([
      { kind: 'Deployment', name: S1_DEPLOY, namespace: 'observability' },
      { kind: 'Pod', name: S1_POD, namespace: 'observability' },
    ]);
    expect(f.title).toBe(
      'jaeger-op-jaeger-operator cannot pull jaegertracing/jaeger-operator:1.39.0: Docker Hub pull rate limit',
    );
  });

  it('explains ImagePullBackOff and the anonymous limit in plain words', () => {
    expect(f.explanation).toMatch(/ImagePullBackOff means a pull failed and Kubernetes now retries/);
    expect(f.explanation).toMatch(/anonymous \(not logged-in\)/);
    expect(f.explanation).toMatch(/create a pull secret/);
  });

  it('shows the waiting state, the kubelet events and the missing pull secrets as evidence', () => {
    const texts = f.evidence.map((e) => e.text);
    expect(texts).toContain('ImagePullBackOff');
    expect(texts).toContain('Back-off pulling image "jaegertracing/jaeger-operator:1.39.0"');
    expect(texts).toContain(
      'Failed to pull image "jaegertracing/jaeger-operator:1.39.0": rpc error: code = Unknown desc = toomanyrequests: You have reached your pull rate limit. You may increase the limit by authenticating and upgrading: https://www.docker.com/increase-rate-limit',
    );
    const failed = f.evidence.find((e) => e.text.includes('toomanyrequests'))!;
    expect(failed).toMatchObject({ source: 'event', reason: 'Failed', count: 9, at: '2026-11-21T10:27:43Z' });
    expect(f.evidence).toContainEqual({
      source: 'spec',
      ref: { kind: 'ServiceAccount', name: S1_DEPLOY, namespace: 'observability' },
      path: 'imagePullSecrets',
      text: 'not set',
    });
  });

  it('first offers the ServiceAccount route: create regcred, JSON-patch the SA, recreate the pod', () => {
    const plan = f.fixes[0]!;
    expect(plan.id).toBe('pull-secret-via-serviceaccount');
    expect(plan.mutates).toBe(true);
    expect(plan.steps.map((s) => s.action)).toEqual(['create-pull-secret', 'json-patch', 'delete', 'manual']);
    expect(plan.steps[0]).toMatchObject({
      action: 'create-pull-secret',
      namespace: 'observability',
      name: 'regcred',
      server: 'https://index.docker.io/v1/',
    });
    const patch = plan.steps[1] as Extract<FixStep, { action: 'json-patch' }>;
    expect(patch.ref).toEqual({ kind: 'ServiceAccount', name: S1_DEPLOY, namespace: 'observability' });
    // The SA has no list yet: create it, guarded so a list added meanwhile is not overwritten.
    expect(patch.patch).toEqual([
      { op: 'test', path: '/metadata/resourceVersion', value: sa(loadInput(S1), S1_DEPLOY).metadata.resourceVersion },
      { op: 'add', path: '/imagePullSecrets', value: [{ name: 'regcred' }] },
    ]);
    expect(plan.steps[2]).toMatchObject({
      action: 'delete',
      ref: { kind: 'Pod', name: S1_POD, namespace: 'observability' },
    });
    expect(plan.explanation).toMatch(/only when the pod is created/);
    expect(plan.explanation).toMatch(/merge patch would replace/);
  });

  it('gives the exact kubectl and helm equivalents', () => {
    expect(f.fixes[0]!.commands).toEqual([
      'kubectl create secret docker-registry regcred --docker-server=https://index.docker.io/v1/ --docker-username=<user> --docker-password=<token> -n observability',
      `kubectl patch serviceaccount ${S1_DEPLOY} -n observability --type=json -p '[{"op":"add","path":"/imagePullSecrets","value":[{"name":"regcred"}]}]'`,
      `kubectl delete pod ${S1_POD} -n observability`,
      "helm upgrade jaeger-op <repo>/jaeger-operator --version 2.38.0 -n observability --reuse-values --set 'image.imagePullSecrets[0]=regcred'",
    ]);
    expect(stepsOf(f.fixes[0], 'manual')[0]).toMatchObject({
      description: expect.stringContaining('image.imagePullSecrets: [regcred]'),
    });
  });

  it('offers the pod-template route second, with the Helm values line', () => {
    const plan = f.fixes[1]!;
    expect(plan.id).toBe('pull-secret-via-pod-template');
    const patch = stepsOf(plan, 'json-patch')[0] as Extract<FixStep, { action: 'json-patch' }>;
    expect(patch.ref).toEqual({ kind: 'Deployment', name: S1_DEPLOY, namespace: 'observability' });
    expect(patch.patch.at(-1)).toEqual({
      op: 'add',
      path: '/spec/template/spec/imagePullSecrets',
      value: [{ name: 'regcred' }],
    });
    expect(plan.commands).toContain(`kubectl rollout status deployment/${S1_DEPLOY} -n observability`);
    expect(plan.explanation).toMatch(/record the change in the release's values too/);
  });

  it('never merge-patches and never carries a credential', () => {
    for (const plan of f.fixes) {
      expect(plan.steps.some((s) => s.action === 'merge-patch')).toBe(false);
      for (const c of plan.commands) expect(c).not.toMatch(/--type=merge|-p '\{"imagePullSecrets"/);
    }
    const json = JSON.stringify(f);
    expect(json).not.toMatch(/"password"|"auth":/);
    expect(json).toContain('--docker-password=<token>');
  });
});

describe('pods/image-pull — pull-secret plans adapt to the ServiceAccount and template', () => {
  it('appends at /imagePullSecrets/- when the ServiceAccount already has a list', () => {
    const snapshot = snapshotOf(S1, (input) => {
      sa(input, S1_DEPLOY).imagePullSecrets = [{ name: 'corp-mirror' }];
      input.secrets!.push({
        apiVersion: 'v1',
        kind: 'Secret',
        metadata: { name: 'corp-mirror', namespace: 'observability' },
        type: 'kubernetes.io/dockerconfigjson',
        registries: ['mirror.corp.example.com'],
      });
    });
    const plan = onlyFinding(run(snapshot), S1_DEPLOY).fixes[0]!;
    expect(stepsOf(plan, 'json-patch')[0]).toMatchObject({
      patch: [{ op: 'add', path: '/imagePullSecrets/-', value: { name: 'regcred' } }],
    });
    expect(plan.commands[1]).toBe(
      `kubectl patch serviceaccount ${S1_DEPLOY} -n observability --type=json -p '[{"op":"add","path":"/imagePullSecrets/-","value":{"name":"regcred"}}]'`,
    );
    // The template route keeps the pull secret the pods used to inherit from the ServiceAccount.
    const tpl = stepsOf(onlyFinding(run(snapshot), S1_DEPLOY).fixes[1], 'json-patch')[0] as Extract<
      FixStep,
      { action: 'json-patch' }
    >;
    expect(tpl.patch.at(-1)).toEqual({
      op: 'add',
      path: '/spec/template/spec/imagePullSecrets',
      value: [{ name: 'corp-mirror' }, { name: 'regcred' }],
    });
  });

  it('offers only the pod-template route when the pod template lists its own pull secrets', () => {
    const snapshot = snapshotOf(S1, (input) => {
      for (const w of [...input.deployments!, ...input.replicaSets!])
        w.spec.template.spec.imagePullSecrets = [{ name: 'corp-mirror' }];
      input.pods![0]!.spec.imagePullSecrets = [{ name: 'corp-mirror' }];
      input.secrets!.push({
        apiVersion: 'v1',
        kind: 'Secret',
        metadata: { name: 'corp-mirror', namespace: 'observability' },
        type: 'kubernetes.io/dockerconfigjson',
        registries: ['mirror.corp.example.com'],
      });
    });
    const f = onlyFinding(run(snapshot), S1_DEPLOY);
    expect(f.fixes.map((p) => p.id)).toEqual(['pull-secret-via-pod-template']);
    expect(f.fixes[0]!.explanation).toMatch(/never copies the ServiceAccount's/);
    expect(stepsOf(f.fixes[0], 'json-patch')[0]).toMatchObject({
      patch: [{ op: 'add', path: '/spec/template/spec/imagePullSecrets/-', value: { name: 'regcred' } }],
    });
  });

  it('picks another name when a Secret called regcred already exists for another registry', () => {
    const snapshot = snapshotOf(S1, (input) => {
      input.secrets!.push({
        apiVersion: 'v1',
        kind: 'Secret',
        metadata: { name: 'regcred', namespace: 'observability' },
        type: 'kubernetes.io/dockerconfigjson',
        registries: ['ghcr.io'],
      });
    });
    expect(onlyFinding(run(snapshot), S1_DEPLOY).fixes[0]!.steps[0]).toMatchObject({
      action: 'create-pull-secret',
      name: 'regcred-docker-io',
    });
  });

  it('recreates StatefulSet pods after a template patch (the controller would wait for the broken pod)', () => {
    const snapshot = snapshotOf(S1, (input) => {
      const d = input.deployments!.pop()!;
      const sts: Workload = {
        ...d,
        kind: 'StatefulSet',
        metadata: { ...d.metadata, name: 'jaeger-op-jaeger-operator' },
      };
      input.statefulSets = [sts];
      input.replicaSets = [];
      const p = input.pods![0]!;
      for (const e of input.events!)
        if (e.involvedObject.name === p.metadata.name) e.involvedObject.name = 'jaeger-op-jaeger-operator-0';
      p.metadata.name = 'jaeger-op-jaeger-operator-0';
      p.metadata.ownerReferences = [
        {
          apiVersion: 'apps/v1',
          kind: 'StatefulSet',
          name: sts.metadata.name,
          uid: sts.metadata.uid!,
          controller: true,
        },
      ];
    });
    const f = onlyFinding(run(snapshot), S1_DEPLOY);
    expect(f.subject.kind).toBe('StatefulSet');
    const tpl = f.fixes.find((p) => p.id === 'pull-secret-via-pod-template')!;
    expect(tpl.steps.map((s) => s.action)).toEqual(['create-pull-secret', 'json-patch', 'delete', 'manual']);
    expect(tpl.commands).toContain('kubectl delete pod jaeger-op-jaeger-operator-0 -n observability');
  });

  it('makes one finding for all replicas, even one whose events have expired', () => {
    const snapshot = snapshotOf(S1, (input) => {
      const second = structuredClone(input.pods![0]!) as Pod;
      second.metadata.name = 'jaeger-op-jaeger-operator-7d7b58d48b-x2v7k';
      second.metadata.uid = '0b7f6a2c-4a51-4c1e-9a55-2f1d6a7e8c90';
      input.pods!.push(second);
    });
    const findings = run(snapshot);
    expect(findings).toHaveLength(1);
    expect(findings[0]!.objects.map((o) => o.name)).toEqual([
      S1_DEPLOY,
      S1_POD,
      'jaeger-op-jaeger-operator-7d7b58d48b-x2v7k',
    ]);
    expect(stepsOf(findings[0]!.fixes[0], 'delete')).toHaveLength(2);
    expect(findings[0]!.explanation).toContain('(2 pods)');
  });

  it('treats a pull secret listed on the ServiceAccount but absent as secret-missing, recreating the pods', () => {
    const snapshot = snapshotOf(S1, (input) => {
      sa(input, S1_DEPLOY).imagePullSecrets = [{ name: 'regcred' }];
    });
    const f = onlyFinding(run(snapshot), S1_DEPLOY);
    expect(f.id).toMatch(/#jaeger-op-jaeger-operator\/secret-missing$/);
    expect(f.fixes[0]!.steps.map((s) => s.action)).toEqual(['create-pull-secret', 'delete']);
    expect(f.explanation).toContain('ServiceAccount jaeger-op-jaeger-operator lists the pull secret regcred');
  });

  it('still says rate limit when Secrets may not be read (403)', () => {
    const snapshot = snapshotOf(S1, (input) => {
      input.secrets = [];
      input.forbidden = ['secrets'];
    });
    expect(onlyFinding(run(snapshot), S1_DEPLOY).id).toMatch(/\/rate-limit$/);
  });

  it('says the account limit is used up when the pods already log in to Docker Hub', () => {
    const snapshot = snapshotOf(S1, (input) => {
      input.secrets!.push({
        apiVersion: 'v1',
        kind: 'Secret',
        metadata: { name: 'dockerhub', namespace: 'observability' },
        type: 'kubernetes.io/dockerconfigjson',
        registries: ['https://index.docker.io/v1/'],
      });
      input.pods![0]!.spec.imagePullSecrets = [{ name: 'dockerhub' }];
    });
    const f = onlyFinding(run(snapshot), S1_DEPLOY);
    expect(f.id).toMatch(/\/rate-limit$/);
    expect(f.explanation).toMatch(/even though these pods log in with the credentials in Secret dockerhub/);
    expect(f.fixes.map((p) => [p.id, p.mutates])).toEqual([['wait-for-pull-limit', false]]);
  });
});

describe('pods/image-pull — the other pull failures', () => {
  const findings = run(snapshotOf(SHOP));

  it('makes exactly one finding per failing workload', () => {
    expect(findings.map((f) => f.id).sort()).toEqual([
      'pods/image-pull:shop/Deployment/api#api/auth-required',
      'pods/image-pull:shop/Deployment/billing#billing/secret-missing',
      'pods/image-pull:shop/Deployment/frontend#fetch-assets/not-found',
      'pods/image-pull:shop/Deployment/legacy#legacy/unknown',
      'pods/image-pull:shop/Deployment/reports#reports/unreachable',
      'pods/image-pull:shop/Deployment/web#web/not-found',
      'pods/image-pull:shop/Deployment/worker#worker/secret-not-referenced',
      'pods/image-pull:shop/Pod/debug-shell#debug-shell/invalid-name',
    ]);
    expect(findings.every((f) => f.severity === 'critical')).toBe(true);
  });

  it('not-found: a wrong tag, with the Helm value that sets it', () => {
    const f = onlyFinding(findings, 'web');
    expect(f.title).toBe('web cannot pull nginx:1.27-alpne: image or tag not found');
    expect(f.explanation).toContain('The registry answered that nginx:1.27-alpne does not exist');
    expect(f.explanation).toContain('whose values set image.tag=1.27-alpne');
    const plan = f.fixes[0]!;
    expect(plan).toMatchObject({ id: 'set-correct-image', mutates: false });
    expect(plan.steps.every((s) => s.action === 'manual')).toBe(true);
    expect(plan.commands).toEqual([
      'kubectl set image deployment/web web=nginx:<correct-tag> -n shop',
      "helm upgrade web <repo>/web --version 1.4.0 -n shop --reuse-values --set 'image.tag=<correct-tag>'",
    ]);
  });

  it('not-found in an init container: evidence and command name the init container', () => {
    const f = onlyFinding(findings, 'frontend');
    expect(f.title).toBe('fetch-assets cannot pull curlimages/curl:8.99.0: image or tag not found');
    expect(f.evidence[0]).toMatchObject({
      source: 'event',
      reason: 'Failed',
      text: expect.stringContaining('curlimages/curl:8.99.0: not found'),
    });
    expect(f.evidence).toContainEqual(
      expect.objectContaining({ path: 'status.initContainerStatuses[0].state.waiting.reason', text: 'ErrImagePull' }),
    );
    expect(f.evidence).toContainEqual(
      expect.objectContaining({ path: 'spec.initContainers[0].image', text: 'curlimages/curl:8.99.0' }),
    );
    expect(f.explanation).toMatch(/ErrImagePull means the last attempt failed/);
    expect(f.fixes[0]!.commands[0]).toBe(
      'kubectl set image deployment/frontend fetch-assets=curlimages/curl:<correct-tag> -n shop',
    );
  });

  it('auth-required: a private registry and no credentials', () => {
    const f = onlyFinding(findings, 'api');
    expect(f.title).toBe('api cannot pull ghcr.io/acme/api:2.3.1: ghcr.io requires credentials');
    expect(f.explanation).toContain('acme/api is private');
    expect(f.fixes.map((p) => p.id)).toEqual(['pull-secret-via-serviceaccount', 'pull-secret-via-pod-template']);
    expect(f.fixes[0]!.steps[0]).toMatchObject({
      action: 'create-pull-secret',
      name: 'regcred',
      server: 'ghcr.io',
      namespace: 'shop',
    });
    expect(f.fixes[0]!.commands[0]).toBe(
      'kubectl create secret docker-registry regcred --docker-server=ghcr.io --docker-username=<user> --docker-password=<token> -n shop',
    );
  });

  it('secret-not-referenced: attaches the existing Docker Hub secret without creating one', () => {
    const f = onlyFinding(findings, 'worker');
    expect(f.title).toBe('worker cannot pull acme/worker:0.9.0: pull secret dockerhub-creds exists but is not used');
    expect(f.explanation).toContain('neither the pod nor its ServiceAccount default lists it');
    expect(f.evidence).toContainEqual(
      expect.objectContaining({
        ref: expect.objectContaining({ kind: 'Secret', name: 'dockerhub-creds' }),
        text: 'kubernetes.io/dockerconfigjson; registries: https://index.docker.io/v1/',
      }),
    );
    const plan = f.fixes[0]!;
    expect(plan.steps.map((s) => s.action)).toEqual(['json-patch', 'delete']);
    expect(plan.steps[0]).toMatchObject({ ref: { kind: 'ServiceAccount', name: 'default', namespace: 'shop' } });
    expect((plan.steps[0] as Extract<FixStep, { action: 'json-patch' }>).patch.at(-1)).toEqual({
      op: 'add',
      path: '/imagePullSecrets',
      value: [{ name: 'dockerhub-creds' }],
    });
    expect(f.fixes.flatMap((p) => p.steps).some((s) => s.action === 'create-pull-secret')).toBe(false);
  });

  it('secret-not-referenced: only recreates the pods when the ServiceAccount already lists the secret', () => {
    const snapshot = snapshotOf(SHOP, (input) => {
      sa(input, 'default').imagePullSecrets = [{ name: 'dockerhub-creds' }];
    });
    const f = onlyFinding(run(snapshot), 'worker');
    expect(f.explanation).toContain('the pods were created before it did');
    expect(f.fixes[0]!.steps.map((s) => s.action)).toEqual(['delete']);
    expect(f.fixes[0]!.title).toMatch(/^Recreate the pods/);
  });

  it('auth-required with the secret in use: the registry rejected those credentials', () => {
    const snapshot = snapshotOf(SHOP, (input) => {
      input.pods!.find((p) => p.metadata.name.startsWith('worker-'))!.spec.imagePullSecrets = [
        { name: 'dockerhub-creds' },
      ];
    });
    const f = onlyFinding(run(snapshot), 'worker');
    expect(f.id).toMatch(/#worker\/auth-required$/);
    expect(f.title).toBe(
      'worker cannot pull acme/worker:0.9.0: Docker Hub rejected the credentials in dockerhub-creds',
    );
    // Docker Hub answers the same for a missing repository: say so.
    expect(f.explanation).toContain('gives this same answer for a repository that does not exist');
    expect(f.fixes[0]).toMatchObject({ id: 'replace-pull-credentials', mutates: false });
    expect(f.fixes[0]!.commands[0]).toContain('--dry-run=client -o yaml | kubectl apply -f -');
  });

  it('secret-missing: the pod lists a pull secret that does not exist', () => {
    const f = onlyFinding(findings, 'billing');
    expect(f.title).toBe(
      'billing cannot pull registry.gitlab.com/acme/billing:1.4.2: pull secret gitlab-regcred does not exist',
    );
    expect(
      f.evidence.filter(
        (e) =>
          e.text ===
          'Unable to retrieve some image pull secrets (gitlab-regcred); attempting to pull the image may not succeed.',
      ),
    ).toHaveLength(1);
    expect(f.evidence).toContainEqual(
      expect.objectContaining({ path: 'spec.imagePullSecrets[0].name', text: 'gitlab-regcred' }),
    );
    const plan = f.fixes[0]!;
    expect(plan.id).toBe('create-missing-pull-secret');
    // The kubelet re-reads the pod's own list at each retry: no recreation needed.
    expect(plan.steps).toEqual([
      expect.objectContaining({
        action: 'create-pull-secret',
        name: 'gitlab-regcred',
        server: 'registry.gitlab.com',
        namespace: 'shop',
      }),
    ]);
  });

  it('secret-missing is not claimed from a stale event once the secret exists', () => {
    const snapshot = snapshotOf(SHOP, (input) => {
      input.secrets!.push({
        apiVersion: 'v1',
        kind: 'Secret',
        metadata: { name: 'gitlab-regcred', namespace: 'shop' },
        type: 'kubernetes.io/dockerconfigjson',
        registries: ['registry.gitlab.com'],
      });
    });
    expect(onlyFinding(run(snapshot), 'billing').id).toMatch(/#billing\/auth-required$/);
  });

  it('unreachable: the registry host does not resolve from the node', () => {
    const f = onlyFinding(findings, 'reports');
    expect(f.title).toBe(
      'reports cannot pull registry.internal.example.com/team/reports:3.0.1: registry registry.internal.example.com unreachable',
    );
    expect(f.explanation).toContain('its name does not resolve (no such host)');
    expect(f.fixes[0]!.commands).toEqual([
      'kubectl debug node/minikube -it --image=busybox:1.36 -- nslookup registry.internal.example.com',
    ]);
  });

  it('not-found in a CronJob’s run: the image is set on the CronJob for the next runs, and on the stuck pod', () => {
    const [f] = run(new Snapshot(blockedCronJob()));
    expect(f!.subject).toEqual({ kind: 'CronJob', namespace: 'samples', name: 'nightly-report' });
    expect(f!.fixes[0]!.commands).toEqual([
      'kubectl set image cronjob/nightly-report report=ghcr.io/acme/nightly-report:<correct-tag> -n samples',
      'kubectl set image pod/nightly-report-29937960-x7k2p report=ghcr.io/acme/nightly-report:<correct-tag> -n samples',
    ]);
    expect(f!.fixes[0]!.explanation).toContain('gives its next runs the image');
  });

  it('invalid-name on a bare pod: the pod is its own subject', () => {
    const f = onlyFinding(findings, 'debug-shell');
    expect(f.subject).toEqual({ kind: 'Pod', name: 'debug-shell', namespace: 'shop' });
    expect(f.objects).toEqual([{ kind: 'Pod', name: 'debug-shell', namespace: 'shop' }]);
    expect(f.explanation).toContain('is not a valid image reference');
    expect(f.explanation).toContain('repository name must be lowercase');
    expect(f.fixes[0]!.commands).toEqual(['kubectl set image pod/debug-shell debug-shell=<image> -n shop']);
  });

  it('unknown: explains ImagePullBackOff and quotes the runtime', () => {
    const f = onlyFinding(findings, 'legacy');
    expect(f.title).toBe('legacy cannot pull quay.io/acme/legacy:1.0: image pull failed');
    expect(f.explanation).toContain('ImagePullBackOff means');
    expect(f.explanation).toContain('no space left on device');
    expect(f.fixes[0]!.commands).toEqual([expect.stringMatching(/^kubectl describe pod legacy-\S+ -n shop$/)]);
  });
});

describe('classifyPullMessage', () => {
  it.each([
    ['Error response from daemon: manifest for nginx:1.99 not found: manifest unknown: manifest unknown', 'not-found'],
    [
      "Error response from daemon: pull access denied for acme/private, repository does not exist or may require 'docker login': denied: requested access to the resource is denied",
      'auth-required',
    ],
    [
      'failed to resolve reference "registry.example.com/a/b:1": unexpected status code [manifests 1]: 401 Unauthorized',
      'auth-required',
    ],
    [
      'Error response from daemon: Head "https://registry-1.docker.io/v2/library/nginx/manifests/1.25": unauthorized: authentication required',
      'auth-required',
    ],
    [
      'Error response from daemon: Get "https://registry-1.docker.io/v2/": net/http: TLS handshake timeout',
      'unreachable',
    ],
    ['dial tcp 10.0.0.5:5000: i/o timeout', 'unreachable'],
    ['dial tcp 127.0.0.1:5000: connect: connection refused', 'unreachable'],
    [
      'unexpected status code 429 Too Many Requests - Server message: toomanyrequests: You have reached your pull rate limit.',
      'rate-limit',
    ],
    ['Error: something entirely different', 'unknown'],
  ])('%s → %s', (text, expected) => {
    expect(classifyPullMessage(text)).toBe(expected);
  });

  it('trusts the InvalidImageName waiting reason', () => {
    expect(classifyPullMessage('', 'InvalidImageName')).toBe('invalid-name');
  });
});

describe('pods/image-pull — nothing to report, and hostile input', () => {
  it('ignores healthy, completed and terminating pods', () => {
    const input = loadInput('healthy-and-odd.json');
    expect(run(new Snapshot(input))).toEqual([]);
  });

  it('ignores a pull failure on a pod that is being deleted', () => {
    const snapshot = snapshotOf(S1, (input) => {
      input.pods![0]!.metadata.deletionTimestamp = '2026-11-21T10:29:50Z';
    });
    expect(run(snapshot)).toEqual([]);
  });

  it('survives missing fields, unknown owner kinds and huge messages', () => {
    const huge = `Failed to pull image "x": ${'A'.repeat(1_000_000)}`;
    const pods = [
      { metadata: { name: 'no-spec', namespace: 'x' } },
      { metadata: { name: 'no-status', namespace: 'x' }, spec: { containers: [{ name: 'c' }] } },
      {
        metadata: { name: 'junk-status', namespace: 'x' },
        spec: {},
        status: { containerStatuses: [null, { name: 'c' }, { name: 'd', state: {} }] },
      },
      {
        metadata: {
          name: 'huge',
          namespace: 'x',
          ownerReferences: [
            { apiVersion: 'argoproj.io/v1alpha1', kind: 'Rollout', name: 'r', uid: 'u', controller: true },
          ],
        },
        spec: { containers: [{ name: 'c', image: 'x' }] },
        status: {
          containerStatuses: [
            { name: 'c', ready: false, restartCount: 0, state: { waiting: { reason: 'ErrImagePull', message: huge } } },
          ],
        },
      },
    ] as unknown as Pod[];
    const findings = run(new Snapshot({ pods }));
    expect(findings).toHaveLength(1);
    const f = findings[0]!;
    expect(f.subject).toEqual({ kind: 'Pod', name: 'huge', namespace: 'x' });
    expect(f.id).toMatch(/#c\/unknown$/);
    for (const e of f.evidence) expect(e.text.length).toBeLessThan(2100);
    expect(f.explanation.length).toBeLessThan(2000);
  });
});
