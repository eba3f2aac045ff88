// A size twice as large, written the way people write sizes: `1Gi` → `2Gi`, `500Mi` → `1000Mi`.
import { parseQuantity, toQuantity } from '../../../src/diagnose/quantity.js';

const GI = 2 ** 30;

export function doubledSize(size: string): string | undefined {
  const bytes = parseQuantity(size);
  if (bytes === undefined || bytes <= 0) return undefined;
  return (bytes * 2) % GI === 0 ? `${(bytes * 2) / GI}Gi` : toQuantity('storage', bytes * 2);
}
