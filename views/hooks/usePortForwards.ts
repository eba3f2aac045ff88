// The running port-forwards, re-read whenever their owner says they changed.
import { useEffect, useState } from 'react';
import type { PortForwardInfo, PortForwardSource } from '../sources.js';

const NONE: readonly PortForwardInfo[] = [];

export function usePortForwards(source: PortForwardSource | undefined): readonly PortForwardInfo[] {
  const [forwards, setForwards] = useState(() => source?.list() ?? NONE);
  useEffect(() => {
    if (!source) return;
    const update = () => setForwards(source.list());
    const unsubscribe = source.subscribe(update);
    update();
    return unsubscribe;
  }, [source]);
  return forwards;
}
