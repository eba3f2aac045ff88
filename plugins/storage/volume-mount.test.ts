import { describe, expect, it } from 'vitest';
import type { FixStep, RawFinding } from '../../src/diagnose/types.js';
import { Snapshot, type SnapshotInput } from '../../src/store/snapshot.js';
import { runRules } from '../../src/diagnose/engine.js';
import { rule as containerConfig } from '../pods/container-config.js';
import { rule } from './volume-mount.js';
import { parseMountEvent } from './lib/mount-events.js';
import {
  NOW,
  boundVolume,
  claim,
  configMap,
  creatingPod,
  deployment,
  node,
  podEvent,
  replicaSet,
  runningPod,
} from '../../test/fixtures/storage/volumes.js';

function run(input: SnapshotInput): RawFinding[] {
  return rule.diagnose({ snapshot: new Snapshot({ takenAt: NOW, ...input }), now: NOW });
}

const MULTI = (pods: string) => `Multi-Attach error for volume "pvc-5e1c" Volume is already used by pod(s) ${pods}`;

/** Deployment web with claim web-data (RWO): the old pod on node-1, the new one stuck on node-2. */
function rollout() {
  const deploy = deployment('web', [{ name: 'data', persistentVolumeClaim: { claimName: 'web-data' } }]);
  const oldRs = replicaSet(deploy, '6d4cf56db6');
  const newRs = replicaSet(deploy, '7f9b8c5d4');
  const old = runningPod(oldRs, 'x2k9p', 'node-1');
  const stuck = creatingPod(newRs, 'q7rtz', 'node-2');
  const pvc = claim('web-data', 'pvc-5e1c');
  const input: SnapshotInput = {
    deployments: [deploy],
    replicaSets: [oldRs, newRs],
    pods: [old, stuck],
    pvcs: [pvc],
    persistentVolumes: [boundVolume('pvc-5e1c', pvc)],
    nodes: [node('node-1'), node('node-2')],
    events: [
      podEvent(stuck, 'FailedAttachVolume', MULTI(old.metadata.name), {
        component: 'attachdetach-controller',
        minutesAgo: 19,
      }),
    ],
  };
  return { input, deploy, oldRs, newRs, old, stuck };
}

describe('storage/volume-mount — the kubelet and attach-detach messages', () => {
  it('parses Multi-Attach, missing keys, other operations and the timeout', () => {
    const p = creatingPod(replicaSet(deployment('x', []), 'a'), 'b', 'n');
    expect(
      parseMountEvent(podEvent(p, 'FailedAttachVolume', MULTI('a-1, a-2 and 2 pod(s) in different namespaces'))),
    ).toMatchObject({ kind: 'multi-attach', volume: 'pvc-5e1c', holders: ['a-1', 'a-2'], otherNamespaces: 2 });
    expect(
      parseMountEvent(
        podEvent(
          p,
          'FailedAttachVolume',
          `Multi-Attach error for volume "pvc-5e1c" Volume is already exclusively attached to one node and can't be attached to another`,
        ),
      ),
    ).toMatchObject({ kind: 'multi-attach', holders: [], otherNamespaces: 0 });
    expect(
      parseMountEvent(
        podEvent(
          p,
          'FailedMount',
          'MountVolume.SetUp failed for volume "tls" : references non-existent secret key: tls.crt',
        ),
      ),
    ).toMatchObject({ kind: 'missing-key', volume: 'tls', source: 'Secret', key: 'tls.crt' });
    expect(
      parseMountEvent(
        podEvent(p, 'FailedMount', 'MountVolume.SetUp failed for volume "config" : configmap "web-confg" not found'),
      ),
    ).toMatchObject({ kind: 'missing-object', volume: 'config' });
    expect(
      parseMountEvent(
        podEvent(
          p,
          'FailedMount',
          'Unable to attach or mount volumes: unmounted volumes=[data], unattached volumes=[data kube-api-access-9wq2z], failed to process volumes=[]: timed out waiting for the condition',
        ),
      ),
    ).toMatchObject({ kind: 'timeout', unmounted: ['data'], unattached: ['data', 'kube-api-access-9wq2z'] });
    expect(parseMountEvent(podEvent(p, 'BackOff', 'Back-off restarting failed container'))).toBeUndefined();
  });
});

