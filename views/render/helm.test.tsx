import { describe, expect, it } from 'vitest';
import { helmReleases } from '../testing/fixtures.js';
import { releaseRow, releaseStyle, shortTimestamp } from './helm.js';

describe('helm release rows', () => {
  it('renders the helm list columns, chart as name-version', () => {
    expect(releaseRow(helmReleases[0]!)).toEqual({
      cells: ['jaeger-op', 'observability', '1', 'deployed', 'jaeger-operator-2.38.0', '1.39.0', '2026-11-21 21:32'],
    });
  });

  it('colours failed releases critical and pending ones warning', () => {
    expect(releaseRow(helmReleases[1]!).style).toBe('critical');
    expect(releaseStyle('pending-install')).toBe('warning');
    expect(releaseStyle('pending-upgrade')).toBe('warning');
    expect(releaseStyle('superseded')).toBe('dim');
    expect(releaseStyle('deployed')).toBeUndefined();
  });

  it('shows nothing for a missing or unreadable timestamp', () => {
    expect(shortTimestamp(undefined)).toBe('');
    expect(shortTimestamp('yesterday')).toBe('');
  });
});
