// Two lines at the top: where you are (context, cluster, user; the namespace shown) and how
// things stand (connection, findings by severity), plus the version and read-only mode.
import React from 'react';
import { Box, Text } from 'ink';
import type { Severity } from '../../src/diagnose/types.js';
import { inert } from '../../src/format/inert.js';
import type { ConnectionState } from '../../src/store/source.js';
import { SEVERITY_MARK, type RowStyle } from '../render/row.js';
import { useTheme } from '../theme.js';

export interface HeaderProps {
  context: { name: string; cluster: string; user: string };
  /** undefined = all namespaces. */
  namespace: string | undefined;
  connection: ConnectionState;
  counts: Readonly<Record<Severity, number>>;
  /** The first diagnosis has not finished (or the cluster is still loading): no verdict yet. */
  diagnosing?: boolean;
  version: string;
  readonly: boolean;
  width: number;
}

const seconds = (ms: number) => `${Number((ms / 1000).toFixed(1))}s`;

export function connectionText(c: ConnectionState): { text: string; style: RowStyle } {
  switch (c.state) {
    case 'live':
      // Lists that may be read but not watched are polled: say so, and how often, since
      // what is on screen can be that much behind.
      if (c.polling)
        return {
          text: `● live, polling ${c.polling.resources.join(', ')} every ${seconds(c.polling.everyMs)} (no watch permission)`,
          style: 'warning',
        };
      return { text: '● live', style: 'ok' };
    case 'connecting':
      return { text: '○ connecting…', style: 'warning' };
    case 'reconnecting':
      return { text: `◐ reconnecting: ${c.reason}`, style: 'warning' };
    case 'forbidden':
      return { text: `✖ forbidden: ${c.reason}`, style: 'critical' };
    case 'error':
      return { text: `✖ error: ${c.reason}`, style: 'critical' };
  }
}

export function Header({ context, namespace, connection, counts, version, readonly, width, diagnosing }: HeaderProps) {
  const theme = useTheme();
  const conn = connectionText(connection);
  // A reconnect reason quotes the server; names come from a kubeconfig: both shown inert.
  const where = inert(`ctx ${context.name} │ cluster ${context.cluster} │ user ${context.user}`);
  const severities = (['critical', 'warning'] as const).filter((s) => counts[s] > 0);
  return (
    <Box flexDirection="column" width={width} height={2}>
      <Text wrap="truncate-end">
        <Text bold color={theme.accent}>
          kcockpit {version}
        </Text>
        {`  ${where}`}
      </Text>
      <Text wrap="truncate-end">
        <Text bold>{inert(`ns ${namespace ?? 'all'}`)}</Text>
        {readonly && <Text color={theme.color('warning')}>{'  [readonly]'}</Text>}
        {severities.length === 0 && diagnosing ? (
          <Text dimColor>{'  diagnosing…'}</Text>
        ) : severities.length === 0 ? (
          <Text color={theme.color('ok')}>{'  no problems found'}</Text>
        ) : (
          severities.map((s) => (
            <Text key={s} color={theme.color(s)} bold>
              {`  ${SEVERITY_MARK[s]} ${counts[s]} ${s}`}
            </Text>
          ))
        )}
        {/* Last: a reconnect reason can be long, and the line is cut at the terminal's edge. */}
        <Text color={theme.color(conn.style)}>{`  ${inert(conn.text)}`}</Text>
      </Text>
    </Box>
  );
}
