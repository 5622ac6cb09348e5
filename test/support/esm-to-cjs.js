/**
 * Jest transformer for the ES-module-only packages in node_modules (see jest.config.js):
 * TypeScript's transpiler rewrites them to CommonJS. `import.meta.url`, which has no CommonJS
 * form, becomes the file's URL.
 */
const ts = require('typescript');

module.exports = {
  process(source, fileName) {
    const withoutImportMeta = source.replaceAll(
      'import.meta.url',
      "require('node:url').pathToFileURL(__filename).href",
    );
    const { outputText, sourceMapText } = ts.transpileModule(withoutImportMeta, {
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
