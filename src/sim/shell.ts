// The small shell a simulated container runs for `kubectl exec`: enough of busybox sh to
// test a shell end to end — `echo`, `env`/`printenv`, `ls`, `cat`, `pwd`, `hostname`, `true`,
// `false`, `exit N`, `sh -c '...'` and an interactive `sh` — over a read-only file tree made
// from the pod (its hostname, its namespace, its ConfigMap volumes). Lines are split on `;`,
// `&&` and `||`; words honour single and double quotes; `$VAR`, `${VAR}` and `$?` expand.
// Messages are busybox's, since that is what `sh` is in most small images.

export interface ContainerFs {
  /** Absolute path → content. Directories are implied by the files under them. */
  files: ReadonlyMap<string, string>;
  /** Directories that exist even when empty (`/tmp`). */
  dirs: ReadonlySet<string>;
}

export interface ShellIO {
  out(text: string): void;
  err(text: string): void;
}

export interface ShellState {
  env: Map<string, string>;
  fs: ContainerFs;
  /** `$?`. */
  status: number;
  /** Set by `exit`: the shell stops with this code. */
  exited?: number;
}

/** What running a program that does not exist gives: the runtime's error, not a shell's. */
export class NotFound extends Error {
  constructor(readonly program: string) {
    super(program);
  }
}

const BUILTIN_DIRS = ['/bin', '/dev', '/etc', '/home', '/proc', '/root', '/sys', '/tmp', '/usr', '/var'];

export function containerFs(files: Record<string, string>): ContainerFs {
  const dirs = new Set<string>(['/', ...BUILTIN_DIRS]);
  for (const path of Object.keys(files)) {
    const parts = path.split('/').filter(Boolean);
    for (let i = 1; i < parts.length; i++) dirs.add(`/${parts.slice(0, i).join('/')}`);
  }
  return { files: new Map(Object.entries(files)), dirs };
}

const normalize = (path: string): string => {
  const out: string[] = [];
  for (const part of path.split('/')) {
    if (part === '' || part === '.') continue;
    if (part === '..') out.pop();
    else out.push(part);
  }
  return `/${out.join('/')}`;
};

function children(fs: ContainerFs, dir: string): string[] {
  const prefix = dir === '/' ? '/' : `${dir}/`;
  const names = new Set<string>();
  for (const p of [...fs.files.keys(), ...fs.dirs]) {
    if (p.startsWith(prefix) && p !== dir) names.add(p.slice(prefix.length).split('/')[0] as string);
  }
  return [...names].filter(Boolean).sort();
}

type Program = (args: string[], sh: ShellState, io: ShellIO) => number;

const PROGRAMS: Record<string, Program> = {
  echo(args, _sh, io) {
    const newline = args[0] !== '-n';
    io.out(`${(newline ? args : args.slice(1)).join(' ')}${newline ? '\n' : ''}`);
    return 0;
  },
  env(args, sh, io) {
    if (args.length) return run(args, sh, io);
    for (const [k, v] of sh.env) io.out(`${k}=${v}\n`);
    return 0;
  },
  printenv(args, sh, io) {
    if (args.length === 0) return PROGRAMS['env']!([], sh, io);
    let code = 0;
    for (const name of args) {
      const v = sh.env.get(name);
      if (v === undefined) code = 1;
      else io.out(`${v}\n`);
    }
    return code;
  },
  pwd(_args, _sh, io) {
    io.out('/\n');
    return 0;
  },
  hostname(_args, sh, io) {
    io.out(`${sh.env.get('HOSTNAME') ?? ''}\n`);
    return 0;
  },
  true: () => 0,
  false: () => 1,
  ls(args, sh, io) {
    const paths = args.filter((a) => !a.startsWith('-'));
    let code = 0;
    const targets = paths.length ? paths : ['/'];
    targets.forEach((raw, i) => {
      const path = normalize(raw);
      if (sh.fs.files.has(path)) io.out(`${raw}\n`);
      else if (sh.fs.dirs.has(path)) {
        if (targets.length > 1) io.out(`${i ? '\n' : ''}${raw}:\n`);
        const names = children(sh.fs, path);
        if (names.length) io.out(`${names.join('\n')}\n`);
      } else {
        io.err(`ls: ${raw}: No such file or directory\n`);
        code = 1;
      }
    });
    return code;
  },
  cat(args, sh, io) {
    let code = 0;
    for (const raw of args) {
      const path = normalize(raw);
      const content = sh.fs.files.get(path);
      if (content !== undefined) io.out(content);
      else if (sh.fs.dirs.has(path)) {
        io.err(`cat: read error: Is a directory\n`);
        code = 1;
      } else {
        io.err(`cat: can't open '${raw}': No such file or directory\n`);
        code = 1;
      }
    }
    return code;
  },
  exit(args, sh, io) {
    const code = args[0] === undefined ? sh.status : Number(args[0]);
    if (!Number.isInteger(code)) {
      io.err(`sh: exit: Illegal number: ${args[0]}\n`);
      sh.exited = 2;
      return 2;
    }
    sh.exited = ((code % 256) + 256) % 256;
    return sh.exited;
  },
  sh(args, sh, io) {
    if (args[0] !== '-c') {
      io.err('sh: only `sh -c COMMAND` runs without a terminal here\n');
      return 2;
    }
    if (args[1] === undefined) {
      io.err('sh: -c requires an argument\n');
      return 2;
    }
    const child: ShellState = { env: sh.env, fs: sh.fs, status: 0 };
    return runLine(args[1], child, io);
  },
};
PROGRAMS['bash'] = PROGRAMS['sh']!;

