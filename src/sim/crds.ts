// CustomResourceDefinitions as the apiextensions-apiserver handles them: a CRD is an object
// like any other (listed, watched, deleted), and once its names are accepted and it is
// Established, its group and resource are served — discovery, lists, watches, Tables with its
// additionalPrinterColumns. Deleting it deletes its custom resources and stops serving them.
// Only the storage version is served: objects are stored once, and serving a second version
// would need conversion, which the simulator does not do.
import type { KubeObject } from '../model/k8s.js';
import { rfc3339 } from './clock.js';
import { statusOf, type CrdGroupDecl, type PrinterColumn, type ResourceDef } from './resources.js';
import type { FieldError } from './status.js';

interface CrdNames {
  plural?: string;
  singular?: string;
  shortNames?: string[];
  kind?: string;
  listKind?: string;
  categories?: string[];
}

interface CrdVersion {
  name?: string;
  served?: boolean;
  storage?: boolean;
  additionalPrinterColumns?: PrinterColumn[];
  subresources?: { status?: object; scale?: object };
}

export interface Crd extends KubeObject {
  spec?: { group?: string; names?: CrdNames; scope?: string; versions?: CrdVersion[]; conversion?: unknown };
  status?: { conditions?: { type: string; status: string }[]; acceptedNames?: CrdNames; storedVersions?: string[] };
}

export const CRD_KIND = 'CustomResourceDefinition';

/** The CRD objects a scenario's `apiGroups` shorthand stands for, already Established. */
export function crdsOfDecls(decls: readonly CrdGroupDecl[], now: number): Crd[] {
  return decls.flatMap((g) =>
    g.resources.map((r) => {
      const version: CrdVersion = {
        name: g.version,
        served: true,
        storage: true,
        subresources: { status: {} },
      };
      if (r.printerColumns) version.additionalPrinterColumns = r.printerColumns;
      const names: CrdNames = { plural: r.name, kind: r.kind };
      if (r.shortNames) names.shortNames = r.shortNames;
      if (r.categories) names.categories = r.categories;
      const crd: Crd = {
        apiVersion: 'apiextensions.k8s.io/v1',
        kind: CRD_KIND,
        metadata: { name: `${r.name}.${g.group}`, creationTimestamp: rfc3339(now - 86_400_000) },
        spec: {
          group: g.group,
          names,
          scope: r.namespaced ? 'Namespaced' : 'Cluster',
          versions: [version],
        },
      };
      return establish(withDefaults(crd), now);
    }),
  );
}

/** What the server fills in on create: singular and listKind from kind, conversion None. */
export function withDefaults(crd: Crd): Crd {
  const spec = crd.spec ?? {};
  const names = { ...(spec.names ?? {}) };
  if (names.kind) {
    names.singular ??= names.kind.toLowerCase();
    names.listKind ??= `${names.kind}List`;
  }
  // Key order as the server writes names.
  const ordered: CrdNames = {};
  for (const k of ['plural', 'singular', 'shortNames', 'kind', 'listKind', 'categories'] as const)
    if (names[k] !== undefined) (ordered as Record<string, unknown>)[k] = names[k];
  return { ...crd, spec: { ...spec, names: ordered, conversion: spec.conversion ?? { strategy: 'None' } } };
}

/** The status the naming and establishing controllers write. */
export function establish(crd: Crd, now: number): Crd {
  const at = rfc3339(now);
  const storage = (crd.spec?.versions ?? []).find((v) => v.storage)?.name;
  return {
    ...crd,
    status: {
      conditions: [
        {
          type: 'NamesAccepted',
          status: 'True',
          lastTransitionTime: at,
          reason: 'NoConflicts',
          message: 'no conflicts found',
        } as { type: string; status: string },
        {
          type: 'Established',
          status: 'True',
          lastTransitionTime: at,
          reason: 'InitialNamesAccepted',
          message: 'the initial names have been accepted',
        } as { type: string; status: string },
      ],
      acceptedNames: crd.spec?.names ?? {},
      storedVersions: storage ? [storage] : [],
    },
  };
}

export const isEstablished = (crd: Crd): boolean =>
  (crd.status?.conditions ?? []).some((c) => c.type === 'Established' && c.status === 'True');

/** The resource an Established CRD serves (its storage version), or undefined. */
export function defOfCrd(crd: Crd): ResourceDef | undefined {
  const spec = crd.spec;
  const names = spec?.names;
  const version = (spec?.versions ?? []).find((v) => v.storage && v.served !== false);
  if (!isEstablished(crd) || !spec?.group || !names?.plural || !names.kind || !version?.name) return undefined;
  const d: ResourceDef = {
    group: spec.group,
    version: version.name,
    resource: names.plural,
    kind: names.kind,
    namespaced: spec.scope !== 'Cluster',
    // The order a real server lists a custom resource's verbs in (see discovery_apis_samples.example.com_v1.json).
    verbs: ['delete', 'deletecollection', 'get', 'list', 'patch', 'create', 'update', 'watch'],
    subresources: version.subresources?.status ? [statusOf(names.kind)] : [],
    hasGeneration: true,
    origin: 'crd',
    singularName: names.singular ?? names.kind.toLowerCase(),
  };
  if (names.shortNames?.length) d.shortNames = names.shortNames;
  if (names.categories?.length) d.categories = names.categories;
  if (version.additionalPrinterColumns) d.printerColumns = version.additionalPrinterColumns;
  return d;
}

const required = (field: string): FieldError => ({ type: 'FieldValueRequired', field, body: 'Required value' });

/** The apiextensions validation a hand-written CRD most often trips over. */
export function crdErrors(crd: Crd): FieldError[] {
  const errors: FieldError[] = [];
  const spec = crd.spec ?? {};
  const names = spec.names ?? {};
  if (!spec.group) errors.push(required('spec.group'));
  else if (!spec.group.includes('.'))
    errors.push({
      type: 'FieldValueInvalid',
      field: 'spec.group',
      body: `Invalid value: ${JSON.stringify(spec.group)}: should be a domain with at least one dot`,
    });
  if (!names.plural) errors.push(required('spec.names.plural'));
  if (!names.kind) errors.push(required('spec.names.kind'));
  if (spec.scope !== 'Namespaced' && spec.scope !== 'Cluster')
    errors.push({
      type: 'FieldValueNotSupported',
      field: 'spec.scope',
      body: `Unsupported value: ${JSON.stringify(spec.scope ?? '')}: supported values: "Cluster", "Namespaced"`,
    });
  const versions = spec.versions ?? [];
  if (versions.length === 0) errors.push(required('spec.versions'));
  else if (versions.filter((v) => v.storage).length !== 1)
    errors.push({
      type: 'FieldValueInvalid',
      field: 'spec.versions',
      body: `Invalid value: ${JSON.stringify(versions.map((v) => v.name))}: must have exactly one version marked as storage version`,
    });
  if (spec.group && names.plural && crd.metadata.name !== `${names.plural}.${spec.group}`)
    errors.push({
      type: 'FieldValueInvalid',
      field: 'metadata.name',
      body: `Invalid value: ${JSON.stringify(crd.metadata.name)}: must be spec.names.plural+"."+spec.group`,
    });
  return errors;
}
