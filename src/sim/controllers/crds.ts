// The apiextensions controllers for CustomResourceDefinitions: naming and establishing, then
// the serving side — an Established CRD's resource is served from then on; a deleted one takes
// its objects with it (watchers see them DELETED) and its paths answer 404.
import type { SimApi } from '../api.js';
import { CRD_KIND, defOfCrd, establish, isEstablished, type Crd } from '../crds.js';
import type { SimState, WatchEvent } from '../state.js';

export class CrdController {
  constructor(
    private readonly state: SimState,
    private readonly api: SimApi,
  ) {}

  handle(ev: WatchEvent): void {
    if (ev.entry.def.kind !== CRD_KIND) return;
    const crd = ev.entry.obj as Crd;
    const registry = this.state.registry;
    const served = registry.all.find((d) => d.origin === 'crd' && `${d.resource}.${d.group}` === crd.metadata.name);
    if (ev.type === 'DELETED') {
      if (!served) return;
      for (const e of this.state.list(served)) this.state.remove(served, e.obj.metadata.namespace, e.obj.metadata.name);
      registry.remove(served);
      this.state.dropResource(served);
      return;
    }
    if (!isEstablished(crd)) {
      const established = establish(crd, this.state.now());
      this.api.replace(
        ev.entry.def,
        undefined,
        crd.metadata.name,
        established,
        { fieldManager: 'kube-apiserver' },
        'status',
      );
      return;
    }
    const def = defOfCrd(crd);
    if (def) registry.add(def);
  }
}
