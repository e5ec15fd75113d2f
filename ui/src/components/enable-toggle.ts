/**
 * The Enable/Disable button of a pipeline or an integration: disabling asks first, enabling does
 * not; either way the change is applied, then announced in a toast.
 */
import { describeError } from '../api/client.js';
import { h } from '../dom.js';
import { confirmAction, toast } from './feedback.js';
import { busy } from './form.js';

export interface EnableToggleOptions {
  /** Its name, in the confirmation's title and in the toast. */
  name: string;
  /** Whether it is enabled now: the button offers the opposite. */
  enabled: boolean;
  /** What disabling does, and the label of the button that confirms it. */
  disabling: { message: string; confirm: string };
  /** Makes the change (and redraws); a rejection is shown in a toast. */
  change: (enabled: boolean) => Promise<void>;
  small?: boolean;
}

/** A button that enables or disables something, confirming before it disables. */
export function enableToggle(options: EnableToggleOptions): HTMLButtonElement {
  const { name, enabled } = options;
  const size = options.small ? 'btn btn-small' : 'btn';
  const button = h(
    'button',
    {
      class: enabled ? `${size} btn-danger` : `${size} btn-primary`,
      attrs: { type: 'button' },
    },
    enabled ? 'Disable' : 'Enable',
  );

  button.addEventListener(
    'click',
    () =>
      void busy(button, async () => {
        const sure =
          !enabled || (await confirmAction({ title: `Disable ${name}?`, ...options.disabling }));
        if (!sure) return;
        try {
          await options.change(!enabled);
          toast(`${name} ${enabled ? 'disabled' : 'enabled'}.`);
        } catch (error) {
          toast(describeError(error));
        }
      }),
  );
  return button;
}
