// Lets a child process or worker thread run the TypeScript sources directly when the app itself
// runs from source (ts-jest): node -r ./src/infra/ts-register.js file.ts. Transpile only (the build
// and the tests type-check). Compiled deployments run the .js files and never load this.
const fs = require('node:fs');
const ts = require('typescript');
require.extensions['.ts'] = function compile(module, filename) {
  const out = ts.transpileModule(fs.readFileSync(filename, 'utf8'), {
    fileName: filename,
    compilerOptions: {
      module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2022, esModuleInterop: true,
      experimentalDecorators: true, emitDecoratorMetadata: true, sourceMap: false,
    },
  });
  module._compile(out.outputText, filename);
};

// Sources import './x.js' (Node16 module resolution); map that to './x.ts' when only the .ts exists.
const Module = require('node:module');
const path = require('node:path');
const resolve = Module._resolveFilename;
Module._resolveFilename = function resolveTs(request, parent, ...rest) {
  if (request.startsWith('.') && request.endsWith('.js') && parent?.filename) {
    const ts = path.resolve(path.dirname(parent.filename), request.slice(0, -3) + '.ts');
    if (fs.existsSync(ts)) return ts;
  }
  return resolve.call(this, request, parent, ...rest);
};
