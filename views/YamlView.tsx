// `y`: the selected object as YAML (a Helm release as its stored record, values masked
// where they look like credentials).
import { objectYaml, releaseYaml } from './render/yaml.js';
import { missingText } from './data/objects.js';
import { fetchedFor } from './DescribeView.js';
import type { TextViewDef } from './view-def.js';

export const yamlView: TextViewDef = {
  type: 'text',
  name: 'yaml',
  title: (_ctx, e) => (e.subject ? `yaml ${e.subject.kind.toLowerCase()}/${e.subject.name}` : 'yaml'),
  lines(ctx, e) {
    const ref = e.subject;
    if (!ref) return [];
    if (ref.kind === 'HelmRelease') {
      const release = ctx.snapshot.latestReleases().find((r) => r.name === ref.name && r.namespace === ref.namespace);
      return release ? releaseYaml(release) : [missingText(ref)];
    }
    // The whole object read when the view opened: the snapshot keeps pods and events projected
    // to what the rules read (decisions/0020), so its copy is shown only when there is no server
    // to ask, or it could not answer (then under the reason). Secret values masked.
    const fetched = fetchedFor(ctx, ref);
    if (fetched?.state === 'ok') return objectYaml(fetched.object, ref.kind);
    if (fetched?.state === 'loading') return [`Reading ${ref.kind} ${ref.name}…`];
    const obj = ctx.snapshot.get(ref.kind, ref.namespace, ref.name);
    if (fetched?.state === 'error')
      return obj
        ? [`${fetched.message}: what the cockpit keeps of it follows`, '', ...objectYaml(obj, ref.kind)]
        : [fetched.message];
    return obj ? objectYaml(obj, ref.kind) : [missingText(ref)];
  },
};
