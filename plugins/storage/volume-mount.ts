// storage/volume-mount: pods that stay in ContainerCreating because a volume cannot be attached
// or mounted. The kubelet sets up every volume before it pulls an image or starts a container,
// so a volume that fails holds the whole pod. Causes, from the events the attach-detach
// controller and the kubelet write (plugins/storage/lib/mount-events.ts):
//   - multi-attach: a ReadWriteOnce volume still attached to another node, for the pod that
//     holds it — the new pod of a rolling update, a second replica, a pod left on a lost node;
//   - missing-key: a ConfigMap or Secret volume whose `items` name a key the object lacks
//     (with the closest existing key);
//   - attach-failed / mount-failed: the volume plugin's or CSI driver's own error;
//   - mount-timeout: only the kubelet's "Unable to attach or mount volumes … timed out" (up to
//     v1.27; later kubelets stay silent on a pure timeout), read for attach vs mount.
// A ConfigMap or Secret volume whose object does not exist is pods/create-container-config's
// finding. Nothing is said about a pod that runs now, or whose failure is older than the
// kubelet's next step (an image pull or container start happens only once volumes are mounted).
import type {
  KubeEvent,
  KubeObject,
  Node,
  PersistentVolume,
  PersistentVolumeClaim,
  Pod,
  Volume,
  Workload,
} from '../../src/model/k8s.js';
import type { Snapshot } from '../../src/store/snapshot.js';
import { eventTime } from '../../src/store/snapshot.js';
import type { Evidence, FixPlan, JsonPatchOp, RuleContext } from '../../src/diagnose/types.js';
import { defineRule, type Case, type CaseGroup, type Explained } from '../../src/diagnose/define-rule.js';
import { eventsEvidence, fieldEvidence, kubectlName, refOf } from '../../src/diagnose/evidence.js';
import { manualPlan, nsFlag } from '../../src/diagnose/plans.js';
import { nearestName } from '../../src/diagnose/nearest.js';
import {
  byName,
  containerSites,
  isTerminating,
  podEvents,
  podRef,
  podsPhrase,
  subjectRef,
} from '../../src/diagnose/pod-facts.js';
import { patchableWorkload, templatePatchPlan } from '../../src/diagnose/workload-plans.js';
import { RULE_IDS } from '../../src/diagnose/rule-ids.js';
import { listNames } from '../scheduling/lib/cause.js';
import { volumeRefs, type ConfigRef } from '../pods/lib/config-refs.js';
import { parseMountEvent, type MountFailure } from './lib/mount-events.js';

/** Kubelet events that come only after every volume is mounted: the volume failures before them are over. */
const AFTER_MOUNT = new Set(['Pulling', 'Pulled', 'Created', 'Started', 'ErrImageNeverPull']);

type Found = Exclude<MountFailure, { kind: 'timeout' }>;
type Specific = Exclude<Found, { kind: 'missing-object' }>;
type Variant = Specific['kind'] | 'mount-timeout';

interface MountCase extends Case {
  pod: Pod;
  owner: KubeObject;
  /** The pod's volume name. */
  volume: string;
  spec: Volume | undefined;
  specPath: string | undefined;
  variant: Variant;
  /** The newest specific failure, or undefined for a bare timeout. */
  failure: Specific | undefined;
  /** The events of this failure, oldest first. */
  events: KubeEvent[];
  /** "Unable to attach or mount volumes" events that list this volume as unmounted. */
  timeouts: KubeEvent[];
  unattached: boolean;
  claim: PersistentVolumeClaim | undefined;
  pv: PersistentVolume | undefined;
}

const time = (e: KubeEvent): number => Date.parse(eventTime(e)) || 0;

/** Pending on its node, every container (if reported) still being created. */
function stuckCreating(pod: Pod): boolean {
  if (isTerminating(pod) || pod.status?.phase !== 'Pending' || !pod.spec?.nodeName) return false;
  return containerSites(pod).every((s) =>
    ['ContainerCreating', 'PodInitializing'].includes(s.status.state?.waiting?.reason ?? ''),
  );
}

function podVolumes(pod: Pod): Volume[] {
  return Array.isArray(pod.spec?.volumes) ? pod.spec.volumes.filter((v) => v && typeof v.name === 'string') : [];
}

