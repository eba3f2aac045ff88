// A kind with a renderer of its own, where the server's Table form is poor (nodes, secrets…):
// its columns and cells from the whole object, what enter opens, and extra describe lines.
// Kinds without one show the server's columns (ResourcesView.tsx). One file per kind;
// registered in kinds/index.ts.
import type { KubeObject } from '../../src/model/k8s.js';
import type { ObjectRef } from '../../src/diagnose/types.js';
import type { Column } from '../components/table-layout.js';
import type { Cell } from '../render/row.js';
import type { Drill } from '../view-def.js';

export interface KindView {
  /** `plural` or `plural.group`, as data/resources.ts's resourceKey. */
  resource: string;
  /** Columns without NAMESPACE (added for all namespaces); absent: the server's columns. */
  columns?: readonly Column[];
  cells?(obj: KubeObject, now: number): readonly Cell[];
  /** What enter opens on a row; `ref` is the row's object. */
  drill?(obj: KubeObject, ref: ObjectRef): Drill | undefined;
  /** What enter does, for `?`. */
  drillText?: string;
  /** Lines describe adds after labels and annotations (kubectl describe's own part for the kind). */
  describe?(obj: KubeObject): string[];
}

/** Rows carry the whole object when the renderer or the drill reads more than metadata. */
export const needsObject = (k: KindView | undefined): boolean => k?.cells !== undefined || k?.drill !== undefined;
