/**
 * The inline snippet: it defines a stub `window.datafly` whose methods queue their calls, then
 * loads the script asynchronously; the script replays the queue in order. Pages can call
 * `datafly.identify(...)` before the script has arrived.
 */
import type { DataflyMethod } from './types.js';

export const SNIPPET_METHODS: readonly DataflyMethod[] = [
  'page',
  'track',
  'identify',
  'group',
  'reset',
  'consent',
];

export interface SnippetOptions {
  /** Absolute URL of `datafly.js` on the first-party collection host. */
  scriptUrl: string;
  pipelineKey: string;
  /** Set false to turn off automatic page views. */
  autoPage?: boolean;
}

/**
 * The snippet's JavaScript (without the `<script>` tag). Values are JSON-encoded with `<` escaped
 * so the text is safe inside an HTML `<script>` element.
 */
export function renderSnippet({ scriptUrl, pipelineKey, autoPage = true }: SnippetOptions): string {
  const literal = (value: unknown) => JSON.stringify(value).replace(/</g, '\\u003c');

  return (
    '!function(w,d,m,s,q,f){if(w.datafly)return;q=[];f=w.datafly={q:q};' +
    'm.forEach(function(n){f[n]=function(){q.push([n].concat([].slice.call(arguments)))}});' +
    "s=d.createElement('script');s.async=true;s.src=" +
    literal(scriptUrl) +
    ";s.setAttribute('data-pipeline-key'," +
    literal(pipelineKey) +
    ');' +
    (autoPage ? '' : "s.setAttribute('data-auto-page','false');") +
    'd.head.appendChild(s)}(window,document,' +
    literal(SNIPPET_METHODS) +
    ');'
  );
}