/** The pod's volume a message names: by its own name, or the PersistentVolume its claim is bound to. */
function volumeNamed(snapshot: Snapshot, pod: Pod, name: string): string {
  const volumes = podVolumes(pod);
  if (volumes.some((v) => v.name === name)) return name;
  const ns = pod.metadata.namespace;
  const viaClaim = volumes.find((v) => {
    const claim = v.persistentVolumeClaim?.claimName;
    return claim && snapshot.get<PersistentVolumeClaim>('PersistentVolumeClaim', ns, claim)?.spec?.volumeName === name;
  });
  return viaClaim?.name ?? name;
}

function storageOf(snapshot: Snapshot, pod: Pod, spec: Volume | undefined, named: string) {
  const claimName = spec?.persistentVolumeClaim?.claimName;
  const claim = claimName
    ? snapshot.get<PersistentVolumeClaim>('PersistentVolumeClaim', pod.metadata.namespace, claimName)
    : undefined;
  const pv = snapshot.get<PersistentVolume>('PersistentVolume', undefined, claim?.spec?.volumeName ?? named);
  return { claim, pv };
}

/** Whether the failure is over by what the snapshot shows. */
function resolved(snapshot: Snapshot, pod: Pod, f: Specific, last: KubeEvent, all: KubeEvent[]): boolean {
  const after = all.some((e) => time(e) > time(last) && AFTER_MOUNT.has(e.reason ?? ''));
  if (after) return true;
  if (f.kind === 'multi-attach')
    return all.some(
      (e) =>
        e.reason === 'SuccessfulAttachVolume' && time(e) >= time(last) && (e.message ?? '').includes(`"${f.volume}"`),
    );
  if (f.kind === 'missing-key') {
    const ref = keyRef(pod, volumeNamed(snapshot, pod, f.volume), f);
    const keys = ref ? keysOf(snapshot, ref.kind, pod.metadata.namespace ?? '', ref.name) : undefined;
    return !!keys?.includes(f.key);
  }
  return false;
}

function keysOf(snapshot: Snapshot, kind: string, namespace: string, name: string): string[] | undefined {
  const obj = snapshot.get<KubeObject & { keys?: string[] }>(kind, namespace, name);
  return obj ? (Array.isArray(obj.keys) ? obj.keys : []) : undefined;
}

/** The ConfigMap or Secret source of the volume whose items read the missing key. */
function keyRef(pod: Pod, volume: string, f: Extract<MountFailure, { kind: 'missing-key' }>): ConfigRef | undefined {
  return volumeRefs(pod.spec ?? { containers: [] }).find(
    (r) => r.volume === volume && r.kind === f.source && r.key === f.key,
  );
}

function* classify({ snapshot }: RuleContext): Iterable<MountCase> {
  for (const pod of byName(snapshot.pods)) {
    if (!stuckCreating(pod)) continue;
    const all = podEvents(snapshot, pod);
    const parsed = all
      .map((e) => ({ e, f: parseMountEvent(e) }))
      .filter((x): x is { e: KubeEvent; f: MountFailure } => x.f !== undefined);
    if (parsed.length === 0) continue;
    const byVolume = new Map<string, { e: KubeEvent; f: Found }[]>();
    const timeouts = new Map<string, { events: KubeEvent[]; unattached: boolean }>();
    for (const { e, f } of parsed) {
      if (f.kind === 'timeout') {
        for (const v of f.unmounted) {
          const t = timeouts.get(v) ?? { events: [], unattached: false };
          t.events.push(e);
          t.unattached = f.unattached.includes(v);
          timeouts.set(v, t);
        }
        continue;
      }
      const volume = volumeNamed(snapshot, pod, f.volume);
      byVolume.set(volume, [...(byVolume.get(volume) ?? []), { e, f }]);
    }
    const volumes = podVolumes(pod);
    const owner = snapshot.topOwner(pod);
    const place = (volume: string) => {
      const index = volumes.findIndex((v) => v.name === volume);
      return { spec: volumes[index], specPath: index >= 0 ? `spec.volumes[${index}]` : undefined };
    };
    for (const volume of new Set([...byVolume.keys(), ...timeouts.keys()])) {
      const failures = byVolume.get(volume) ?? [];
      const t = timeouts.get(volume);
      const last = failures[failures.length - 1];
      // A missing ConfigMap or Secret is pods/create-container-config's finding, timeout included.
      if (last?.f.kind === 'missing-object') continue;
      const newest = last as { e: KubeEvent; f: Specific } | undefined;
      const lastTimeout = t?.events[t.events.length - 1];
      if (newest && resolved(snapshot, pod, newest.f, newest.e, all)) continue;
      if (!newest && lastTimeout && all.some((e) => time(e) > time(lastTimeout) && AFTER_MOUNT.has(e.reason ?? '')))
        continue;
      const { spec, specPath } = place(volume);
      const variant: Variant = newest ? newest.f.kind : 'mount-timeout';
      const same = newest ? failures.filter((x) => x.f.kind === newest.f.kind).map((x) => x.e) : [];
      yield {
        subject: subjectRef(owner, [pod]),
        detail: `${volume}/${variant}`,
        objects: [podRef(pod)],
        pod,
        owner,
        volume,
        spec,
        specPath,
        variant,
        failure: newest?.f,
        events: same,
        timeouts: t?.events ?? [],
        unattached: t?.unattached ?? false,
        ...storageOf(snapshot, pod, spec, newest?.f.volume ?? volume),
      };
    }
  }
}

