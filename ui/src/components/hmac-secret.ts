/**
 * A pipeline's HMAC secret, for server sources that sign what they send to `/v1/events`. The
 * API never returns a secret except in the answer to the rotation that created it, so the new
 * value is shown here once, with a copy button, and is gone on the next redraw.
 */
import { describeError } from '../api/client.js';
import { api } from '../api/endpoints.js';
import type { Pipeline } from '../api/types.js';
import { h } from '../dom.js';
import { isAdmin } from '../session.js';
import { copyField } from './copy-field.js';
import { badge, confirmAction, toast } from './feedback.js';
import { busy } from './form.js';

export function hmacSecretBlock(
  pipeline: Pipeline,
  onRotated: (pipeline: Pipeline, secret: string) => void,
  revealed?: string,
): HTMLElement {
  const rotate = h(
    'button',
    { class: 'btn btn-small', attrs: { type: 'button' } },
    pipeline.hmac_secret_set ? 'Rotate HMAC secret' : 'Generate HMAC secret',
  );
  rotate.addEventListener(
    'click',
    () => void busy(rotate, () => rotateSecret(pipeline, onRotated)),
  );

  return h(
    'div',
    { class: 'field' },
    h(
      'p',
      { class: 'label' },
      'HMAC secret ',
      pipeline.hmac_secret_set ? badge('set', 'ok') : badge('not set'),
    ),
    revealed ? reveal(revealed) : null,
    isAdmin() ? h('div', { class: 'row' }, rotate) : null,
    h(
      'p',
      { class: 'hint' },
      'Server sources sign each request to /v1/events with it (X-Signature: sha256=…). ' +
        'Signal shows a new secret once and never again.',
    ),
  );
}

async function rotateSecret(
  pipeline: Pipeline,
  onRotated: (pipeline: Pipeline, secret: string) => void,
): Promise<void> {
  if (pipeline.hmac_secret_set) {
    const sure = await confirmAction({
      title: `Rotate the HMAC secret of ${pipeline.name}?`,
      message:
        'A new secret is generated and requests signed with the current one are refused at ' +
        'once: update your server sources straight away.',
      confirm: 'Rotate secret',
    });
    if (!sure) return;
  }

  try {
    const { hmac_secret: secret, ...view } = await api.rotateSecret(pipeline.id);
    onRotated(view, secret);
  } catch (error) {
    toast(describeError(error));
  }
}

/** The new secret, read-only and selected on focus, with the warning that this is the only time. */
function reveal(secret: string): HTMLElement {
  return h(
    'div',
    { class: 'notice notice-warn', attrs: { role: 'status' } },
    copyField({
      label: 'New HMAC secret',
      value: secret,
      copyLabel: 'Copy secret',
      idPrefix: 'secret',
      attrs: { 'data-secret': true },
    }),
    h('p', { class: 'small' }, 'Copy it now: it is shown only this once.'),
  );
}
