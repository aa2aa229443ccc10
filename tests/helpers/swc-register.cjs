// Lets a child `node` process load the TypeScript sources directly, as jest does (@swc/core with the project's
// .swcrc, no type checking): node -r ./tests/helpers/swc-register.cjs tests/helpers/some-child.ts
/* global require */
/* eslint-disable @typescript-eslint/no-require-imports -- a CommonJS require hook is CommonJS by nature */
const { readFileSync } = require('node:fs');
const { transformSync } = require('@swc/core');

require.extensions['.ts'] = function compileTypeScript(module, filename) {
  const { code } = transformSync(readFileSync(filename, 'utf8'), { filename, swcrc: true });
  module._compile(code, filename);
};