// ---------------------------------------------------------------- multi-attach: who holds the volume

type Holding = 'rollout' | 'replicas' | 'lost-node' | 'other' | 'attached-only';

interface Holders {
  pods: Pod[];
  /** Named in the event but gone from the cluster. */
  gone: string[];
  otherNamespaces: number;
  how: Holding;
  /** The node a holder runs on (the one the volume is attached to). */
  node: string | undefined;
}

const controllerOf = (snapshot: Snapshot, pod: Pod): KubeObject | undefined => snapshot.ownerChain(pod)[0];
const sameObject = (a: KubeObject | undefined, b: KubeObject | undefined): boolean =>
  !!a && !!b && a.kind === b.kind && a.metadata.name === b.metadata.name;

function nodeLost(snapshot: Snapshot, name: string | undefined): boolean {
  const node = name ? snapshot.get<Node>('Node', undefined, name) : undefined;
  const ready = node?.status?.conditions?.find((c) => c.type === 'Ready');
  return !!ready && ready.status !== 'True';
}

function holdersOf(snapshot: Snapshot, c: MountCase, f: Extract<MountFailure, { kind: 'multi-attach' }>): Holders {
  const ns = c.pod.metadata.namespace;
  const pods = f.holders.map((n) => snapshot.get<Pod>('Pod', ns, n)).filter((p): p is Pod => !!p);
  const gone = f.holders.filter((n) => !pods.some((p) => p.metadata.name === n));
  const mine = controllerOf(snapshot, c.pod);
  let how: Holding = 'other';
  if (pods.length === 0) how = 'attached-only';
  else if (pods.some((p) => isTerminating(p) || nodeLost(snapshot, p.spec?.nodeName))) how = 'lost-node';
  else if (pods.some((p) => sameObject(controllerOf(snapshot, p), mine))) how = 'replicas';
  else if (
    c.owner.kind === 'Deployment' &&
    pods.some((p) => sameObject(snapshot.topOwner(p), c.owner) && !sameObject(controllerOf(snapshot, p), mine))
  )
    how = 'rollout';
  return { pods, gone, otherNamespaces: f.otherNamespaces, how, node: pods[0]?.spec?.nodeName };
}

// ---------------------------------------------------------------- explain

function volumeWords(c: MountCase): string {
  if (c.claim)
    return `volume ${c.volume} (claim ${c.claim.metadata.name}${c.pv ? `, PersistentVolume ${c.pv.metadata.name}` : ''})`;
  return `volume ${c.volume}`;
}

function specEvidence(c: MountCase): Evidence[] {
  if (!c.spec || !c.specPath) return [];
  const { name: _name, ...source } = c.spec as Volume & Record<string, unknown>;
  return [fieldEvidence(c.pod, c.specPath, JSON.stringify(source), 'spec')];
}

/** Required pod anti-affinity over hostnames: no two replicas on one node. */
function spreadByHost(pod: Pod): boolean {
  const terms = pod.spec?.affinity?.podAntiAffinity?.requiredDuringSchedulingIgnoredDuringExecution;
  return Array.isArray(terms) && terms.some((t) => t?.topologyKey === 'kubernetes.io/hostname');
}

