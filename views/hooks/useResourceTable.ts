// The live Table of the `resource` view on screen: started when the view (or its namespace)
// appears, stopped when it goes, so only the kind being looked at is watched.
import { useEffect, useMemo, useState } from 'react';
import type { TableRow } from '../../src/model/k8s.js';
import type { ResourceCatalog } from '../../src/model/resource-catalog.js';
import type { ResourceTableView } from '../../src/store/resource-table.js';
import { resourceOf } from '../data/resources.js';
import { KIND_VIEWS } from '../kinds/index.js';
import { needsObject } from '../kinds/kind-view.js';
import type { ResourceSource } from '../sources.js';

export function useResourceTable(
  source: ResourceSource | undefined,
  catalog: ResourceCatalog,
  key: string | undefined,
  namespace: string | undefined,
  /**
   * Rows of whole objects without the server's cells (the plain list), and only what this
   * keeps of each row (metrics read their usage).
   */
  keep?: (row: TableRow) => TableRow,
): ResourceTableView | undefined {
  const resource = useMemo(() => (key ? resourceOf(catalog, key) : undefined), [catalog, key]);
  const scope = resource?.namespaced ? namespace : undefined;
  const [view, setView] = useState<ResourceTableView | undefined>(undefined);
  useEffect(() => {
    setView(undefined);
    if (!source || !resource || !key) return;
    const handle = source.table(resource, scope, {
      includeObject: keep || needsObject(KIND_VIEWS.get(key)) ? 'Object' : 'Metadata',
      ...(keep ? { keep, objectsOnly: true } : {}),
    });
    const unsubscribe = handle.subscribe(() => setView(handle.view));
    handle.start();
    setView(handle.view);
    return () => {
      unsubscribe();
      handle.stop();
    };
    // The resource object changes with every discovery re-read; its name is what matters.
  }, [source, key, scope, resource === undefined, keep]);
  return view;
}
