/** The sign-in page: e-mail and password; the API sets the session cookie on success. */
import { ApiError, describeError } from '../api/client.js';
import { api } from '../api/endpoints.js';
import { busy, formError, textField } from '../components/form.js';
import { h } from '../dom.js';

export function renderLogin(root: HTMLElement, onSignedIn: () => void, reason?: string): void {
  const email = textField({
    label: 'E-mail',
    name: 'email',
    type: 'email',
    autocomplete: 'username',
    required: true,
  });
  const password = textField({
    label: 'Password',
    name: 'password',
    type: 'password',
    autocomplete: 'current-password',
    required: true,
  });
  const error = formError();
  const submit = h('button', { class: 'btn btn-primary', attrs: { type: 'submit' } }, 'Sign in');

  const form = h(
    'form',
    { attrs: { novalidate: true, 'aria-labelledby': 'login-title' } },
    email.element,
    password.element,
    error,
    h('div', { class: 'actions' }, submit),
  );

  form.addEventListener('submit', (event) => {
    event.preventDefault();
    error.textContent = '';
    email.setError(email.control.value.trim() ? '' : 'Enter your e-mail address.');
    password.setError(password.control.value ? '' : 'Enter your password.');
    if (!email.control.value.trim() || !password.control.value) {
      (email.control.value.trim() ? password.control : email.control).focus();
      return;
    }

    void busy(submit, async () => {
      try {
        await api.login(email.control.value.trim(), password.control.value);
        onSignedIn();
      } catch (failure) {
        error.textContent =
          failure instanceof ApiError && failure.status === 401
            ? 'That e-mail and password do not match an account.'
            : describeError(failure);
        password.control.select();
        password.control.focus();
      }
    });
  });

  root.replaceChildren(
    h(
      'main',
      { class: 'login' },
      h(
        'div',
        { class: 'card' },
        h(
          'div',
          { class: 'brand' },
          h('span', { class: 'brand-mark', attrs: { 'aria-hidden': 'true' } }),
          'Signal',
        ),
        h('h1', { attrs: { id: 'login-title' } }, 'Sign in'),
        reason ? h('p', { class: 'notice notice-warn' }, reason) : null,
        form,
      ),
    ),
  );
  document.title = 'Sign in · Signal';
  email.control.focus();
}
