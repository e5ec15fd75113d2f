/**
 * Feedback after an action: short toasts read out by screen readers, a confirmation dialog for
 * destructive actions, and a copy button.
 */
import { h } from '../dom.js';

const MAX_TOASTS = 2;

let region: HTMLElement | undefined;

/** A message shown for a few seconds and announced politely. */
export function toast(message: string): void {
  if (!region || !region.isConnected) {
    region = h('div', {
      class: 'toast-region',
      attrs: { role: 'status', 'aria-live': 'polite' },
    });
    document.body.append(region);
  }
  const item = h('div', { class: 'toast' }, message);
  // Only the latest few stay: older news is stale and would cover the page.
  while (region.childElementCount >= MAX_TOASTS) region.firstElementChild?.remove();
  region.append(item);
  setTimeout(() => item.remove(), 5_000);
}

/**
 * Asks before a destructive action with a native modal `<dialog>`, which traps focus and
 * returns it to the opener when closed. Resolves true when the user confirms.
 */
export function confirmAction(options: {
  title: string;
  message: string;
  confirm: string;
}): Promise<boolean> {
  const opener = document.activeElement instanceof HTMLElement ? document.activeElement : null;

  return new Promise((resolve) => {
    const cancel = h(
      'button',
      { class: 'btn', attrs: { type: 'button', value: 'cancel' } },
      'Cancel',
    );
    const ok = h(
      'button',
      { class: 'btn btn-danger', attrs: { type: 'button', value: 'ok' } },
      options.confirm,
    );
    const dialog = h(
      'dialog',
      { attrs: { 'aria-labelledby': 'confirm-title' } },
      h('h2', { attrs: { id: 'confirm-title' } }, options.title),
      h('p', null, options.message),
      h('div', { class: 'actions' }, cancel, ok),
    );

    const close = (result: boolean) => {
      dialog.close();
      dialog.remove();
      opener?.focus();
      resolve(result);
    };
    cancel.addEventListener('click', () => close(false));
    ok.addEventListener('click', () => close(true));
    dialog.addEventListener('cancel', (event) => {
      event.preventDefault();
      close(false);
    });

    document.body.append(dialog);
    dialog.showModal();
    cancel.focus();
  });
}

/** A button that copies `value()` to the clipboard and says in a toast whether it could. */
export function copyButton(label: string, value: () => string): HTMLButtonElement {
  const button = h('button', { class: 'btn btn-small', attrs: { type: 'button' } }, label);
  button.addEventListener('click', () => {
    navigator.clipboard
      .writeText(value())
      .then(() => toast('Copied to the clipboard.'))
      .catch(() => toast('Copying failed: select the text and copy it by hand.'));
  });
  return button;
}

export function badge(
  text: string,
  tone: 'ok' | 'warn' | 'bad' | 'neutral' = 'neutral',
): HTMLElement {
  return h('span', { class: tone === 'neutral' ? 'badge' : `badge badge-${tone}` }, text);
}
