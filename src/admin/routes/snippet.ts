/**
 * The install snippet of a pipeline: the `datafly.js` script tag with the pipeline key, served
 * from Signal's own (first-party) origin. Built here rather than imported from the collector:
 * the server build compiles `src/` alone, and the tag is all a page needs (the script reads
 * `data-pipeline-key` from its own element).
 *
 * Known limit: the inline (queuing) snippet is not in this answer, because the collector's
 * `renderSnippet` lives outside `src/`; the UI renders it from `script_url` and `pipeline_key`.
 */
import type { Pipeline } from '../../store/types.js';

export interface Snippet {
  html: string;
  script_url: string;
  pipeline_key: string;
}

export function snippetFor(pipeline: Pipeline, origin: string): Snippet {
  const scriptUrl = `${origin.replace(/\/+$/, '')}/datafly.js`;
  const src = escapeAttribute(scriptUrl);
  const key = escapeAttribute(pipeline.key);

  return {
    html: `<script async src="${src}" data-pipeline-key="${key}"></script>`,
    script_url: scriptUrl,
    pipeline_key: pipeline.key,
  };
}

/** A Host header is client input: it must not be able to break out of the attribute. */
function escapeAttribute(value: string): string {
  return value
    .replace(/&/g, '&amp;')
    .replace(/"/g, '&quot;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;');
}
