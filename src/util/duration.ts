// Coarse durations, as kubectl shows ages: seconds up to 2 minutes, minutes up to 2 hours,
// hours up to 2 days, then days. Coarse on purpose: a cell that changed every second would
// repaint every second (and Ink caches every distinct string it measures).
export interface CoarseDuration {
  value: number;
  unit: 'second' | 'minute' | 'hour' | 'day';
}

export function coarseDuration(ms: number): CoarseDuration {
  const s = Math.max(0, Math.floor(ms / 1000));
  if (s < 120) return { value: s, unit: 'second' };
  const m = Math.floor(s / 60);
  if (m < 120) return { value: m, unit: 'minute' };
  const h = Math.floor(m / 60);
  if (h < 48) return { value: h, unit: 'hour' };
  return { value: Math.floor(h / 24), unit: 'day' };
}

/** `45s`, `5m`, `3h`, `12d`. */
export function shortDuration(ms: number): string {
  const d = coarseDuration(ms);
  return `${d.value}${d.unit[0]}`;
}

/** `45 seconds`, `5 minutes`, `3 hours`, `12 days`. */
export function durationWords(ms: number): string {
  const d = coarseDuration(ms);
  return `${d.value} ${d.unit}${d.value === 1 ? '' : 's'}`;
}
