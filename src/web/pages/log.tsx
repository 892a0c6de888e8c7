// What the daemon told its owner, and the warnings and errors from its log, newest first.
import { useEffect } from 'preact/hooks';
import type { LogEntry, Message } from '../api.js';
import { time } from '../format.js';
import { useLiveState } from '../context.js';
import { useApi } from '../hooks.js';

/** The messages are Telegram HTML; shown as text, never as markup. */
function plain(html: string): string {
  return new DOMParser().parseFromString(html, 'text/html').body.textContent ?? '';
}

export function Log() {
  const ticks = useLiveState().messages;
  const messages = useApi<{ messages: Message[] }>('/api/messages', { limit: 30 });
  const logs = useApi<{ entries: LogEntry[] }>('/api/logs', { limit: 100 });
  useEffect(() => {
    if (ticks === 0) return;
    messages.reload();
    logs.reload();
  }, [ticks]);
  return (
    <div class="columns">
      <section class="panel">
        <h2>Messages</h2>
        <ul class="messages" data-testid="messages">
          {messages.data?.messages.map((message) => (
            <li key={message.id}>
              <div class="muted">
                {time(message.createdAt)} · {message.eventType.replace(/_/g, ' ')} · {message.deliveredAt ? 'delivered' : 'waiting'}
              </div>
              <pre>{plain(message.text)}</pre>
            </li>
          ))}
        </ul>
      </section>
      <section class="panel">
        <h2>Warnings and errors</h2>
        {logs.data?.entries.length === 0 && <p class="muted">None.</p>}
        <ul class="log" data-testid="log">
          {logs.data?.entries.map((entry, i) => (
            <li key={i} class={entry.level}>
              <span class="muted">{time(entry.time)}</span> <strong>{entry.level}</strong> {entry.module && <span class="muted">[{entry.module}]</span>} {entry.message}
            </li>
          ))}
        </ul>
      </section>
    </div>
  );
}