function explainMultiAttach(snapshot: Snapshot, c: MountCase, pods: readonly Pod[]): Explained {
  const f = c.failure as Extract<MountFailure, { kind: 'multi-attach' }>;
  const h = holdersOf(snapshot, c, f);
  const node = c.pod.spec?.nodeName ?? '?';
  const modes = c.pv?.spec.accessModes ?? c.claim?.spec?.accessModes ?? [];
  const holderNames = h.pods.map((p) => `${p.metadata.name}${p.spec?.nodeName ? ` on node ${p.spec.nodeName}` : ''}`);
  const held = h.pods.length
    ? `pod ${listNames(holderNames)} ${h.pods.length === 1 ? 'uses' : 'use'} it`
    : h.otherNamespaces
      ? `${h.otherNamespaces} pod(s) in other namespaces use it`
      : 'it is still attached to another node';
  const why: Record<Holding, string> = {
    rollout: `The holder is the old pod of the same Deployment: a RollingUpdate starts the new pod before it stops the old one, and a ReadWriteOnce volume cannot be on both nodes, so the rollout waits forever. A Deployment with a single-writer volume needs strategy Recreate, which stops the old pod first.`,
    replicas: `The holder is another replica of the same ${controllerOf(snapshot, c.pod)?.kind ?? 'workload'}: its replicas share one claim, and a ReadWriteOnce volume serves one node at a time.${spreadByHost(c.pod) ? ' Its required pod anti-affinity even puts each replica on a node of its own, so they can never share it.' : ''} Run one replica, give each replica its own volume (a StatefulSet's volumeClaimTemplates), or use storage with ReadWriteMany.`,
    'lost-node': `The holder is being deleted or sits on a node that is not Ready: its kubelet never reports the volume unmounted, so the attach-detach controller does not detach it (it force-detaches only 6 minutes after the node stops reporting the volume in use, and never while the pod object remains). Once you are sure that node is down, force-delete the old pod, or taint the node out of service.`,
    other: `The holder belongs to another workload that mounts the same claim. Only one of them can have a ReadWriteOnce volume at a time: stop the other one, or give this workload its own claim.`,
    'attached-only': `No pod names it any more${h.gone.length ? ` (${listNames(h.gone)} ${h.gone.length === 1 ? 'is' : 'are'} gone)` : ''}, but it is still attached to another node: the controller detaches it once that node reports it unmounted (or force-detaches after 6 minutes); check the VolumeAttachment objects if it does not.`,
  };
  const title =
    h.pods.length > 0
      ? `${podsPhrase(pods)} cannot attach ${volumeWords(c)}: ${h.pods[0]!.metadata.name} holds it${h.node ? ` on node ${h.node}` : ''}`
      : `${podsPhrase(pods)} cannot attach ${volumeWords(c)}: it is attached to another node`;
  const evidence: Evidence[] = [
    ...eventsEvidence(c.events, 1),
    ...specEvidence(c),
    ...(c.pv ? [fieldEvidence(c.pv, 'spec.accessModes', modes.join(', '), 'spec')] : []),
    ...h.pods.map((p) => fieldEvidence(p, 'spec.nodeName', p.spec?.nodeName ?? '', 'spec')),
    fieldEvidence(c.pod, 'spec.nodeName', node, 'spec'),
    ...eventsEvidence(c.timeouts, 1),
  ];
  return {
    severity: 'critical',
    title,
    explanation: `${pods.length === 1 ? `Pod ${c.pod.metadata.name}` : `${pods.length} pods (${c.pod.metadata.name} among them)`} on node ${node} ${pods.length === 1 ? 'waits' : 'wait'} in ContainerCreating: the attach-detach controller will not attach ${volumeWords(c)} to node ${node} because the volume is ${modes.length ? modes.join(', ') : 'ReadWriteOnce'} and ${held} ("${f.message}"). ${why[h.how]}`,
    evidence,
    objects: h.pods.map(podRef),
  };
}

