// `shift-f`: the port-forward dialog. State and keys: dialogs/port-forward-session.ts;
// lines: render/port-forward-dialog.ts.
import React, { useMemo } from 'react';
import type { PortForwardSession } from '../dialogs/port-forward-session.js';
import { useStore } from '../hooks/useStore.js';
import { portForwardDialogView } from '../render/port-forward-dialog.js';
import { DIALOG_FRAME_COLUMNS, Dialog } from './Dialog.js';

export interface PortForwardDialogProps {
  session: PortForwardSession;
  width: number;
  height: number;
}

export function PortForwardDialog({ session, width, height }: PortForwardDialogProps) {
  const state = useStore(session);
  const inner = Math.max(1, width - DIALOG_FRAME_COLUMNS);
  const view = useMemo(() => portForwardDialogView(state, inner), [state, inner]);
  return <Dialog view={view} width={width} height={height} />;
}
