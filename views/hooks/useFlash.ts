// The status line's one-line message goes away on its own after a while.
import { useEffect } from 'react';
import type { Flash, UiAction } from '../state.js';

const FLASH_MS = 5000;

export function useFlashExpiry(flash: Flash | undefined, dispatch: (action: UiAction) => void): void {
  useEffect(() => {
    if (!flash) return;
    const timer = setTimeout(() => dispatch({ type: 'flash', flash: undefined }), FLASH_MS);
    return () => clearTimeout(timer);
  }, [flash, dispatch]);
}
