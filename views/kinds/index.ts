// The kinds with a renderer of their own, by resourceKey (`nodes`, `jobs.batch`). A new one is
// its file and one line here.
import type { KindView } from './kind-view.js';
import { configMapsKind } from './ConfigMapsKind.js';
import { cronJobsKind } from './CronJobsKind.js';
import { customResourceDefinitionsKind } from './CustomResourceDefinitionsKind.js';
import { daemonSetsKind } from './DaemonSetsKind.js';
import { ingressesKind } from './IngressesKind.js';
import { jobsKind } from './JobsKind.js';
import { nodesKind } from './NodesKind.js';
import { persistentVolumeClaimsKind } from './PersistentVolumeClaimsKind.js';
import { replicaSetsKind } from './ReplicaSetsKind.js';
import { secretsKind } from './SecretsKind.js';

export const KIND_VIEWS: ReadonlyMap<string, KindView> = new Map(
  [
    nodesKind,
    secretsKind,
    configMapsKind,
    persistentVolumeClaimsKind,
    jobsKind,
    cronJobsKind,
    ingressesKind,
    replicaSetsKind,
    daemonSetsKind,
    customResourceDefinitionsKind,
  ].map((k) => [k.resource, k]),
);
