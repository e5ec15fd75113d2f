import assert from 'node:assert/strict';
import { it } from 'node:test';
import { createContext, runInContext } from 'node:vm';
import { renderSnippet } from './snippet.js';

interface FakeScript {
  async?: boolean;
  src?: string;
  attributes: Record<string, string>;
  setAttribute(name: string, value: string): void;
}

/** Runs the snippet, then `calls`, in a bare context with just enough of `document`. */
function runSnippet(snippet: string, calls: string) {
  const appended: FakeScript[] = [];
  const sandbox: Record<string, unknown> = {
    document: {
      createElement: (): FakeScript => ({
        attributes: {},
        setAttribute(name, value) {
          this.attributes[name] = value;
        },
      }),
      head: { appendChild: (script: FakeScript) => appended.push(script) },
    },
  };
  sandbox.window = sandbox;

  runInContext(`${snippet}\n${calls}`, createContext(sandbox));
  return { appended, queue: (sandbox.datafly as { q: unknown[][] }).q };
}

it('queues calls on a stub and loads the script asynchronously with the pipeline key', () => {
  const snippet = renderSnippet({
    scriptUrl: 'https://data.example.com/datafly.js',
    pipelineKey: 'dk_live_1',
  });

  const { appended, queue } = runSnippet(
    snippet,
    "datafly.identify('user-123', { plan: 'pro' }); datafly.track('Signed Up'); datafly.page();",
  );

  assert.equal(appended.length, 1);
  assert.equal(appended[0]!.src, 'https://data.example.com/datafly.js');
  assert.equal(appended[0]!.async, true);
  assert.deepEqual(appended[0]!.attributes, { 'data-pipeline-key': 'dk_live_1' });
  assert.deepEqual(JSON.parse(JSON.stringify(queue)), [
    ['identify', 'user-123', { plan: 'pro' }],
    ['track', 'Signed Up'],
    ['page'],
  ]);
});

it('passes data-auto-page="false" on when automatic page views are off', () => {
  const snippet = renderSnippet({ scriptUrl: '/datafly.js', pipelineKey: 'dk_1', autoPage: false });

  const { appended } = runSnippet(snippet, '');

  assert.equal(appended[0]!.attributes['data-auto-page'], 'false');
});

it('escapes its values so they cannot close the surrounding script element', () => {
  const snippet = renderSnippet({ scriptUrl: '/datafly.js', pipelineKey: 'dk_</script><b>' });

  const { appended } = runSnippet(snippet, '');

  assert.equal(snippet.includes('</script>'), false);
  assert.equal(appended[0]!.attributes['data-pipeline-key'], 'dk_</script><b>');
});
