// How the screen is cut up: header, an open prompt, the body (a table with the finding pane
// beside or under it, or scrolled text), a y/n question under the body, the status line.
import { useTerminalSize } from './useTerminalSize.js';

const HEADER_LINES = 2;
const STATUS_LINES = 1;
/** From this width the finding pane sits beside the table; below it, under the table. */
const WIDE_COLUMNS = 120;

export interface LayoutInput {
  columns: number;
  rows: number;
  /** A `:` or `/` prompt is open (one line). */
  prompt: boolean;
  /** Lines a y/n question under the body takes. */
  questionLines: number;
  /** The view has a finding pane. */
  pane: boolean;
}

export interface Box {
  width: number;
  height: number;
}

export interface Layout {
  /** The whole cockpit. */
  root: Box;
  /** Between the header (and prompt) and the question and status line. */
  body: Box;
  /** The pane sits beside the table (wide terminals) rather than under it. */
  wide: boolean;
  table: Box;
  pane: Box;
  /** Text lines on screen in a text view (its title takes one). */
  textLines: number;
}

export function layout({ columns, rows, prompt, questionLines, pane }: LayoutInput): Layout {
  // The root is one line shorter than the terminal, or Ink 6.8 clears the screen on every
  // frame (flicker).
  const height = Math.max(4, rows - 1);
  const width = columns;
  const bodyHeight = Math.max(1, height - HEADER_LINES - STATUS_LINES - (prompt ? 1 : 0) - questionLines);
  const wide = width >= WIDE_COLUMNS;
  const paneWidth = pane && wide ? Math.floor(width * 0.4) : width;
  const paneHeight = pane && !wide ? Math.floor(bodyHeight * 0.45) : bodyHeight;
  return {
    root: { width, height },
    body: { width, height: bodyHeight },
    wide,
    table: {
      width: pane && wide ? width - paneWidth : width,
      height: pane && !wide ? bodyHeight - paneHeight : bodyHeight,
    },
    pane: { width: paneWidth, height: paneHeight },
    textLines: Math.max(0, bodyHeight - 1),
  };
}

/** The layout for the terminal's size as it is now (it follows resizes). */
export function useLayout(input: Omit<LayoutInput, 'columns' | 'rows'>): Layout {
  return layout({ ...useTerminalSize(), ...input });
}
