/**
 * How to install datafly.js for a pipeline, both ways the collector supports: the script tag
 * (the API's snippet) and the inline snippet, which queues calls made before the script has
 * arrived. The inline one is rendered here by the collector's own `renderSnippet`, so the page
 * shows exactly what the collector replays; the server build cannot import it (it compiles
 * `src/` alone). The snippet is fetched when the `<details>` is first opened, so a closed one
 * costs no request, on load or on a redraw.
 */
import { renderSnippet } from '../../../collector/src/snippet.js';
import { describeError } from '../api/client.js';
import { api } from '../api/endpoints.js';
import type { Snippet } from '../api/types.js';
import { h } from '../dom.js';
import { copyButton } from './feedback.js';

export function installSnippet(pipelineId: string): HTMLElement {
  const scriptTag = codeBlock('Script tag', 'Copy script tag');
  const inline = codeBlock('Inline snippet', 'Copy inline snippet');

  const load = () =>
    api
      .snippet(pipelineId)
      .then((snippet) => {
        scriptTag.show(snippet.html);
        inline.show(inlineHtml(snippet));
      })
      .catch((error: unknown) => {
        scriptTag.show(describeError(error));
        inline.show('');
      });

  const details = h(
    'details',
    null,
    h('summary', null, 'Install snippet'),
    h(
      'p',
      { class: 'small muted' },
      'Paste one of them into the <head> of every page of your site.',
    ),
    scriptTag.element,
    h(
      'p',
      { class: 'small muted' },
      'Call datafly.identify() and datafly.track() once the script has loaded.',
    ),
    inline.element,
    h(
      'p',
      { class: 'small muted' },
      'Calls made before the script arrives are queued and sent in order, ' +
        'so a page may call datafly at once.',
    ),
  );
  // It starts closed, so its first toggle is its first opening.
  details.addEventListener('toggle', () => void load(), { once: true });
  return details;
}

function inlineHtml(snippet: Snippet): string {
  const script = renderSnippet({
    scriptUrl: snippet.script_url,
    pipelineKey: snippet.pipeline_key,
  });

  return `<script>${script}</script>`;
}

/** A labelled `<pre>` and its copy button; the text is set as text, never parsed as markup. */
function codeBlock(label: string, copyLabel: string) {
  let text = '';
  const pre = h('pre', { class: 'json' }, 'Loading…');
  const element = h(
    'figure',
    { attrs: { 'aria-label': label } },
    h('figcaption', { class: 'small' }, h('strong', null, label)),
    pre,
    copyButton(copyLabel, () => text),
  );

  return {
    element,
    show(value: string) {
      text = value;
      pre.textContent = value;
    },
  };
}
