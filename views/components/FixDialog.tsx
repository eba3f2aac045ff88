// `x`: the fix dialog. Its state and keys live in dialogs/fix-session.ts, its lines in
// render/fix-dialog.ts; this draws them in the dialog frame.
import React, { useCallback, useMemo } from 'react';
import type { FixSession } from '../dialogs/fix-session.js';
import { useStore } from '../hooks/useStore.js';
import { fixDialogView } from '../render/fix-dialog.js';
import { DIALOG_FRAME_COLUMNS, Dialog } from './Dialog.js';

export interface FixDialogProps {
  session: FixSession;
  width: number;
  height: number;
}

export function FixDialog({ session, width, height }: FixDialogProps) {
  const state = useStore(session);
  const inner = Math.max(1, width - DIALOG_FRAME_COLUMNS);
  const view = useMemo(() => fixDialogView(state, inner), [state, inner]);
  const onViewport = useCallback((rows: number, lines: number) => session.setViewport(rows, lines), [session]);
  return <Dialog view={view} width={width} height={height} onViewport={onViewport} />;
}
