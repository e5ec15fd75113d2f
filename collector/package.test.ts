/**
 * The npm package as a consumer meets it: assembled into a project's `node_modules`, resolved by
 * name, imported by Node and type-checked by TypeScript against its own declarations.
 */
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { pathToFileURL } from 'node:url';
import ts from 'typescript';
import { VERSION } from './src/version.js';
import { writeCollectorPackage } from './write-package.js';

interface Manifest {
  name: string;
  version: string;
  type: string;
  types: string;
  exports: { '.': { types: string; default: string } };
  files: string[];
}

/** Uses the package as the README shows, and misuses it where its types must object. */
const CONSUMER = `
import { createDatafly, VERSION, type Datafly, type DataflyOptions } from '@signal/datafly';

const options: DataflyOptions = { pipelineKey: 'dk_1', endpoint: 'https://data.example.com' };
const datafly: Datafly = createDatafly({ ...options, flushAt: 5 });
datafly.identify('user-1', { plan: 'pro' });
datafly.track('Signed Up', { plan: 'pro' });
datafly.consent({ marketing: false });
export const version: string = VERSION;

// @ts-expect-error the endpoint is required
createDatafly({ pipelineKey: 'dk_1' });
// @ts-expect-error an event name is a string
datafly.track(42);
// @ts-expect-error the module sets no window.datafly, so its types declare none
window.datafly;
`;

describe('the @signal/datafly package', () => {
  let project: string;
  let packageDir: string;

  before(async () => {
    project = mkdtempSync(join(tmpdir(), 'datafly-consumer-'));
    packageDir = join(project, 'node_modules', '@signal', 'datafly');
    await writeCollectorPackage(packageDir);
  });
  after(() => rmSync(project, { recursive: true, force: true }));

  it('carries the collector version and every file its manifest points at', () => {
    const manifest = JSON.parse(readFileSync(join(packageDir, 'package.json'), 'utf8')) as Manifest;

    const targets = [manifest.types, manifest.exports['.'].types, manifest.exports['.'].default];
    assert.equal(manifest.name, '@signal/datafly');
    assert.equal(manifest.version, VERSION);
    assert.equal(manifest.type, 'module');
    for (const file of [...targets, ...manifest.files]) {
      assert.ok(existsSync(join(packageDir, file)), `${file} is missing from the package`);
    }
  });

  it('resolves by name to the ES module, which exports createDatafly and VERSION', async () => {
    writeFileSync(join(project, 'consumer.mjs'), "export * from '@signal/datafly';\n");

    const exported = (await import(pathToFileURL(join(project, 'consumer.mjs')).href)) as Record<
      string,
      unknown
    >;

    assert.deepEqual(Object.keys(exported).sort(), ['VERSION', 'createDatafly']);
    assert.equal(exported.VERSION, VERSION);
    assert.equal(typeof exported.createDatafly, 'function');
  });

  it("types a consumer's calls from its declarations, and adds no globals", () => {
    const consumer = join(project, 'consumer.mts');
    writeFileSync(consumer, CONSUMER);

    const program = ts.createProgram([consumer], {
      strict: true,
      noEmit: true,
      target: ts.ScriptTarget.ES2022,
      module: ts.ModuleKind.NodeNext,
      moduleResolution: ts.ModuleResolutionKind.NodeNext,
      lib: ['lib.es2022.d.ts', 'lib.dom.d.ts'],
      types: [],
    });
    const problems = ts.getPreEmitDiagnostics(program).map((diagnostic) => {
      return ts.flattenDiagnosticMessageText(diagnostic.messageText, '\n');
    });

    assert.deepEqual(problems, []);
  });
});