describe('storage/volume-mount — Multi-Attach', () => {
  it('a rolling update whose new pod wants the old pod’s ReadWriteOnce volume: names the holder, offers Recreate', () => {
    const { input } = rollout();
    const [f, ...rest] = run(input);
    expect(rest).toEqual([]);
    expect(f!.id).toBe('storage/volume-mount:shop/Deployment/web#data/multi-attach');
    expect(f!.severity).toBe('critical');
    expect(f!.title).toBe(
      'pod web-7f9b8c5d4-q7rtz cannot attach volume data (claim web-data, PersistentVolume pvc-5e1c): web-6d4cf56db6-x2k9p holds it on node node-1',
    );
    expect(f!.explanation).toContain('a RollingUpdate starts the new pod before it stops the old one');
    expect(f!.evidence[0]).toMatchObject({
      source: 'event',
      reason: 'FailedAttachVolume',
      text: MULTI('web-6d4cf56db6-x2k9p'),
    });
    expect(f!.evidence).toContainEqual(
      expect.objectContaining({ path: 'spec.volumes[0]', text: '{"persistentVolumeClaim":{"claimName":"web-data"}}' }),
    );
    expect(f!.objects).toContainEqual({ kind: 'Pod', name: 'web-6d4cf56db6-x2k9p', namespace: 'shop' });
    expect(f!.fixes[0]).toMatchObject({
      id: 'use-recreate-strategy',
      mutates: true,
      commands: [
        `kubectl patch deployment web -n shop -p '{"spec":{"strategy":{"type":"Recreate","rollingUpdate":null}}}'`,
        'kubectl rollout status deployment/web -n shop',
      ],
      steps: [
        {
          action: 'merge-patch',
          ref: { kind: 'Deployment', name: 'web', namespace: 'shop' },
          patch: { spec: { strategy: { type: 'Recreate', rollingUpdate: null } } },
        },
      ],
    });
  });

  it('a second replica of the same ReplicaSet: a manual plan, no guess at the replica count', () => {
    const { input, newRs, stuck } = rollout();
    const sibling = runningPod(newRs, 'b8s2d', 'node-1');
    const [f] = run({
      ...input,
      pods: [sibling, stuck],
      events: [
        podEvent(stuck, 'FailedAttachVolume', MULTI(sibling.metadata.name), { component: 'attachdetach-controller' }),
      ],
    });
    expect(f!.explanation).toContain('The holder is another replica of the same ReplicaSet');
    expect(f!.fixes.map((p) => [p.id, p.mutates])).toEqual([['one-writer', false]]);
    expect(f!.fixes[0]!.commands[0]).toBe('kubectl scale deployment/web -n shop --replicas=1');
  });

  it('a holder left on a node that is not Ready: force-delete only once the node is known down', () => {
    const { input, old, stuck } = rollout();
    const [f] = run({ ...input, nodes: [node('node-1', false), node('node-2')] });
    expect(f!.explanation).toContain('sits on a node that is not Ready');
    expect(f!.fixes[0]!.commands).toContain(`kubectl delete pod ${old.metadata.name} -n shop --force --grace-period=0`);
    expect(f!.fixes[0]!.mutates).toBe(false);
    expect(stuck.spec.nodeName).toBe('node-2');
  });

  it('is quiet once the volume is attached (SuccessfulAttachVolume, or the image is being pulled)', () => {
    const { input, stuck } = rollout();
    const attached = podEvent(stuck, 'SuccessfulAttachVolume', 'AttachVolume.Attach succeeded for volume "pvc-5e1c" ', {
      type: 'Normal',
      component: 'attachdetach-controller',
      minutesAgo: 1,
    });
    expect(run({ ...input, events: [...input.events!, attached] })).toEqual([]);
    const pulling = podEvent(stuck, 'Pulling', 'Pulling image "ghcr.io/acme-shop/web:1.0.0"', {
      type: 'Normal',
      minutesAgo: 1,
    });
    expect(run({ ...input, events: [...input.events!, pulling] })).toEqual([]);
  });
});

