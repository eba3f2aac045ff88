// Every view the cockpit has, looked up by name (a ViewEntry's `view`) or by any word `:`
// knows it by. A new view is its definition file (view-def.ts) and one line in BUILTIN_VIEWS:
// `:` parsing and completion, `?` and the key layers all read from here.
import { contextsView } from './ContextsView.js';
import { describeView } from './DescribeView.js';
import { eventsView } from './EventsView.js';
import { findingView } from './FindingView.js';
import { findingsView } from './FindingsView.js';
import { helmView } from './HelmView.js';
import { helpView } from './HelpView.js';
import { logsView } from './LogsView.js';
import { namespacesView } from './NamespacesView.js';
import { podsView } from './PodsView.js';
import { resourcesView } from './ResourcesView.js';
import { portForwardsView } from './PortForwardsView.js';
import { servicesView } from './ServicesView.js';
import { deploymentsView, statefulSetsView } from './WorkloadsView.js';
import { yamlView } from './YamlView.js';
import type { TextViewDef, ViewDef, ViewRegistry } from './view-def.js';

/** `:` views first, in the order `?` lists them and completion offers their names. */
const BUILTIN_VIEWS: readonly ViewDef[] = [
  podsView,
  eventsView,
  helmView,
  findingsView,
  namespacesView,
  contextsView,
  portForwardsView,
  deploymentsView,
  statefulSetsView,
  servicesView,
  resourcesView,
  describeView,
  yamlView,
  logsView,
  findingView,
  helpView,
];

/** Two views may not share a name, nor `:` a word: the second would never be reached. */
export function createRegistry(defs: readonly ViewDef[]): ViewRegistry {
  const byName = new Map<string, ViewDef>();
  const byWord = new Map<string, ViewDef>();
  for (const def of defs) {
    if (byName.has(def.name)) throw new Error(`Two views are named "${def.name}"`);
    byName.set(def.name, def);
    for (const word of def.command ? [def.name, ...def.command.aliases] : []) {
      const key = word.toLowerCase();
      const taken = byWord.get(key);
      if (taken) throw new Error(`":${key}" names both the ${taken.name} and the ${def.name} view`);
      byWord.set(key, def);
    }
  }
  return {
    get: (name) => byName.get(name),
    lookup: (word) => byWord.get(word.toLowerCase()),
    commands: defs.filter((d) => d.command),
    all: defs,
  };
}

export const VIEWS: ViewRegistry = createRegistry(BUILTIN_VIEWS);

/**
 * What the cockpit shows for an entry whose view is not in the registry, instead of
 * failing: views that come and go with the cluster (a CRD's) can vanish under the user.
 */
export function missingView(name: string): TextViewDef {
  return {
    type: 'text',
    name,
    title: () => name,
    lines: () => [`There is no view "${name}" (any more). Press esc to go back, or : to open another.`],
  };
}
