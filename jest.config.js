// One jest configuration, three layers selected by file suffix (see package.json scripts).
// moduleNameMapper is derived from tsconfig.json's paths, never copied by hand.
import { readFileSync } from 'node:fs';

const tsconfig = JSON.parse(readFileSync(new URL('./tsconfig.json', import.meta.url), 'utf8'));
const aliases = Object.fromEntries(
  Object.entries(tsconfig.compilerOptions.paths).map(([alias, [target]]) => [
    `^${alias.replace(/[/]/g, '\\/')}$`,
    `<rootDir>/${target}`,
  ]),
);

const swc = [
  '@swc/jest',
  {
    swcrc: false,
    jsc: {
      parser: { syntax: 'typescript', decorators: true },
      transform: { legacyDecorator: true, decoratorMetadata: true, useDefineForClassFields: false },
      target: 'es2022',
      keepClassNames: true,
    },
    module: { type: 'es6' },
  },
];

// @fastify/static (Swagger UI on Fastify) require()s content-disposition 3, an ES module: Node 20.19
// loads it natively, Jest on Node 20 cannot, so Jest compiles that one package to CommonJS.
const esmDependencyToCommonJs = [
  '@swc/jest',
  { swcrc: false, jsc: { target: 'es2022' }, module: { type: 'commonjs' } },
];

const layer = process.env.CADRE_TEST_LAYER ?? 'unit';
const patterns = {
  unit: ['/(apps|libs)/.+\\.spec\\.ts$'],
  int: ['/(apps|libs|test)/.+\\.int-spec\\.ts$'],
  e2e: ['/test/.+\\.e2e-spec\\.ts$'],
};

export default {
  rootDir: '.',
  testEnvironment: 'node',
  extensionsToTreatAsEsm: ['.ts'],
  transform: { '^.+\\.ts$': swc, '/node_modules/content-disposition/.+\\.js$': esmDependencyToCommonJs },
  transformIgnorePatterns: ['/node_modules/(?!content-disposition/)'],
  moduleNameMapper: { '^(\\.{1,2}/.*)\\.js$': '$1', ...aliases },
  testRegex: patterns[layer],
  testPathIgnorePatterns: ['/node_modules/', '/dist/', '/data/'],
  setupFiles: ['reflect-metadata'],
  globalSetup: '<rootDir>/test/support/global-setup.ts',
  globalTeardown: '<rootDir>/test/support/global-teardown.ts',
  testTimeout: 30_000,
};
