// The door: one password field. The owner's password may act; the read-only one may look.
import { useState } from 'preact/hooks';
import { ApiFailure, post, type SessionInfo } from '../api.js';

export function Login({ onLogin }: { onLogin: (session: SessionInfo) => void }) {
  const [password, setPassword] = useState('');
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState(false);
  const submit = async (event: Event) => {
    event.preventDefault();
    setBusy(true);
    setError(undefined);
    try {
      onLogin(await post<SessionInfo>('/api/login', { password }));
    } catch (failure) {
      setError(failure instanceof ApiFailure ? failure.message : String(failure));
    } finally {
      setBusy(false);
      setPassword('');
    }
  };
  return (
    <form class="login panel" onSubmit={submit}>
      <h1>Trading daemon</h1>
      <label>
        Password
        <input type="password" autocomplete="current-password" value={password} onInput={(e) => setPassword((e.target as HTMLInputElement).value)} data-testid="password" autofocus />
      </label>
      <button class="primary" type="submit" disabled={busy || password === ''} data-testid="login">
        Log in
      </button>
      {error && (
        <p class="error" data-testid="login-error">
          {error}
        </p>
      )}
    </form>
  );
}
