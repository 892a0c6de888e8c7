// The setup wizard: paper or live (live needs the risk sentence typed out), exchange keys checked on the venue,
// Telegram confirmed with a test message, markets picked from the venue's list, risk limits checked by the
// daemon's own schema. It writes the configuration file; secrets go in encrypted and never come back.
import { useEffect, useState } from 'preact/hooks';
import { ApiFailure, get, post } from '../api.js';
import { useApi } from '../hooks.js';

const RISK_SENTENCE = 'I UNDERSTAND THE RISKS';
const LIMITS = ['INITIAL_CAPITAL', 'MAX_LEVERAGE', 'POSITION_SIZE_PERCENT', 'MIN_STOP_LOSS_PERCENT', 'MAX_STOP_LOSS_PERCENT', 'MAX_LOSS_AT_STOP_PERCENT', 'DAILY_LOSS_LIMIT_PERCENT', 'MAX_CONSECUTIVE_LOSSES', 'MAX_OPEN_POSITIONS'];

interface Variable {
  name: string;
  secret: boolean;
  default?: string;
  allowed: string;
  description: string;
}

interface Current {
  file: string;
  exists: boolean;
  values: Record<string, string>;
  secretsSet: string[];
  variables: Variable[];
}

interface Check {
  ok: boolean;
  detail: string;
  warnings?: string[];
}

function Result({ check, testId }: { check?: Check; testId: string }) {
  if (!check) return null;
  return (
    <p class={check.ok ? 'gain' : 'loss'} data-testid={testId}>
      {check.ok ? '✓' : '✗'} {check.detail}
      {check.warnings?.map((warning) => <span key={warning} class="muted"> · {warning}</span>)}
    </p>
  );
}

