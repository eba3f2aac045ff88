// The plugin API as a user gets it: `npm pack` this package, install the tarball in an empty
// folder, write rules against `kcockpit/plugin` (one in TypeScript, type-checked against the
// published declarations; two in plain JavaScript, one of them malformed, one that does not
// load), and run the installed `kcockpit diagnose --plugins` against the simulated cluster.
// Packs what `npm run build` left in dist/, as `npm test` does before vitest.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { execa } from 'execa';
import { afterAll, beforeAll, describe, it } from 'vitest';
import type { DiagnosisReport } from '../../src/cli/output/report.js';
import type { SimServer } from '../../src/sim/server.js';
import { startSim } from '../helpers/sim.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const TSC = createRequire(import.meta.url).resolve('typescript/bin/tsc');

/** Docker Hub images (no registry host): a team rule, written the way docs/plugin-api.md shows. */
const DOCKER_HUB_RULE = `
import { RULE_IDS, containerRule, fieldEvidence, kubectlName, manualPlan, podsPhrase } from 'kcockpit/plugin';

const fromDockerHub = (image) => !/^[^/]+[.:][^/]*\\//.test(image);

export const rule = containerRule({
  id: 'team/docker-hub-image',
  title: 'Images pulled from Docker Hub',
  classify: (pod, site) =>
    site.spec?.image && fromDockerHub(site.spec.image) ? { pod, site, variant: 'docker-hub' } : undefined,
  explain: ({ lead, pods, subject }) => ({
    severity: 'info',
    title: \`\${lead.site.name} pulls \${lead.site.spec.image} from Docker Hub\`,
    explanation: \`Docker Hub limits anonymous pulls (\${podsPhrase(pods)}): mirror the image.\`,
    evidence: [fieldEvidence(lead.pod, \`\${lead.site.specPath}.image\`, lead.site.spec.image, 'spec')],
    explains: [subject],
    explainsOnly: [RULE_IDS.imagePull],
  }),
  plans: ({ lead, subject }) => [
    manualPlan({
      id: 'mirror-image',
      title: 'Pull the image through your mirror',
      explanation: 'A mirror has no anonymous pull limit.',
      commands: [\`kubectl set image \${kubectlName(subject)} \${lead.site.name}=mirror.example/\${lead.site.spec.image}\`],
    }),
  ],
});
`;

/** A plugin whose first finding has no subject; its second leaves out everything it may. */
const BROKEN_RULE = `
export const rule = {
  id: 'team/broken',
  title: 'Broken',
  diagnose: () => [
    { severity: 'critical', title: 'no subject' },
    { severity: 'warning', subject: { kind: 'Namespace', name: 'observability' }, title: 'bare' },
  ],
};
`;

/** Imports a name the entry does not export: fails to load, and is skipped. */
const UNLOADABLE_RULE = `
import { noSuchHelper } from 'kcockpit/plugin';
export const rule = { id: 'team/unloadable', title: 'x', diagnose: () => noSuchHelper() };
`;

/** The same rule in TypeScript: the published declarations must type it, and catch a mistake. */
const TYPED_RULE = `
import { containerRule, manualPlan, RULE_IDS, type ContainerCase, type Explained, type Rule } from 'kcockpit/plugin';

interface NoLimit extends ContainerCase {
  variant: 'no-memory-limit';
}

export const rule: Rule = containerRule<NoLimit>({
  id: 'team/no-memory-limit',
  title: 'Containers without a memory limit',
  classify: (pod, site) =>
    site.spec && !site.spec.resources?.limits?.memory ? { pod, site, variant: 'no-memory-limit' } : undefined,
  explain: ({ lead }): Explained => ({
    severity: 'info',
    title: \`\${lead.site.name} has no memory limit\`,
    explanation: 'It can take all of its node\\'s memory.',
    evidence: [],
    explainsOnly: [RULE_IDS.crashloop],
  }),
  plans: () => [manualPlan({ id: 'set-limit', title: 'Set a memory limit', explanation: 'Measure first.' })],
});

export const wrong: Explained = {
  // @ts-expect-error kcockpit knows three severities
  severity: 'fatal',
  title: 't',
  explanation: '',
  evidence: [],
};
`;

