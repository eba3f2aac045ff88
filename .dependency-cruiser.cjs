// The rules of the house (docs/architecture.md), checked on every `npm test`: data flows one
// way, cluster → store → diagnosis → views/outputs, and nothing pure reaches for I/O.
// Tests read fixtures from disk and start the simulator; the rules apply to what ships.
const TESTS = '\\.test\\.tsx?$';

/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: 'no-cycles',
      severity: 'error',
      comment: 'A cycle makes load order matter and every module in it loads with the others.',
      from: {},
      to: { circular: true },
    },
    {
      name: 'views-not-cluster-or-cli',
      severity: 'error',
      comment:
        'Views render what the store and the diagnosis hand them; the CLI wires them up. The plan builders of the cockpit actions (src/fixes/actions.ts, commands.ts) are pure data, like the plans rules make.',
      from: { path: '^views/' },
      to: { path: '^src/(kube|cli|sim|fixes/(?!types|actions|commands)|portforward/(?!types))' },
    },
    {
      name: 'pure-diagnosis',
      severity: 'error',
      comment: 'Rules and the engine are pure functions over a Snapshot: no cluster, no files, no processes.',
      from: { path: '^(plugins|src/diagnose)/', pathNot: ['^src/diagnose/user-plugins\\.ts$', TESTS] },
      to: {
        path: ['^src/(kube|cli|sim|fixes|portforward|store/(live|load))', '^views/'],
        dependencyTypesNot: ['type-only'],
      },
    },
    {
      name: 'pure-diagnosis-no-io-modules',
      severity: 'error',
      comment: 'Only user-plugins.ts loads code from disk; everything else in the diagnosis is pure.',
      from: { path: '^(plugins|src/diagnose)/', pathNot: ['^src/diagnose/user-plugins\\.ts$', TESTS] },
      to: {
        dependencyTypes: ['core'],
        path: '^(node:)?(fs|fs/promises|child_process|net|http|https|tls|dgram|worker_threads)$',
      },
    },
    {
      name: 'no-io-packages-in-pure-layers',
      severity: 'error',
      comment: 'The cluster client, processes and the terminal belong to the edges.',
      from: { path: '^(plugins|src/diagnose|src/model|views)/', pathNot: TESTS },
      to: { path: 'node_modules/(@kubernetes/client-node|execa|ws|node-fetch|meow)/' },
    },
    {
      name: 'kube-not-store',
      severity: 'error',
      comment: 'The store is built from the cluster layer, never the other way round.',
      from: { path: '^src/kube/' },
      to: { path: '^src/(store|diagnose|cli|fixes|portforward)/|^views/|^plugins/' },
    },
    {
      name: 'model-is-a-leaf',
      severity: 'error',
      comment: 'Wire types and pure helpers over them; everything may import them.',
      from: { path: '^src/(model|util|format)/' },
      to: {
        path: '^(src/(kube|store|diagnose|cli|fixes|portforward|sim)|views|plugins)/',
        // How a finding's evidence reads (src/format/evidence.ts) names the diagnosis's types;
        // no code of the diagnosis runs from src/format.
        pathNot: '^src/diagnose/types\\.ts$',
      },
    },
    {
      name: 'format-names-diagnosis-types-only',
      severity: 'error',
      comment: 'src/format may name the types of src/diagnose/types.ts, never import code from it.',
      from: { path: '^src/format/' },
      to: { path: '^src/diagnose/types\\.ts$', dependencyTypesNot: ['type-only'] },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '^(dist|node_modules)/' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: { exportsFields: ['exports'], conditionNames: ['import', 'require', 'node', 'default'] },
  },
};
