/**
 * The `.d.ts` files of the ES module build, emitted in memory by the TypeScript compiler from
 * `collector/src` with `collector/tsconfig.json`, so the published types are those the collector
 * itself is checked against and cannot drift from it.
 */
import { relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';

const CONFIG = fileURLToPath(new URL('./tsconfig.json', import.meta.url));
/** Never written to: the emitted files are collected in memory, named relative to it. */
const OUT_DIR = fileURLToPath(new URL('./types/', import.meta.url));

/** Declaration files keyed by path relative to `src` (`esm.d.ts`, `consent/tcf.d.ts`). */
export function buildDeclarations(): Map<string, string> {
  const config = ts.getParsedCommandLineOfConfigFile(
    CONFIG,
    {
      noEmit: false,
      declaration: true,
      emitDeclarationOnly: true,
      sourceMap: false,
      outDir: OUT_DIR,
    },
    { ...ts.sys, onUnRecoverableConfigFileDiagnostic: (diagnostic) => fail([diagnostic]) },
  );
  if (!config) throw new Error(`cannot read ${CONFIG}`);

  const declarations = new Map<string, string>();
  const program = ts.createProgram(config.fileNames, config.options);
  const { diagnostics } = program.emit(undefined, (fileName, text) => {
    declarations.set(relative(OUT_DIR, fileName).split('\\').join('/'), text);
  });
  if (diagnostics.length) fail(diagnostics);

  return declarations;
}

function fail(diagnostics: readonly ts.Diagnostic[]): never {
  const text = ts.formatDiagnostics(diagnostics, {
    getCanonicalFileName: (name) => name,
    getCurrentDirectory: ts.sys.getCurrentDirectory,
    getNewLine: () => '\n',
  });

  throw new Error(`the collector's declarations could not be emitted:\n${text}`);
}
