// Ink 6.8 has no useWindowSize: read stdout's size and follow 'resize'. A stream without
// a size (a pipe, ink-testing-library's fake stdout) gets 80×24.
import { useEffect, useState } from 'react';
import { useStdout } from 'ink';

export interface TerminalSize {
  columns: number;
  rows: number;
}

const FALLBACK_SIZE: TerminalSize = { columns: 80, rows: 24 };

function sizeOf(stdout: NodeJS.WriteStream): TerminalSize {
  return { columns: stdout.columns || FALLBACK_SIZE.columns, rows: stdout.rows || FALLBACK_SIZE.rows };
}

export function useTerminalSize(): TerminalSize {
  const { stdout } = useStdout();
  const [size, setSize] = useState(() => sizeOf(stdout));
  useEffect(() => {
    const update = () =>
      setSize((prev) => {
        const next = sizeOf(stdout);
        return prev.columns === next.columns && prev.rows === next.rows ? prev : next;
      });
    stdout.on('resize', update);
    // The size may have changed between the first render and this subscription.
    update();
    return () => {
      stdout.off('resize', update);
    };
  }, [stdout]);
  return size;
}