describe('a user plugin written against kcockpit/plugin, from the packed package', () => {
  let dir: string;
  let sim: SimServer;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'kcockpit-plugin-user-'));
    const packed = await execa('npm', ['pack', '--ignore-scripts', '--json', '--pack-destination', dir], { cwd: ROOT });
    const tarball = join(dir, (JSON.parse(packed.stdout) as { filename: string }[])[0]!.filename);
    writeFileSync(join(dir, 'package.json'), JSON.stringify({ name: 'my-rules', private: true, type: 'module' }));
    await execa(
      'npm',
      ['install', tarball, '--prefer-offline', '--ignore-scripts', '--no-audit', '--no-fund', '--loglevel=error'],
      { cwd: dir },
    );
    mkdirSync(join(dir, 'plugins'));
    writeFileSync(join(dir, 'plugins', 'docker-hub.mjs'), DOCKER_HUB_RULE);
    writeFileSync(join(dir, 'plugins', 'broken.mjs'), BROKEN_RULE);
    writeFileSync(join(dir, 'plugins', 'unloadable.mjs'), UNLOADABLE_RULE);
    mkdirSync(join(dir, 'typed'));
    writeFileSync(join(dir, 'typed', 'no-memory-limit.ts'), TYPED_RULE);
    sim = await startSim('s1-jaeger');
  }, 180_000);

  afterAll(async () => {
    await sim?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  // Both only read what beforeAll set up: they run side by side.
  it.concurrent(
    'types a rule with the published declarations alone',
    async ({ expect }) => {
      const tsconfig = {
        compilerOptions: {
          module: 'NodeNext',
          moduleResolution: 'NodeNext',
          target: 'ES2022',
          lib: ['ES2022'],
          strict: true,
          noEmit: true,
          types: [],
        },
        include: ['typed'],
      };
      writeFileSync(join(dir, 'tsconfig.json'), JSON.stringify(tsconfig));
      const r = await execa(process.execPath, [TSC, '-p', dir], { reject: false });
      expect(r.stdout + r.stderr).toBe('');
      expect(r.exitCode).toBe(0);
    },
    60_000,
  );

  it.concurrent(
    'runs the rules in the installed kcockpit, drops what is malformed and says so',
    async ({ expect }) => {
      const bin = join(dir, 'node_modules', 'kcockpit', 'bin', 'kcockpit.js');
      const r = await execa(
        process.execPath,
        [bin, 'diagnose', '-n', 'observability', '-o', 'json', '--plugins', join(dir, 'plugins')],
        { env: { KUBECONFIG: sim.kubeconfigPath, NO_COLOR: '1', HOME: dir }, reject: false },
      );
      expect(r.stderr.trim().split('\n')).toEqual([
        expect.stringMatching(/^kcockpit: warning: plugin unloadable\.mjs failed to load: .*noSuchHelper/),
      ]);
      expect(r.exitCode).toBe(1);
      const report = JSON.parse(r.stdout) as DiagnosisReport;
      const ofRule = (id: string) => report.findings.filter((f) => f.ruleId === id);

      const hub = ofRule('team/docker-hub-image');
      expect(hub.map((f) => f.id)).toContain(
        'team/docker-hub-image:observability/Deployment/jaeger-op-jaeger-operator#jaeger-operator/docker-hub',
      );
      expect(hub[0]!.fixes[0]).toMatchObject({ id: 'mirror-image', mutates: false, steps: [{ action: 'manual' }] });
      // explainsOnly with a RULE_IDS constant: the rate-limited pull is linked under the team's finding.
      const pull = ofRule('pods/image-pull')[0]!;
      expect(pull.causedBy).toContain(
        'team/docker-hub-image:observability/Deployment/jaeger-op-jaeger-operator#jaeger-operator/docker-hub',
      );

      expect(ofRule('team/broken')).toEqual([
        expect.objectContaining({
          id: 'team/broken:/Namespace/observability',
          title: 'bare',
          objects: [{ kind: 'Namespace', name: 'observability' }],
          evidence: [],
          fixes: [],
        }),
      ]);
      expect(report.notes).toContain(
        'rule team/broken returned a finding kcockpit cannot use, so it was dropped: subject is not an object',
      );
      for (const id of ['pods/image-pull', 'workloads/anti-affinity-replicas', 'crds/missing-api-group'])
        expect(ofRule(id)).not.toEqual([]);
    },
    60_000,
  );
});
