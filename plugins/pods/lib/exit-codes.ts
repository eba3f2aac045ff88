// What a container's exit code means, in words: the short form for titles, the long one for
// explanations. Shells, the kernel (128 + signal) and the container runtime each own a range.

export interface ExitMeaning {
  short: string;
  long: string;
}

export function exitCodeMeaning(code: number): ExitMeaning {
  switch (code) {
    case 0:
      return {
        short: 'exits successfully but must keep running',
        long: 'the program finished successfully, but a container of a Deployment, StatefulSet or DaemonSet is expected to keep running, so Kubernetes starts it again. Its main command must stay in the foreground (a server, not a one-off script); one-off work belongs in a Job',
      };
    case 1:
      return {
        short: 'application error',
        long: 'the program stopped itself with a general error — usually bad configuration, a missing file or setting, or an error it could not handle; its last log lines say which',
      };
    case 2:
      return {
        short: 'usage error',
        long: 'usually a usage error: a wrong flag or argument in the command or args, or a shell script error',
      };
    case 126:
      return {
        short: 'command not executable',
        long: 'the command was found but could not be run: the file is not executable (permissions) or is not a program for this system',
      };
    case 127:
      return {
        short: 'command not found',
        long: 'command not found: the command (or the first word of a shell command) is not in the image — a typo in command/args, or the wrong image',
      };
    case 128:
      return {
        short: 'could not start',
        long: 'the container runtime could not start the command (for example "executable file not found in $PATH")',
      };
    case 134:
      return {
        short: 'aborted',
        long: 'the program aborted itself (SIGABRT), typically on a failed assertion or a fatal runtime error',
      };
    case 137:
      return {
        short: 'killed (SIGKILL)',
        long: 'the process was killed from outside with SIGKILL, but not for memory (that would say OOMKilled): usually a failed liveness probe, or a stop that took longer than the grace period',
      };
    case 139:
      return {
        short: 'segmentation fault',
        long: 'a segmentation fault (SIGSEGV): the program crashed on an invalid memory access — a bug in it or in a native library, or a binary built for another CPU or C library',
      };
    case 143:
      return {
        short: 'terminated (SIGTERM)',
        long: 'the process was asked to stop (SIGTERM) and did: something stopped it, such as a liveness probe, a pod deletion or a node drain',
      };
    default:
      if (code > 128 && code < 160)
        return { short: `killed by signal ${code - 128}`, long: `the process was killed by signal ${code - 128}` };
      return {
        short: `exit code ${code}`,
        long: `the program's own error code ${code}; its documentation or its log lines say what it means`,
      };
  }
}
