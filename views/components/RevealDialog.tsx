// shift-x's answer: one Secret value in the dialog frame, over the view, until it is closed.
import React, { useMemo } from 'react';
import type { RevealSession } from '../dialogs/reveal-session.js';
import { useStore } from '../hooks/useStore.js';
import { revealDialogView } from '../render/reveal-dialog.js';
import { Dialog } from './Dialog.js';

export function RevealDialog({ session, width, height }: { session: RevealSession; width: number; height: number }) {
  const state = useStore(session);
  const view = useMemo(() => revealDialogView(state), [state]);
  return <Dialog view={view} width={width} height={height} />;
}
