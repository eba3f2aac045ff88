// The resource quota controller: `status.hard` mirrors the spec and `status.used` follows the
// objects of the namespace (api-samples/resourcequota-used.json), through the same evaluator
// the quota admission plugin uses.
import type { ResourceQuota } from '../../model/k8s.js';
import { quotaUsed } from '../admission-quota.js';
import type { SimState, WatchEvent } from '../state.js';
import { writeStatus } from './util.js';

const COUNTED = new Set(['Pod', 'PersistentVolumeClaim', 'Service']);

export class QuotaController {
  constructor(private readonly state: SimState) {}

  resync(): void {
    for (const q of this.state.objectsOf<ResourceQuota>('ResourceQuota')) this.sync(q);
  }

  handle(ev: WatchEvent): void {
    const kind = ev.entry.def.kind;
    if (kind === 'ResourceQuota' && ev.type !== 'DELETED') this.sync(ev.entry.obj as ResourceQuota);
    else if (COUNTED.has(kind) || (ev.type !== 'MODIFIED' && ev.entry.def.namespaced && kind !== 'Event'))
      for (const q of this.state.objectsOf<ResourceQuota>('ResourceQuota', ev.entry.obj.metadata.namespace))
        this.sync(q);
  }

  private sync(stale: ResourceQuota): void {
    const q = this.state.find('ResourceQuota', stale.metadata.namespace, stale.metadata.name) as
      ResourceQuota | undefined;
    if (!q) return;
    writeStatus(this.state, q, { hard: { ...(q.spec?.hard ?? {}) }, used: quotaUsed(this.state, q) });
  }
}
