// Sign-in: a client token becomes a session cookie (POST /api/v1/session); the token is not kept.
import {signIn} from '../api.js';
import {fill, h, errorText} from '../dom.js';

export function render(main, done) {
  const input = h('input', {id: 'token', name: 'token', type: 'password', autocomplete: 'off', spellcheck: 'false',
    required: true, 'aria-describedby': 'token-help'});
  const error = h('p', {class: 'error', id: 'sign-in-error', role: 'alert', 'aria-live': 'assertive'});
  const button = h('button', {type: 'submit', class: 'primary'}, 'Sign in');
  const form = h('form', {id: 'sign-in', class: 'sign-in panel', novalidate: true},
    h('h1', {}, 'Sign in to Spool'),
    h('label', {for: 'token'}, 'Client token'),
    input,
    h('p', {id: 'token-help', class: 'muted'},
      'A client token (spool_c_…) from the coordinator\'s tokens file, or one made with ',
      h('code', {}, 'spool tokens create NAME --role read'), '.'),
    button, error);
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    const token = input.value.trim();
    if (!token) { error.textContent = 'Enter a token.'; input.focus(); return; }
    button.disabled = true;
    error.textContent = '';
    try {
      await signIn(token);
      input.value = '';
      await done();
    } catch (e) {
      error.textContent = e.status === 401 ? 'That token is not valid (unknown, revoked or expired).' : errorText(e);
      input.focus();
    } finally {
      button.disabled = false;
    }
  });
  fill(main, form);
  input.focus();
}
