// The time ages are computed from. It ticks coarsely: ages are shown as 45s/5m/3h, and
// every distinct cell string stays in Ink's measure cache for good.
import { useEffect, useState } from 'react';

const TICK_MS = 10_000;

export function useNow(clock: () => number = Date.now): number {
  const [now, setNow] = useState(clock);
  useEffect(() => {
    const timer = setInterval(() => setNow(clock()), TICK_MS);
    return () => clearInterval(timer);
  }, [clock]);
  return now;
}
