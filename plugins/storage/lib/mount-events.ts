// What the kubelet's volume manager and the attach-detach controller write when a pod's
// volumes cannot be set up, parsed into data. The words are Kubernetes' own:
//   pkg/volume/util/operationexecutor  "<op> failed for volume \"<spec name>\" : <error>"
//                                      (MountVolume.SetUp, MountVolume.MountDevice, AttachVolume.Attach, ...)
//   pkg/volume/configmap, secret       "configmap references non-existent config key: <key>",
//                                      "references non-existent secret key: <key>"
//   pkg/controller/volume/attachdetach "Multi-Attach error for volume \"<pv>\" Volume is already used by pod(s) a, b
//                                      [and N pod(s) in different namespaces]" / "... Volume is already
//                                      exclusively attached to one node and can't be attached to another"
//   pkg/kubelet (up to v1.27)          "Unable to attach or mount volumes: unmounted volumes=[a b], unattached
//                                      volumes=[a c][, failed to process volumes=[]]: timed out waiting for the condition"
// The volume a message names is the volume spec's name: the pod's volume name for ConfigMap,
// Secret and inline volumes, the PersistentVolume's name for a claim.
import type { KubeEvent } from '../../../src/model/k8s.js';

export type MountFailure =
  | { kind: 'multi-attach'; volume: string; holders: string[]; otherNamespaces: number; message: string }
  | { kind: 'missing-key'; volume: string; source: 'ConfigMap' | 'Secret'; key: string; message: string }
  /** `configmap "x" not found` / `secret "x" not found`: pods/create-container-config's case. */
  | { kind: 'missing-object'; volume: string; message: string }
  | { kind: 'mount-failed'; volume: string; operation: string; error: string; message: string }
  | { kind: 'attach-failed'; volume: string; error: string; message: string }
  | { kind: 'timeout'; unmounted: string[]; unattached: string[]; message: string };

const MULTI_ATTACH = /^Multi-Attach error for volume "([^"]*)" (.*)$/s;
const USED_BY = /^Volume is already used by pod\(s\) (.+?)(?: and (\d+) pod\(s\) in different namespaces)?$/s;
const USED_ELSEWHERE = /^Volume is already used by (\d+) pod\(s\) in different namespaces$/;
const OPERATION = /^([A-Za-z]+\.[A-Za-z]+) failed for volume "([^"]*)" : (.*)$/s;
const CONFIG_KEY = /configmap references non-existent config key: ([^\s,\]]+)/;
const SECRET_KEY = /references non-existent secret key: ([^\s,\]]+)/;
const NOT_FOUND = /\b(?:configmap|secret) "[^"]+" not found/i;
const LIST = (name: string) => new RegExp(`${name} volumes=\\[([^\\]]*)\\]`);

const names = (list: string | undefined): string[] => (list ?? '').split(/\s+/).filter(Boolean);

/** The event as a mount or attach failure, or undefined when it is neither. */
export function parseMountEvent(e: KubeEvent): MountFailure | undefined {
  const message = e.message ?? '';
  if (e.reason === 'FailedAttachVolume') {
    const multi = MULTI_ATTACH.exec(message);
    if (multi) {
      const [, volume = '', rest = ''] = multi;
      const used = USED_BY.exec(rest);
      const elsewhere = USED_ELSEWHERE.exec(rest);
      return {
        kind: 'multi-attach',
        volume,
        holders: used ? used[1]!.split(', ').filter(Boolean) : [],
        otherNamespaces: Number(used?.[2] ?? elsewhere?.[1] ?? 0),
        message,
      };
    }
    const op = OPERATION.exec(message);
    return op ? { kind: 'attach-failed', volume: op[2]!, error: op[3]!, message } : undefined;
  }
  if (e.reason !== 'FailedMount') return undefined;
  if (message.startsWith('Unable to attach or mount volumes:'))
    return {
      kind: 'timeout',
      unmounted: names(LIST('unmounted').exec(message)?.[1]),
      unattached: names(LIST('unattached').exec(message)?.[1]),
      message,
    };
  const op = OPERATION.exec(message);
  if (!op) return undefined;
  const [, operation = '', volume = '', error = ''] = op;
  const configKey = CONFIG_KEY.exec(error);
  if (configKey) return { kind: 'missing-key', volume, source: 'ConfigMap', key: configKey[1]!, message };
  const secretKey = SECRET_KEY.exec(error);
  if (secretKey) return { kind: 'missing-key', volume, source: 'Secret', key: secretKey[1]!, message };
  if (NOT_FOUND.test(error)) return { kind: 'missing-object', volume, message };
  return { kind: 'mount-failed', volume, operation, error, message };
}
