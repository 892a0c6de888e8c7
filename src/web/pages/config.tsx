// The effective settings, and which secrets are set: never their values.
import { useApi } from '../hooks.js';

export function Config() {
  const config = useApi<{ settings: Record<string, string>; secrets: { name: string; set: boolean }[] }>('/api/config');
  return (
    <div class="columns">
      <section class="panel">
        <h2>Settings in force</h2>
        <table data-testid="settings">
          <tbody>
            {Object.entries(config.data?.settings ?? {}).map(([name, value]) => (
              <tr key={name}>
                <td class="muted">{name}</td>
                <td>{value}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </section>
      <section class="panel">
        <h2>Secrets</h2>
        <table>
          <tbody>
            {config.data?.secrets.map((secret) => (
              <tr key={secret.name}>
                <td>{secret.name}</td>
                <td class={secret.set ? 'gain' : 'muted'}>{secret.set ? 'set' : 'not set'}</td>
              </tr>
            ))}
          </tbody>
        </table>
        <p class="muted">Values are never shown. Change them in the configuration file (or with the setup wizard) and restart.</p>
      </section>
    </div>
  );
}
