// The whole object a describe / YAML view shows, read from the server once when the view
// opens (the snapshot holds trimmed objects, and only the kinds the diagnosis needs).
import { useEffect, useState } from 'react';
import type { ObjectRef } from '../../src/diagnose/types.js';
import type { ResourceCatalog } from '../../src/model/resource-catalog.js';
import { resourceOfRef } from '../data/resources.js';
import type { ResourceSource } from '../sources.js';
import type { FetchedObject } from '../view-def.js';

export function useFetchedObject(
  source: ResourceSource | undefined,
  catalog: ResourceCatalog,
  subject: ObjectRef | undefined,
): FetchedObject | undefined {
  const [fetched, setFetched] = useState<FetchedObject | undefined>(undefined);
  const resource = subject ? resourceOfRef(catalog, subject) : undefined;
  useEffect(() => {
    if (!source || !subject || !resource) {
      setFetched(undefined);
      return;
    }
    let live = true;
    setFetched({ state: 'loading', subject });
    source.get(resource, subject.namespace, subject.name).then(
      (object) => live && setFetched({ state: 'ok', subject, object }),
      (e: unknown) =>
        live && setFetched({ state: 'error', subject, message: e instanceof Error ? e.message : String(e) }),
    );
    return () => {
      live = false;
    };
    // Read once per subject: the discovery re-reads that replace `resource` do not change it.
  }, [source, subject, resource === undefined]);
  return fetched;
}