export function Setup() {
  const current = useApi<Current>('/api/setup');
  const [values, setValues] = useState<Record<string, string>>({});
  const [secrets, setSecrets] = useState<Record<string, string>>({});
  const [acknowledgement, setAcknowledgement] = useState('');
  const [exchangeCheck, setExchangeCheck] = useState<Check>();
  const [telegramCheck, setTelegramCheck] = useState<Check>();
  const [markets, setMarkets] = useState<string[]>();
  const [problems, setProblems] = useState<string[]>([]);
  const [saved, setSaved] = useState<string>();

  useEffect(() => {
    if (!current.data) return;
    const defaults = Object.fromEntries(current.data.variables.filter((v) => !v.secret && v.default !== undefined).map((v) => [v.name, v.default as string]));
    setValues({ ...defaults, ...current.data.values });
  }, [current.data]);

  const variable = (name: string) => current.data?.variables.find((v) => v.name === name);
  const set = (name: string) => (event: Event) => setValues({ ...values, [name]: (event.target as HTMLInputElement).value });
  const setSecret = (name: string) => (event: Event) => setSecrets({ ...secrets, [name]: (event.target as HTMLInputElement).value });
  const live = values.USE_PAPER_TRADING === 'false';
  const symbols = (values.SYMBOLS ?? '').split(',').map((s) => s.trim()).filter(Boolean);
  const secretHint = (name: string) => (current.data?.secretsSet.includes(name) ? 'set (leave empty to keep it)' : 'not set');

  const check = async <T,>(path: string, body: unknown, store: (value: T) => void) => {
    try {
      store(await post<T>(path, body));
    } catch (error) {
      store({ ok: false, detail: error instanceof ApiFailure ? [error.message, ...error.issues].join('; ') : String(error) } as T);
    }
  };

  const save = async (event: Event) => {
    event.preventDefault();
    setProblems([]);
    setSaved(undefined);
    try {
      const result = await post<{ file: string; encrypted: string[]; note?: string }>('/api/setup/save', {
        values: { ...values, ...Object.fromEntries(Object.entries(secrets).filter(([, value]) => value !== '')) },
        ...(live ? { acknowledgement } : {}),
      });
      setSaved(`Written to ${result.file}${result.encrypted.length ? ` (encrypted: ${result.encrypted.join(', ')})` : ''}. Restart the daemon to use it.${result.note ? ` Note: ${result.note}.` : ''}`);
      setSecrets({});
    } catch (error) {
      setProblems(error instanceof ApiFailure ? [error.message, ...error.issues] : [String(error)]);
    }
  };

  if (current.error) return <p class="error">{current.error}</p>;
  if (!current.data) return <p class="muted">loading…</p>;
  return (
    <form class="wizard" onSubmit={save} data-testid="setup">
      <p class="muted">
        {current.data.exists ? 'Editing' : 'Creating'} {current.data.file}. Nothing here changes the running daemon until it restarts.
      </p>
      <section class="panel">
        <h2>1. Paper or live</h2>
        <label>
          <span>
            <input type="radio" name="mode" checked={!live} onChange={() => setValues({ ...values, USE_PAPER_TRADING: 'true' })} /> paper: live prices, simulated fills, no keys
          </span>
          <span>
            <input type="radio" name="mode" checked={live} onChange={() => setValues({ ...values, USE_PAPER_TRADING: 'false' })} data-testid="mode-live" /> live: real orders with real money
          </span>
        </label>
        {live && (
          <label>
            Type “{RISK_SENTENCE}” to trade real money
            <input value={acknowledgement} onInput={(e) => setAcknowledgement((e.target as HTMLInputElement).value)} data-testid="acknowledgement" />
          </label>
        )}
      </section>
      {live && (
        <section class="panel">
          <h2>2. Exchange keys</h2>
          <p class="muted">Create a key with futures trading only: no withdrawal. It is checked on the venue before it is saved.</p>
          <label>
            API key <small class="muted">{secretHint('BINANCE_API_KEY')}</small>
            <input type="password" autocomplete="off" value={secrets.BINANCE_API_KEY ?? ''} onInput={setSecret('BINANCE_API_KEY')} data-testid="api-key" />
          </label>
          <label>
            API secret <small class="muted">{secretHint('BINANCE_SECRET_KEY')}</small>
            <input type="password" autocomplete="off" value={secrets.BINANCE_SECRET_KEY ?? ''} onInput={setSecret('BINANCE_SECRET_KEY')} data-testid="api-secret" />
          </label>
          <button
            type="button"
            onClick={() => check<Check>('/api/setup/check-exchange', { apiKey: secrets.BINANCE_API_KEY ?? '', secret: secrets.BINANCE_SECRET_KEY ?? '', sandbox: values.EXCHANGE_SANDBOX === 'true' }, setExchangeCheck)}
            data-testid="check-exchange"
          >
            Check the keys
          </button>
          <Result check={exchangeCheck} testId="exchange-check" />
        </section>
      )}
      <section class="panel">
        <h2>{live ? '3' : '2'}. Telegram</h2>
        <label>
          Bot token <small class="muted">{secretHint('TELEGRAM_BOT_TOKEN')}</small>
          <input type="password" autocomplete="off" value={secrets.TELEGRAM_BOT_TOKEN ?? ''} onInput={setSecret('TELEGRAM_BOT_TOKEN')} data-testid="telegram-token" />
        </label>
        <label>
          Chat id
          <input value={values.TELEGRAM_CHAT_ID ?? ''} onInput={set('TELEGRAM_CHAT_ID')} data-testid="telegram-chat" />
        </label>
        <button type="button" onClick={() => check<Check>('/api/setup/check-telegram', { token: secrets.TELEGRAM_BOT_TOKEN ?? '', chatId: values.TELEGRAM_CHAT_ID ?? '' }, setTelegramCheck)} data-testid="check-telegram">
          Send a test message
        </button>
        <Result check={telegramCheck} testId="telegram-check" />
      </section>
      <section class="panel">
        <h2>Markets</h2>
        <p class="muted">{symbols.join(', ') || 'none chosen'}</p>
        {markets === undefined ? (
          <button type="button" onClick={() => get<{ symbols: string[] }>('/api/setup/markets').then((m) => setMarkets(m.symbols), (e: unknown) => setProblems([String(e)]))} data-testid="load-markets">
            Pick from the venue's list
          </button>
        ) : (
          <select
            multiple
            size={10}
            data-testid="markets"
            onChange={(event) => setValues({ ...values, SYMBOLS: [...(event.target as HTMLSelectElement).selectedOptions].map((o) => o.value).join(',') })}
          >
            {markets.map((symbol) => (
              <option key={symbol} value={symbol} selected={symbols.includes(symbol)}>
                {symbol}
              </option>
            ))}
          </select>
        )}
      </section>
      <section class="panel">
        <h2>Risk limits</h2>
        {LIMITS.map((name) => (
          <label key={name}>
            {name} <small class="muted">{variable(name)?.allowed}: {variable(name)?.description}</small>
            <input value={values[name] ?? ''} onInput={set(name)} data-testid={`limit-${name}`} />
          </label>
        ))}
      </section>
      <button class="primary" type="submit" data-testid="save-setup">
        Check and write the configuration
      </button>
      {problems.length > 0 && (
        <ul class="problems" data-testid="setup-problems">
          {problems.map((problem) => (
            <li key={problem}>{problem}</li>
          ))}
        </ul>
      )}
      {saved && (
        <p class="gain" data-testid="setup-saved">
          {saved}
        </p>
      )}
    </form>
  );
}
