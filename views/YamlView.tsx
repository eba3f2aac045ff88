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
    // The whole object read when the view opened (the snapshot's may be trimmed); Secret values masked.
    const fetched = fetchedFor(ctx, ref);
    if (fetched?.state === 'ok') return objectYaml(fetched.object, ref.kind);
    const obj = ctx.snapshot.get(ref.kind, ref.namespace, ref.name);
    if (obj) return objectYaml(obj, ref.kind);
    if (fetched?.state === 'loading') return [`Reading ${ref.kind} ${ref.name}…`];
    return [fetched?.state === 'error' ? fetched.message : missingText(ref)];
  },
};
