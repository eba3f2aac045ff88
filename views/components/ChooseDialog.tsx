// A short list in the dialog frame, under the view it is about.
import React from 'react';
import type { ChooseSession } from '../dialogs/choose-session.js';
import { chooseDialogView } from '../render/choose-dialog.js';
import { Dialog, dialogHeight } from './Dialog.js';

/** Rows the list takes: the view above it keeps the rest. */
export function chooseDialogHeight(session: ChooseSession): number {
  return dialogHeight(chooseDialogView(session.state));
}

export function ChooseDialog({ session, width }: { session: ChooseSession; width: number }) {
  return <Dialog view={chooseDialogView(session.state)} width={width} height={chooseDialogHeight(session)} />;
}
