// How `kcockpit fix` asks the user things. On a terminal: questions on stderr (stdout stays
// for the report), answers from stdin, and a secret typed with nothing echoed at all — not
// even stars, which would tell its length. Without a terminal (CI, a pipe) there is nobody
// to ask: every question fails with one line saying which flag answers it instead.
import { createInterface } from 'node:readline';
import type { Prompter } from '../fixes/types.js';
import { inert } from '../format/inert.js';

function askLine(input: NodeJS.ReadStream, output: NodeJS.WriteStream, question: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const rl = createInterface({ input, output, terminal: true });
    let answered = false;
    rl.on('SIGINT', () => {
      rl.close();
      reject(new Error('cancelled (ctrl-c)'));
    });
    rl.on('close', () => {
      if (!answered) reject(new Error('no answer: the input ended'));
    });
    rl.question(question, (answer) => {
      answered = true;
      rl.close();
      resolve(answer);
    });
  });
}

/** Reads a line in raw mode and echoes nothing. */
function askHidden(input: NodeJS.ReadStream, output: NodeJS.WriteStream, question: string): Promise<string> {
  output.write(`${question} (typing is not shown): `);
  const wasRaw = input.isRaw;
  input.setRawMode(true);
  input.setEncoding('utf8');
  input.resume();
  let value = '';
  return new Promise((resolve, reject) => {
    const finish = (err?: Error): void => {
      input.off('data', onData);
      input.setRawMode(wasRaw);
      input.pause();
      output.write('\n');
      if (err) reject(err);
      else resolve(value);
      value = '';
    };
    function onData(chunk: string): void {
      for (const ch of chunk) {
        if (ch === '\r' || ch === '\n') return finish();
        if (ch === '\u0003') return finish(new Error('cancelled (ctrl-c)'));
        if (ch === '\u0004') return value === '' ? finish(new Error('no answer: the input ended')) : finish();
        if (ch === '\u007f' || ch === '\b') {
          value = [...value].slice(0, -1).join('');
          continue;
        }
        // An escape sequence (an arrow key) is not part of a password: drop the rest of it.
        if (ch === '\u001b') return;
        if (ch >= ' ') value += ch;
      }
    }
    input.on('data', onData);
  });
}

export function terminalPrompter(
  input: NodeJS.ReadStream = process.stdin,
  output: NodeJS.WriteStream = process.stderr,
): Prompter {
  // Questions name objects of the cluster: shown inert like every other cluster string.
  return {
    async confirm(question) {
      const answer = await askLine(input, output, `${inert(question)} [y/N] `);
      return /^\s*y(es)?\s*$/i.test(answer);
    },
    secret: (question) => askHidden(input, output, inert(question)),
    async text(question, defaultValue) {
      const answer = (
        await askLine(input, output, `${inert(question)}${defaultValue ? ` [${inert(defaultValue)}]` : ''}: `)
      ).trim();
      return answer || defaultValue || '';
    },
    async choose(question, options) {
      output.write(`${inert(question)}\n${options.map((o, i) => `  ${i + 1}) ${inert(o)}`).join('\n')}\n`);
      for (let tries = 0; tries < 3; tries++) {
        const n = Number((await askLine(input, output, `Choose 1-${options.length}: `)).trim());
        if (Number.isInteger(n) && n >= 1 && n <= options.length) return n - 1;
        output.write(`Type a number from 1 to ${options.length}.\n`);
      }
      throw new Error('no valid choice');
    },
  };
}

/** For runs without a terminal: answers only what flags answered. */
export function nonInteractivePrompter(given: { password?: string } = {}): Prompter {
  return {
    confirm: async () => {
      throw new Error('needs confirmation: pass --yes');
    },
    secret: async (question) => {
      if (given.password !== undefined) return given.password;
      throw new Error(`needs an answer to "${question}": pipe it in with --password-stdin, or run in a terminal`);
    },
    text: async (question, defaultValue) => {
      if (defaultValue !== undefined) return defaultValue;
      throw new Error(`needs an answer to "${question}": pass --username, or run in a terminal`);
    },
    choose: async (question) => {
      throw new Error(`needs a choice (${question.replace(/\.$/, '')}): run in a terminal`);
    },
  };
}

export function cliPrompter(given: { password?: string }): Prompter {
  return process.stdin.isTTY === true && process.stderr.isTTY === true
    ? terminalPrompter()
    : nonInteractivePrompter(given);
}