/** Run a program with its arguments (what the container runtime does with exec's command). */
export function run(argv: string[], sh: ShellState, io: ShellIO): number {
  const [name, ...args] = argv;
  const program = PROGRAMS[(name ?? '').replace(/^\/(usr\/)?bin\//, '')];
  if (!program) throw new NotFound(name ?? '');
  return program(args, sh, io);
}

interface Command {
  words: string[];
  /** How this command joins the one before it. */
  after: ';' | '&&' | '||';
}

/** Split a line into commands and words, expanding variables outside single quotes. */
function parseLine(line: string, sh: ShellState): Command[] | string {
  const commands: Command[] = [];
  let words: string[] = [];
  let word = '';
  let inWord = false;
  let after: Command['after'] = ';';
  const endWord = () => {
    if (inWord) words.push(word);
    word = '';
    inWord = false;
  };
  const endCommand = (next: Command['after']) => {
    endWord();
    if (words.length) commands.push({ words, after });
    else if (next !== ';') return false;
    words = [];
    after = next;
    return true;
  };
  const expand = (at: number): [string, number] => {
    const rest = line.slice(at + 1);
    const m = /^(\?|\{([A-Za-z_][A-Za-z0-9_]*)\}|[A-Za-z_][A-Za-z0-9_]*)/.exec(rest);
    if (!m) return ['$', at + 1];
    const name = m[2] ?? m[1]!;
    const value = name === '?' ? String(sh.status) : (sh.env.get(name) ?? '');
    return [value, at + 1 + m[0].length];
  };
  for (let i = 0; i < line.length;) {
    const ch = line[i] as string;
    if (ch === "'") {
      const end = line.indexOf("'", i + 1);
      if (end < 0) return 'sh: syntax error: unterminated quoted string';
      word += line.slice(i + 1, end);
      inWord = true;
      i = end + 1;
    } else if (ch === '"') {
      i++;
      inWord = true;
      while (i < line.length && line[i] !== '"') {
        if (line[i] === '\\' && i + 1 < line.length && '"\\$'.includes(line[i + 1] as string)) {
          word += line[i + 1];
          i += 2;
        } else if (line[i] === '$') {
          const [value, next] = expand(i);
          word += value;
          i = next;
        } else word += line[i++];
      }
      if (i >= line.length) return 'sh: syntax error: unterminated quoted string';
      i++;
    } else if (ch === '\\' && i + 1 < line.length) {
      word += line[i + 1];
      inWord = true;
      i += 2;
    } else if (ch === '$') {
      const [value, next] = expand(i);
      word += value;
      // Unquoted, an empty expansion is no word at all.
      inWord ||= value !== '';
      i = next;
    } else if (ch === ';' || (ch === '&' && line[i + 1] === '&') || (ch === '|' && line[i + 1] === '|')) {
      const op = ch === ';' ? ';' : ch === '&' ? '&&' : '||';
      if (!endCommand(op)) return `sh: syntax error: unexpected "${op}"`;
      i += op.length;
    } else if (ch === '#' && !inWord) {
      break;
    } else if (/\s/.test(ch)) {
      endWord();
      i++;
    } else {
      word += ch;
      inWord = true;
      i++;
    }
  }
  endCommand(';');
  return commands;
}

/** `>&2`, `2>&1`, `>/dev/null`, `2>/dev/null`: the redirections scripts use most. */
const REDIRECT = /^[12]?>(&[12]|\/dev\/null)$/;

function redirected(redirects: string[], io: ShellIO): ShellIO {
  const streams: Record<string, (t: string) => void> = { '1': io.out, '2': io.err };
  for (const r of redirects) {
    const [fd, target] = r.startsWith('2') ? ['2', r.slice(2)] : ['1', r.replace(/^1?>/, '')];
    streams[fd] = target === '/dev/null' ? () => undefined : (streams[target.slice(1)] as (t: string) => void);
  }
  return { out: streams['1'] as ShellIO['out'], err: streams['2'] as ShellIO['err'] };
}

/** Run one line of shell; returns its status (`exit` sets `sh.exited`). */
export function runLine(line: string, sh: ShellState, io: ShellIO): number {
  const commands = parseLine(line, sh);
  if (typeof commands === 'string') {
    io.err(`${commands}\n`);
    sh.status = 2;
    return 2;
  }
  for (const c of commands) {
    if ((c.after === '&&' && sh.status !== 0) || (c.after === '||' && sh.status === 0)) continue;
    try {
      sh.status = run(
        c.words.filter((w) => !REDIRECT.test(w)),
        sh,
        redirected(
          c.words.filter((w) => REDIRECT.test(w)),
          io,
        ),
      );
    } catch (e) {
      if (!(e instanceof NotFound)) throw e;
      io.err(`sh: ${e.program}: not found\n`);
      sh.status = 127;
    }
    if (sh.exited !== undefined) return sh.exited;
  }
  return sh.status;
}