function explainMissingKey(snapshot: Snapshot, c: MountCase, pods: readonly Pod[]): Explained {
  const f = c.failure as Extract<MountFailure, { kind: 'missing-key' }>;
  const ref = keyRef(c.pod, c.volume, f);
  const ns = c.pod.metadata.namespace ?? '';
  const name = ref?.name ?? '?';
  const keys = ref ? keysOf(snapshot, f.source, ns, ref.name) : undefined;
  const meant = keys ? nearestName(f.key, keys) : undefined;
  const has =
    keys === undefined
      ? `kcockpit cannot list the keys of ${f.source} ${name}${f.source === 'Secret' ? ' (it never reads Secrets)' : ''}.`
      : `${f.source} ${name} has the keys ${keys.length ? keys.join(', ') : '(none)'}.${meant ? ` "${meant}" is the closest: probably what was meant.` : ''}`;
  const evidence: Evidence[] = [...eventsEvidence(c.events, 2)];
  if (ref) evidence.push(fieldEvidence(c.pod, ref.path, `${f.source} ${ref.name}, key ${f.key}`, 'spec'));
  if (keys)
    evidence.push({
      source: 'status',
      ref: { kind: f.source, name, namespace: ns },
      text: `keys: ${keys.join(', ') || '(none)'}`,
    });
  return {
    severity: 'critical',
    title: `volume ${c.volume} needs key ${f.key}, which ${f.source} ${name} does not have${meant ? ` (did you mean "${meant}"?)` : ''}`,
    explanation: `The ${podsPhrase(pods)} cannot start: the kubelet mounts every volume before it starts containers, and volume ${c.volume} lists key ${f.key} of ${f.source} ${name} under items ("${f.message}"). ${has} Fix the key in the pod template${meant ? ` (to "${meant}")` : ''}, add the key to the ${f.source}, or mark the source optional; the kubelet retries by itself.`,
    evidence,
    dependsOn: [{ kind: f.source, name, namespace: ns }],
  };
}

function explainOther(c: MountCase, pods: readonly Pod[]): Explained {
  const node = c.pod.spec?.nodeName ?? '?';
  const f = c.failure;
  const where = c.claim
    ? ` It is claim ${c.claim.metadata.name}'s volume${c.pv ? ` ${c.pv.metadata.name} (class "${c.pv.spec.storageClassName ?? ''}")` : ''}: the driver of its storage is the one failing.`
    : '';
  let title: string;
  let what: string;
  if (f?.kind === 'attach-failed') {
    title = `${volumeWords(c)} cannot be attached to node ${node}`;
    what = `the volume's driver failed to attach it to node ${node}: "${f.error}". Attaching is done by the attach-detach controller (or the CSI driver's external-attacher); the error names what its storage backend refused.`;
  } else if (f?.kind === 'mount-failed') {
    title = `${volumeWords(c)} cannot be mounted on node ${node}: ${f.operation} fails`;
    what = `the kubelet on node ${node} fails to mount it (${f.operation}): "${f.error}". The error comes from the volume's plugin or CSI node driver on that node.`;
  } else {
    title = `${volumeWords(c)} is not ${c.unattached ? 'attached' : 'mounted'}: the kubelet timed out waiting`;
    what = c.unattached
      ? `the kubelet waited for it to be attached to node ${node} and it never was: nothing attached it (look at the VolumeAttachment objects and kube-controller-manager or the CSI driver's external-attacher).`
      : `it is attached but the kubelet could not mount it in time; the kubelet's log on node ${node} or the CSI node driver's pod says why.`;
  }
  return {
    severity: 'critical',
    title,
    explanation: `The ${podsPhrase(pods)} wait in ContainerCreating: the kubelet starts containers only once every volume is mounted, and for ${volumeWords(c)} ${what}${where}`,
    evidence: [...eventsEvidence(c.events, 2), ...eventsEvidence(c.timeouts, 1), ...specEvidence(c)],
  };
}

function explain(group: CaseGroup<MountCase>, { snapshot }: RuleContext): Explained {
  const c = group.lead;
  const pods = [...new Set(group.cases.map((x) => x.pod))];
  if (c.variant === 'multi-attach') return explainMultiAttach(snapshot, c, pods);
  if (c.variant === 'missing-key') return explainMissingKey(snapshot, c, pods);
  return explainOther(c, pods);
}

// ---------------------------------------------------------------- plans

const RECREATE = { spec: { strategy: { type: 'Recreate', rollingUpdate: null } } };

