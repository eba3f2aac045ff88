// What the cockpit says when `s`/`a` come back from kubectl: its own error (the screen it was
// written on is gone by then), or nothing when the shell ran and its last command failed.
// The stderr texts are kubectl 1.32's against the simulator.
import { describe, expect, it } from 'vitest';
import { detachKeys, kubectlFailure, kubectlTerminalArgs } from '../../src/cli/cockpit-actions.js';

describe('kubectl exec -it from the cockpit', () => {
  it('runs sh in the chosen container with the cockpit kubeconfig and context', () => {
    const pod = { kind: 'Pod', namespace: 'kube-system', name: 'storage-provisioner' };
    expect(kubectlTerminalArgs({ pod, container: 'storage-provisioner', mode: 'exec' }, '/k/config', 'sim')).toEqual([
      '--kubeconfig',
      '/k/config',
      '--context',
      'sim',
      'exec',
      '-it',
      '-n',
      'kube-system',
      'storage-provisioner',
      '-c',
      'storage-provisioner',
      '--',
      'sh',
    ]);
    expect(kubectlTerminalArgs({ pod, container: 'c', mode: 'attach' }, undefined, 'sim')).toEqual([
      '--context',
      'sim',
      'attach',
      '-it',
      '-n',
      'kube-system',
      'storage-provisioner',
      '-c',
      'c',
    ]);
  });

  it("repeats kubectl's own error, the last line it wrote", () => {
    expect(
      kubectlFailure(
        'Error from server (BadRequest): pod jaeger-collector-6b8f9d7c5f-ftnf4 does not have a host assigned\n',
      ),
    ).toBe('Error from server (BadRequest): pod jaeger-collector-6b8f9d7c5f-ftnf4 does not have a host assigned');
    expect(kubectlFailure('error: unable to upgrade connection: container not found ("jaeger-query")\n')).toBe(
      'unable to upgrade connection: container not found ("jaeger-query")',
    );
  });

  it('says nothing when the shell itself ended with a failing status', () => {
    const stderr = [
      'E1204 17:04:29.458981   19366 v3.go:79] "Unhandled Error" err="websocket: close sent"',
      'command terminated with exit code 3',
      '',
    ].join('\r\n');
    expect(kubectlFailure(stderr)).toBeUndefined();
    expect(kubectlFailure('')).toBeUndefined();
  });

  it('takes what kubectl attach says on the way in for no failure (ctrl-c is how a line-mode attach ends)', () => {
    const stderr = [
      'error: Unable to use a TTY - container storage-provisioner did not allocate one',
      "If you don't see a command prompt, try pressing enter.",
      '',
    ].join('\n');
    expect(kubectlFailure(stderr)).toBeUndefined();
    expect(kubectlFailure(`${stderr}error: unable to upgrade connection: container not found ("c")\n`)).toBe(
      'unable to upgrade connection: container not found ("c")',
    );
  });

  it('ctrl-p ctrl-q detaches an attach session without kubectl; a lone ctrl-p still reaches the container', () => {
    let detached = 0;
    const filter = detachKeys(() => detached++);
    expect(filter(Buffer.from('ab\x10'))).toEqual(Buffer.from('ab'));
    expect(filter(Buffer.from('\x10c'))).toEqual(Buffer.from('\x10\x10c'));
    expect(detached).toBe(0);
    expect(filter(Buffer.from('x\x10\x11y'))).toEqual(Buffer.from('x'));
    expect(detached).toBe(1);
  });
});
