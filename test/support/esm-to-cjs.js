/**
 * Jest transformer for the ES-module-only packages in node_modules (see jest.config.js):
 * TypeScript's transpiler rewrites them to CommonJS. What ES modules use `import.meta` for
 * becomes its CommonJS equivalent first; a module's own `const require = createRequire(...)`
 * is dropped, since CommonJS already has one.
 */
const { createHash } = require('node:crypto');
const { readFileSync } = require('node:fs');
const ts = require('typescript');

/** Jest caches transformed files; a change to this transformer must invalidate them. */
const SELF = createHash('sha256').update(readFileSync(__filename)).update(ts.version).digest('hex');

const IMPORT_META = [
  [/^const require = createRequire\(import\.meta\.url\);$/gm, ''],
  [/import\.meta\.url/g, "require('node:url').pathToFileURL(__filename).href"],
  [/import\.meta\.dirname/g, '__dirname'],
  [/import\.meta\.resolve\(/g, 'require.resolve('],
];

module.exports = {
  getCacheKey(source, fileName) {
    return createHash('sha256').update(SELF).update(fileName).update(source).digest('hex');
  },
  process(source, fileName) {
    const commonJsReady = IMPORT_META.reduce((code, [from, to]) => code.replace(from, to), source);
    const { outputText, sourceMapText } = ts.transpileModule(commonJsReady, {
      fileName,
      compilerOptions: {
        module: ts.ModuleKind.CommonJS,
        target: ts.ScriptTarget.ES2023,
        allowJs: true,
        esModuleInterop: true,
        sourceMap: true,
      },
    });
    return { code: outputText, map: sourceMapText };
  },
};