function multiAttachPlans(snapshot: Snapshot, c: MountCase): FixPlan[] {
  const f = c.failure as Extract<MountFailure, { kind: 'multi-attach' }>;
  const h = holdersOf(snapshot, c, f);
  const ns = nsFlag(c.pod.metadata.namespace);
  const pv = c.pv?.metadata.name ?? f.volume;
  const attachments = `kubectl get volumeattachment -o custom-columns=NAME:.metadata.name,PV:.spec.source.persistentVolumeName,NODE:.spec.nodeName,ATTACHED:.status.attached | grep -e NAME -e ${pv}`;
  const holder = h.pods[0]?.metadata.name;
  switch (h.how) {
    case 'rollout': {
      const ref = refOf(c.owner);
      return [
        {
          id: 'use-recreate-strategy',
          title: `Switch Deployment ${ref.name} to strategy Recreate`,
          explanation: `With Recreate the Deployment controller stops the old pod before it starts a new one, so the volume is detached and can follow the pod. The stuck rollout finishes by itself: the controller scales the old ReplicaSet down first. The price is a short gap on every rollout, which a single-writer volume implies anyway.`,
          commands: [
            `kubectl patch deployment ${ref.name}${ns} -p '${JSON.stringify(RECREATE)}'`,
            `kubectl rollout status deployment/${ref.name}${ns}`,
          ],
          steps: [
            {
              action: 'merge-patch',
              ref,
              patch: RECREATE,
              description: `Set strategy Recreate on Deployment ${ref.name} (rollingUpdate removed, as the API requires)`,
            },
          ],
          mutates: true,
        },
      ];
    }
    case 'replicas':
      return [
        manualPlan({
          id: 'one-writer',
          title: 'Give each replica its own volume, or run one',
          explanation: `Replicas sharing one ReadWriteOnce claim can only run on one node. Which fix is right depends on the app: scale to one replica, move to a StatefulSet with volumeClaimTemplates (a volume per replica), or use a ReadWriteMany class.`,
          commands: [`kubectl scale ${kubectlName(refOf(c.owner))}${ns} --replicas=1`, 'kubectl get storageclass'],
        }),
      ];
    case 'lost-node':
      return [
        manualPlan({
          id: 'release-from-lost-node',
          title: `Free the volume from pod ${holder}${h.node ? ` on node ${h.node}` : ''}`,
          explanation: `Force-deleting a pod whose node may still be running can let two writers use the volume and corrupt it: do it only once you know node ${h.node ?? '?'} is down. Then the controller detaches the volume (after up to 6 minutes without an out-of-service taint).`,
          commands: [
            ...(h.node ? [`kubectl get node ${h.node}`] : []),
            `kubectl delete pod ${holder}${ns} --force --grace-period=0`,
            ...(h.node
              ? [`kubectl taint node ${h.node} node.kubernetes.io/out-of-service=nodeshutdown:NoExecute`]
              : []),
            attachments,
          ],
        }),
      ];
    case 'other':
      return [
        manualPlan({
          id: 'stop-other-holder',
          title: `Stop pod ${holder} from holding ${pv}, or give this workload its own claim`,
          explanation: `Pod ${holder} belongs to another workload that mounts the same ReadWriteOnce claim; only one can have it. kcockpit does not choose which one should run.`,
          commands: [`kubectl get pod ${holder}${ns} -o wide`, attachments],
        }),
      ];
    case 'attached-only':
      return [
        manualPlan({
          id: 'check-attachment',
          title: `Check where ${pv} is still attached`,
          explanation: `No pod holds the volume, so the controller should detach it within minutes. If the VolumeAttachment stays, its node's kubelet or the CSI driver is not reporting the volume unmounted.`,
          commands: [attachments],
        }),
      ];
  }
}

/** Where the template's volume reads `key` (plain or projected source): the volume's index and the item's key pointer. */
function templateKey(
  w: Workload,
  volume: string,
  source: 'ConfigMap' | 'Secret',
  key: string,
): { index: number; pointer: string } | undefined {
  const spec = w.spec.template.spec as { volumes?: unknown };
  const volumes = Array.isArray(spec.volumes) ? (spec.volumes as Record<string, unknown>[]) : [];
  const index = volumes.findIndex((v) => v?.['name'] === volume);
  if (index < 0) return undefined;
  const ref = volumeRefs({ containers: [], volumes: [volumes[index]] as unknown as Volume[] }, 'spec', '').find(
    (r) => r.kind === source && r.key === key,
  );
  if (!ref) return undefined;
  const sub = ref.pointer.replace(/^\/volumes\/0/, '');
  let obj: unknown = volumes[index];
  for (const part of sub.split('/').filter(Boolean)) obj = (obj as Record<string, unknown> | undefined)?.[part];
  const items = (obj as { items?: unknown } | undefined)?.items;
  const j = Array.isArray(items) ? items.findIndex((it) => (it as { key?: unknown } | null)?.key === key) : -1;
  return j >= 0 ? { index, pointer: `/spec/template/spec/volumes/${index}${sub}/items/${j}/key` } : undefined;
}

