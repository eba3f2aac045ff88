// Whether a PersistentVolume can bind a claim, as the volume binder judges it: same class,
// every access mode the claim asks for, at least its size, the claim's label selector, the
// same volume mode. Each failed test is said in words, so the nearest volume explains itself.
import type { PersistentVolume, PersistentVolumeClaim } from '../../../src/model/k8s.js';
import { matchesSelector } from '../../../src/model/selectors.js';
import { parseQuantity } from '../../../src/diagnose/quantity.js';

/** What keeps the volume from binding the claim; empty when it fits. */
export function pvMismatches(pv: PersistentVolume, pvc: PersistentVolumeClaim, storageClass: string): string[] {
  const why: string[] = [];
  const pvClass = pv.spec.storageClassName ?? '';
  if (pvClass !== storageClass) why.push(`its class is "${pvClass}", the claim's is "${storageClass}"`);
  const modes = pv.spec.accessModes ?? [];
  const missing = (pvc.spec?.accessModes ?? []).filter((m) => !modes.includes(m));
  if (missing.length > 0) why.push(`it lacks access mode ${missing.join(', ')} (it has ${modes.join(', ') || 'none'})`);
  const wanted = pvc.spec?.resources?.requests?.['storage'];
  const has = pv.spec.capacity?.['storage'];
  const w = parseQuantity(wanted);
  const h = parseQuantity(has);
  if (w !== undefined && (h === undefined || h < w))
    why.push(`it holds ${has ?? 'no size'}, the claim asks for ${wanted}`);
  if (pvc.spec?.selector && !matchesSelector(pv.metadata.labels, pvc.spec.selector))
    why.push("its labels do not match the claim's selector");
  if ((pv.spec.volumeMode ?? 'Filesystem') !== (pvc.spec?.volumeMode ?? 'Filesystem'))
    why.push(
      `its volumeMode is ${pv.spec.volumeMode ?? 'Filesystem'}, the claim's is ${pvc.spec?.volumeMode ?? 'Filesystem'}`,
    );
  return why;
}