describe('storage/volume-mount — a ConfigMap volume reading a key the ConfigMap lacks', () => {
  const setup = () => {
    const deploy = deployment('web', [
      { name: 'config', configMap: { name: 'web-config', items: [{ key: 'app.yml', path: 'app.yml' }] } },
    ]);
    const rs = replicaSet(deploy, '7f9b8c5d4');
    const stuck = creatingPod(rs, 'q7rtz', 'node-2');
    const input: SnapshotInput = {
      deployments: [deploy],
      replicaSets: [rs],
      pods: [stuck],
      configMaps: [configMap('web-config', ['app.yaml', 'log.level'])],
      events: [
        podEvent(
          stuck,
          'FailedMount',
          'MountVolume.SetUp failed for volume "config" : configmap references non-existent config key: app.yml',
          { count: 9 },
        ),
      ],
    };
    return { input, stuck };
  };

  it('names the closest existing key and patches the template to it, guarded', () => {
    const [f] = run(setup().input);
    expect(f!.id).toBe('storage/volume-mount:shop/Deployment/web#config/missing-key');
    expect(f!.title).toBe(
      'volume config needs key app.yml, which ConfigMap web-config does not have (did you mean "app.yaml"?)',
    );
    expect(f!.explanation).toContain('ConfigMap web-config has the keys app.yaml, log.level.');
    expect(f!.evidence).toContainEqual(
      expect.objectContaining({
        source: 'spec',
        path: 'spec.volumes[0].configMap',
        text: 'ConfigMap web-config, key app.yml',
      }),
    );
    expect(f!.dependsOn).toEqual([{ kind: 'ConfigMap', name: 'web-config', namespace: 'shop' }]);
    const patch = f!.fixes[0]!.steps[0] as Extract<FixStep, { action: 'json-patch' }>;
    expect(f!.fixes[0]!.id).toBe('use-existing-key');
    expect(patch.patch).toEqual([
      { op: 'test', path: '/spec/template/spec/volumes/0/name', value: 'config' },
      { op: 'test', path: '/spec/template/spec/volumes/0/configMap/items/0/key', value: 'app.yml' },
      { op: 'replace', path: '/spec/template/spec/volumes/0/configMap/items/0/key', value: 'app.yaml' },
    ]);
    expect(f!.fixes[1]).toMatchObject({ id: 'add-missing-key', mutates: false });
  });

  it('is quiet once the ConfigMap has the key (the kubelet retries by itself)', () => {
    const { input } = setup();
    expect(run({ ...input, configMaps: [configMap('web-config', ['app.yml'])] })).toEqual([]);
  });
});

describe('storage/volume-mount — projected volumes and least privilege', () => {
  it('a projected ConfigMap source reading a missing key: the patch points into the projected source', () => {
    const deploy = deployment('web', [
      {
        name: 'bundle',
        projected: {
          sources: [
            { secret: { name: 'web-tls', items: [{ key: 'tls.crt', path: 'tls.crt' }] } },
            { configMap: { name: 'web-config', items: [{ key: 'app.yml', path: 'app.yml' }] } },
          ],
        },
      },
    ]);
    const rs = replicaSet(deploy, '7f9b8c5d4');
    const stuck = creatingPod(rs, 'q7rtz', 'node-2');
    const [f] = run({
      deployments: [deploy],
      replicaSets: [rs],
      pods: [stuck],
      configMaps: [configMap('web-config', ['app.yaml'])],
      events: [
        podEvent(
          stuck,
          'FailedMount',
          'MountVolume.SetUp failed for volume "bundle" : configmap references non-existent config key: app.yml',
        ),
      ],
    });
    expect(f!.id).toBe('storage/volume-mount:shop/Deployment/web#bundle/missing-key');
    const patch = f!.fixes[0]!.steps[0] as Extract<FixStep, { action: 'json-patch' }>;
    expect(patch.patch.at(-1)).toEqual({
      op: 'replace',
      path: '/spec/template/spec/volumes/0/projected/sources/1/configMap/items/0/key',
      value: 'app.yaml',
    });
  });

  it('a namespace-only user (no nodes, no PersistentVolumes) still gets the Multi-Attach and its holder', () => {
    const { input } = rollout();
    const [f] = run({ ...input, persistentVolumes: [], nodes: [], forbidden: ['persistentvolumes', 'nodes'] });
    expect(f!.title).toBe(
      'pod web-7f9b8c5d4-q7rtz cannot attach volume data (claim web-data): web-6d4cf56db6-x2k9p holds it on node node-1',
    );
    expect(f!.fixes[0]!.id).toBe('use-recreate-strategy');
  });
});