function missingKeyPlans(snapshot: Snapshot, c: MountCase, pods: readonly Pod[]): FixPlan[] {
  const f = c.failure as Extract<MountFailure, { kind: 'missing-key' }>;
  const ns = c.pod.metadata.namespace ?? '';
  const ref = keyRef(c.pod, c.volume, f);
  const name = ref?.name ?? '<name>';
  const keys = ref ? keysOf(snapshot, f.source, ns, ref.name) : undefined;
  const meant = keys ? nearestName(f.key, keys) : undefined;
  const plans: FixPlan[] = [];
  const w = patchableWorkload(c.owner);
  const at = w && meant ? templateKey(w, c.volume, f.source, f.key) : undefined;
  if (meant && at) {
    const ops: JsonPatchOp[] = [
      { op: 'test', path: `/spec/template/spec/volumes/${at.index}/name`, value: c.volume },
      { op: 'test', path: at.pointer, value: f.key },
      { op: 'replace', path: at.pointer, value: meant },
    ];
    const plan = templatePatchPlan(snapshot, c.owner, pods, {
      id: 'use-existing-key',
      title: `Mount key ${meant} instead of ${f.key}`,
      explanation: `${f.source} ${name} has key ${meant}, the closest to ${f.key}: pointing volume ${c.volume}'s item at it lets the kubelet mount the volume. The file keeps its path, so the app reads the same file name.`,
      change: {
        what: `Read key ${meant} (not ${f.key}) of ${f.source} ${name} in volume ${c.volume} of ${refOf(c.owner).kind} ${refOf(c.owner).name}`,
        ops,
        helmHint: `the chart value that names the ${f.source} key`,
      },
    });
    if (plan) plans.push(plan);
  }
  const field = f.source === 'ConfigMap' ? 'data' : 'stringData';
  plans.push(
    manualPlan({
      id: 'add-missing-key',
      title: `Add key ${f.key} to ${f.source} ${name}`,
      explanation: `Only you know the value the app expects; kcockpit never invents it. Once the key exists, the kubelet mounts the volume at its next retry.`,
      commands: [
        `kubectl patch ${f.source.toLowerCase()} ${name}${nsFlag(ns)} --type=merge -p '${JSON.stringify({ [field]: { [f.key]: '<value>' } })}'`,
      ],
    }),
  );
  return plans;
}

function plans(group: CaseGroup<MountCase>, { snapshot }: RuleContext): FixPlan[] {
  const c = group.lead;
  const pods = [...new Set(group.cases.map((x) => x.pod))];
  if (c.variant === 'multi-attach') return multiAttachPlans(snapshot, c);
  if (c.variant === 'missing-key') return missingKeyPlans(snapshot, c, pods);
  const ns = nsFlag(c.pod.metadata.namespace);
  return [
    manualPlan({
      id: 'inspect-volume',
      title: `Find out why ${volumeWords(c)} fails on node ${c.pod.spec?.nodeName ?? '?'}`,
      explanation: `The error comes from the storage driver; its message and the driver's logs name the fix (credentials, a server that does not answer, a driver not installed on the node).`,
      commands: [
        `kubectl describe pod ${c.pod.metadata.name}${ns}`,
        ...(c.pv ? [`kubectl describe pv ${c.pv.metadata.name}`] : []),
        'kubectl get csidriver',
        ...(c.pv || c.unattached ? ['kubectl get volumeattachment'] : []),
      ],
    }),
  ];
}

export const rule = defineRule<MountCase>({
  id: RULE_IDS.volumeMount,
  title: 'Volumes that cannot be attached or mounted',
  classify,
  lead: (cases) => cases.find((c) => c.events.length > 0) ?? cases[0]!,
  explain,
  plans,
});
