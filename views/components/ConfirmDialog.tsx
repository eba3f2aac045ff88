// A y/n question in the dialog frame, under the view it is about.
import React from 'react';
import type { ConfirmSession } from '../dialogs/confirm-session.js';
import { confirmDialogView } from '../render/confirm-dialog.js';
import { Dialog, dialogHeight } from './Dialog.js';

/** Rows the question takes: the view above it keeps the rest. */
export function confirmDialogHeight(session: ConfirmSession): number {
  return dialogHeight(confirmDialogView(session.state));
}

export function ConfirmDialog({ session, width }: { session: ConfirmSession; width: number }) {
  return <Dialog view={confirmDialogView(session.state)} width={width} height={confirmDialogHeight(session)} />;
}