describe('storage/volume-mount — other failures', () => {
  const setup = (events: (p: ReturnType<typeof creatingPod>) => SnapshotInput['events']) => {
    const deploy = deployment('reports', [{ name: 'archive', nfs: { server: '10.0.0.9', path: '/exports/reports' } }]);
    const rs = replicaSet(deploy, '5c6d7e8f9');
    const stuck = creatingPod(rs, 'h4j5k', 'node-2');
    return { deployments: [deploy], replicaSets: [rs], pods: [stuck], events: events(stuck) };
  };

  it('a mount the volume plugin refuses: quotes its error', () => {
    const [f] = run(
      setup((p) => [
        podEvent(
          p,
          'FailedMount',
          'MountVolume.SetUp failed for volume "archive" : mount failed: exit status 32\nMounting command: mount\nMounting arguments: -t nfs 10.0.0.9:/exports/reports /var/lib/kubelet/pods/x/volumes/kubernetes.io~nfs/archive\nOutput: mount.nfs: Connection timed out',
        ),
      ]),
    );
    expect(f!.id).toBe('storage/volume-mount:shop/Deployment/reports#archive/mount-failed');
    expect(f!.title).toBe('volume archive cannot be mounted on node node-2: MountVolume.SetUp fails');
    expect(f!.explanation).toContain('mount.nfs: Connection timed out');
  });

  it('only the kubelet’s timeout: tells attach from mount', () => {
    const [f] = run(
      setup((p) => [
        podEvent(
          p,
          'FailedMount',
          'Unable to attach or mount volumes: unmounted volumes=[archive], unattached volumes=[archive kube-api-access-9wq2z]: timed out waiting for the condition',
        ),
      ]),
    );
    expect(f!.id).toBe('storage/volume-mount:shop/Deployment/reports#archive/mount-timeout');
    expect(f!.title).toBe('volume archive is not attached: the kubelet timed out waiting');
  });
});

describe('storage/volume-mount — what is not its finding', () => {
  const missingConfigMap = () => {
    const deploy = deployment('web', [{ name: 'config', configMap: { name: 'web-confg' } }]);
    const rs = replicaSet(deploy, '7f9b8c5d4');
    const stuck = creatingPod(rs, 'q7rtz', 'node-2');
    return {
      deployments: [deploy],
      replicaSets: [rs],
      pods: [stuck],
      configMaps: [configMap('web-config', ['app.yaml'])],
      events: [
        podEvent(
          stuck,
          'FailedMount',
          'MountVolume.SetUp failed for volume "config" : configmap "web-confg" not found',
        ),
        podEvent(
          stuck,
          'FailedMount',
          'Unable to attach or mount volumes: unmounted volumes=[config], unattached volumes=[config kube-api-access-9wq2z]: timed out waiting for the condition',
        ),
      ],
      stuck,
    };
  };

  it('a ConfigMap that does not exist is pods/create-container-config’s, timeout included', () => {
    const { stuck: _stuck, ...input } = missingConfigMap();
    expect(run(input)).toEqual([]);
    const { findings } = runRules([rule, containerConfig], new Snapshot({ takenAt: NOW, ...input }));
    expect(findings.map((f) => f.ruleId)).toEqual(['pods/create-container-config']);
  });

  it('a pod that runs now, with its old failures', () => {
    const { input, newRs } = rollout();
    const running = runningPod(newRs, 'q7rtz', 'node-2', 20);
    expect(run({ ...input, pods: [running] })).toEqual([]);
  });
});
