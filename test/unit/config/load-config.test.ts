import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { withConfigTable } from '../../../src/cli/config-docs.js';
import { renderEnvExample } from '../../../src/config/env-example.js';
import { ConfigError, loadConfig, replayVariables } from '../../../src/config/load-config.js';

const CONSENT = { LIVE_TRADING_ACKNOWLEDGED: 'I UNDERSTAND THE RISKS' };
const LIVE = { USE_PAPER_TRADING: 'false', BINANCE_API_KEY: 'k', BINANCE_SECRET_KEY: 's' };

const load = (env: Record<string, string>, extra: Parameters<typeof loadConfig>[0] = {}) => loadConfig({ env, ...extra });

function problemsOf(env: Record<string, string>, extra: Parameters<typeof loadConfig>[0] = {}): readonly string[] {
  try {
    load(env, extra);
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
  throw new Error('expected the configuration to be refused');
}

describe('configuration defaults', () => {
  it('with an empty environment, gives the spec\u2019s defaults and paper trading', () => {
    const config = load({});
    expect(config.paperTrading).toBe(true);
    expect(config.initialCapital).toBe(100);
    expect(config.risk).toMatchObject({ maxLeverage: 5, positionSizePct: 0.8, minStopLossPct: 0.05, maxStopLossPct: 0.1, dailyLossLimitPct: 0.1, maxConsecutiveLosses: 3, maxOpenPositions: 1 });
    expect(config.exits.minProfitUsd).toBe(2.5);
    expect(config.consensus).toMatchObject({ minConfidence: 0.75, minOpportunityScore: 80, minAgreeing: 2 });
    expect(config.schedule).toEqual({ scanIntervalMs: 300_000, positionCheckMs: 60_000 });
    expect(config.costs.takerFeeRate).toBe(0.0005);
    expect(config.httpPort).toBe(8000);
    expect(config.symbols).toHaveLength(10);
    expect(config.symbols).toContain('DOT/USDT:USDT');
    expect(config.telegram).toBeUndefined();
  });

  it('puts the take-profit order on the venue by default in live mode only; set, the variable decides', () => {
    expect(load({}).exits.venue).toEqual({ takeProfitOnExchange: false });
    expect(load({ TAKE_PROFIT_ON_EXCHANGE: 'true' }).exits.venue).toEqual({ takeProfitOnExchange: true });
  });
});

describe('the dashboard behind a reverse proxy', () => {
  it('when DASHBOARD_ALLOWED_HOSTS lists names, then the dashboard is given each of them, spaces trimmed; unset, none', () => {
    expect(load({ DASHBOARD_ALLOWED_HOSTS: 'dash.example.com, trade.example.org' }).dashboard.allowedHosts).toEqual(['dash.example.com', 'trade.example.org']);
    expect(load({}).dashboard.allowedHosts).toEqual([]);
    expect(() => load({ DASHBOARD_ALLOWED_HOSTS: 'dash.example.com/path' })).toThrow(/DASHBOARD_ALLOWED_HOSTS/);
  });
});

describe('bad values stop start-up with one line per problem', () => {
  it('names the variable, the value and what is allowed', () => {
    expect(problemsOf({ MAX_LEVERAGE: '50' })).toEqual(['MAX_LEVERAGE: got "50"; allowed: an integer from 1 to 5.']);
  });

  it('when a key or token is typed into a field that is not secret, then the error refuses it without printing it', () => {
    const privateKey = `0x${'ab12'.repeat(16)}`;
    const botToken = `123456789:${'AAbbCC_dd-'.repeat(4)}`;
    const [wallet] = problemsOf({ EXCHANGE: 'hyperliquid', HYPERLIQUID_ACCOUNT_ADDRESS: privateKey });
    const [chat] = problemsOf({ TELEGRAM_CHAT_ID: botToken });
    expect(wallet).toContain('HYPERLIQUID_ACCOUNT_ADDRESS: got a value of 66 characters, not shown (it has the shape of a key or token: it looks like a private key, which never goes here)');
    expect(chat).toContain('TELEGRAM_CHAT_ID: got a value of 50 characters, not shown (it has the shape of a key or token)');
    expect(`${wallet} ${chat}`).not.toContain('ab12ab12');
    expect(`${wallet} ${chat}`).not.toContain('AAbbCC');
  });

  it('refuses a non-number', () => {
    expect(problemsOf({ INITIAL_CAPITAL: 'lots' })[0]).toBe('INITIAL_CAPITAL: got "lots"; allowed: a number from 10 to 10000000.');
  });

  it('when a database URL does not parse, then the problem says its password must be URL-safe, without printing it', () => {
    const problems = problemsOf({ DATABASE_URL: 'postgres://trader:ab/cd+EF@postgres:5432/trading' });
    expect(problems).toEqual([
      'DATABASE_URL: got (hidden); allowed: a URL starting with postgres:// or postgresql://. It starts like one but does not parse: ' +
        'the password in it must be URL-safe (percent-encode characters such as / # ? @). Under Docker Compose it is POSTGRES_PASSWORD ' +
        "in .env: use letters and digits only, e.g. openssl rand -hex 24 (a database already created with the old password keeps it until changed: ALTER USER trader PASSWORD '...').",
    ]);
    expect(problems.join('\n')).not.toContain('cd+EF');
  });

  it('refuses an inverted stop range', () => {
    expect(problemsOf({ MIN_STOP_LOSS_PERCENT: '0.12', MAX_STOP_LOSS_PERCENT: '0.08' })).toEqual([
      'MIN_STOP_LOSS_PERCENT (0.12) must not exceed MAX_STOP_LOSS_PERCENT (0.08).',
    ]);
  });

  it('reports every problem at once', () => {
    const problems = problemsOf({ MAX_LEVERAGE: '0', SLIPPAGE_BPS: '-1', USE_PAPER_TRADING: 'maybe', SYMBOLS: 'BTCUSDT' });
    expect(problems.map((line) => line.split(':')[0])).toEqual(['USE_PAPER_TRADING', 'SYMBOLS', 'MAX_LEVERAGE', 'SLIPPAGE_BPS']);
  });

  it('never echoes a secret value', () => {
    const problems = problemsOf({ DATABASE_URL: 'mysql://user:hunter2@db/x' });
    expect(problems).toEqual(['DATABASE_URL: got (hidden); allowed: a URL starting with postgres:// or postgresql://.']);
    expect(problems.join('\n')).not.toContain('hunter2');
  });

  it('requires exchange keys for live trading', () => {
    expect(problemsOf({ USE_PAPER_TRADING: 'false', ...CONSENT })).toEqual([
      'BINANCE_API_KEY: required when USE_PAPER_TRADING=false and EXCHANGE=binanceusdm.',
      'BINANCE_SECRET_KEY: required when USE_PAPER_TRADING=false and EXCHANGE=binanceusdm.',
    ]);
  });

  it('requires the chosen venue\u2019s own credentials: Bybit key and secret, Hyperliquid account address and API wallet key', () => {
    expect(problemsOf({ USE_PAPER_TRADING: 'false', EXCHANGE: 'bybit', ...CONSENT, BINANCE_API_KEY: 'k', BINANCE_SECRET_KEY: 's' })).toEqual([
      'BYBIT_API_KEY: required when USE_PAPER_TRADING=false and EXCHANGE=bybit.',
      'BYBIT_SECRET_KEY: required when USE_PAPER_TRADING=false and EXCHANGE=bybit.',
    ]);
    const bybit = load({ USE_PAPER_TRADING: 'false', EXCHANGE: 'bybit', ...CONSENT, BYBIT_API_KEY: 'bk', BYBIT_SECRET_KEY: 'bs' });
    expect(bybit.exchange).toMatchObject({ id: 'bybit', apiKey: 'bk', secret: 'bs', settle: 'USDT' });
    // Each venue's base taker fee unless TAKER_FEE_RATE says otherwise.
    expect(bybit.costs.takerFeeRate).toBe(0.00055);
    expect(load({ EXCHANGE: 'hyperliquid' }).costs.takerFeeRate).toBe(0.00045);
    expect(load({}).costs.takerFeeRate).toBe(0.0005);
    expect(load({ EXCHANGE: 'bybit', TAKER_FEE_RATE: '0.0002' }).costs.takerFeeRate).toBe(0.0002);
    expect(problemsOf({ USE_PAPER_TRADING: 'false', EXCHANGE: 'hyperliquid', ...CONSENT })).toEqual([
      'HYPERLIQUID_ACCOUNT_ADDRESS: required when USE_PAPER_TRADING=false and EXCHANGE=hyperliquid.',
      'HYPERLIQUID_API_WALLET_KEY: required when USE_PAPER_TRADING=false and EXCHANGE=hyperliquid.',
    ]);
  });

  it('when TAKE_PROFIT_LADDER is on with EXCHANGE=hyperliquid in live mode, then it is refused and says why; Binance, Bybit and paper mode take it', () => {
    const hyperliquid = {
      USE_PAPER_TRADING: 'false',
      EXCHANGE: 'hyperliquid',
      ...CONSENT,
      HYPERLIQUID_ACCOUNT_ADDRESS: '0x19e7e376e7c213b7e7e7e46cc70a5dd086daff2a',
      HYPERLIQUID_API_WALLET_KEY: '0x' + '22'.repeat(32),
    };
    expect(load(hyperliquid).paperTrading).toBe(false);
    const problems = problemsOf({ ...hyperliquid, TAKE_PROFIT_LADDER: '0.5@1R' });
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatch(/^TAKE_PROFIT_LADDER: not available with EXCHANGE=hyperliquid in live mode: .*unprotected/);
    expect(load({ EXCHANGE: 'hyperliquid', TAKE_PROFIT_LADDER: '0.5@1R' }).paperTrading).toBe(true);
    expect(load({ ...LIVE, ...CONSENT, TAKE_PROFIT_LADDER: '0.5@1R' }).paperTrading).toBe(false);
    expect(load({ USE_PAPER_TRADING: 'false', EXCHANGE: 'bybit', ...CONSENT, BYBIT_API_KEY: 'bk', BYBIT_SECRET_KEY: 'bs', TAKE_PROFIT_LADDER: '0.5@1R' }).paperTrading).toBe(false);
  });

  it('when EXCHANGE is not one of the three venues, then it is refused with the allowed ones', () => {
    expect(problemsOf({ EXCHANGE: 'kraken' })[0]).toMatch(/^EXCHANGE: .*binanceusdm.*bybit.*hyperliquid/);
  });

  it('when the Hyperliquid key is the main wallet\u2019s own (its address is the account), then the configuration is refused and says why', () => {
    // The well-known test key 0x11…11 signs as 0x19e7…ff2a.
    const mainKey = '0x' + '11'.repeat(32);
    const problems = problemsOf({
      EXCHANGE: 'hyperliquid',
      HYPERLIQUID_ACCOUNT_ADDRESS: '0x19E7E376E7C213B7E7E7E46CC70A5DD086DAFF2A',
      HYPERLIQUID_API_WALLET_KEY: mainKey,
    });
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatch(/^HYPERLIQUID_API_WALLET_KEY: this is the private key of the main wallet .* can withdraw .* API wallet/);
    expect(problems.join('\n')).not.toContain('11111111');
    const agent = load({ EXCHANGE: 'hyperliquid', HYPERLIQUID_ACCOUNT_ADDRESS: '0x' + 'ab'.repeat(20), HYPERLIQUID_API_WALLET_KEY: mainKey });
    expect(agent.exchange).toMatchObject({ id: 'hyperliquid', apiKey: '0x' + 'ab'.repeat(20), settle: 'USDC' });
  });

  it('USDC-margined perpetuals: BASE/QUOTE:SETTLE is accepted, Hyperliquid defaults to the USDC list, and mixed or USDT symbols on Hyperliquid are refused', () => {
    expect(load({ SYMBOLS: 'BTC/USDC:USDC,ETH/USDC:USDC' })).toMatchObject({ symbols: ['BTC/USDC:USDC', 'ETH/USDC:USDC'], exchange: { settle: 'USDC' } });
    expect(load({ EXCHANGE: 'hyperliquid' }).symbols[0]).toBe('BTC/USDC:USDC');
    expect(problemsOf({ SYMBOLS: 'BTC/USDT:USDT,ETH/USDC:USDC' })).toEqual([
      'SYMBOLS: all must settle in the same asset (one account balance funds them all); got USDT and USDC.',
    ]);
    expect(problemsOf({ EXCHANGE: 'hyperliquid', SYMBOLS: 'BTC/USDT:USDT' })).toEqual([
      "SYMBOLS: Hyperliquid's perpetuals settle in USDC; use BTC/USDC:USDC instead of BTC/USDT:USDT.",
    ]);
    expect(problemsOf({ SYMBOLS: 'BTC/EUR:EUR' })[0]).toMatch(/^SYMBOLS: .*BASE\/QUOTE:SETTLE/);
  });

  it('refuses a stop range that liquidation would overtake at the chosen leverage', () => {
    const problems = problemsOf({ MAX_LEVERAGE: '5', MIN_STOP_LOSS_PERCENT: '0.19', MAX_STOP_LOSS_PERCENT: '0.2' });
    expect(problems[0]).toContain('leaves no room before liquidation at MAX_LEVERAGE 5');
  });
});

describe('the accelerated clock of soak tests', () => {
  it('is refused with live trading on a real venue', () => {
    const live = { ...LIVE, ...CONSENT, SIMULATION_SPEED: '60' };
    expect(problemsOf(live)[0]).toContain('SIMULATION_SPEED: only 1 is allowed with live trading on a real venue');
  });

  it('is allowed against a local exchange and in paper mode', () => {
    const local = { ...LIVE, ...CONSENT, SIMULATION_SPEED: '60', EXCHANGE_API_ORIGIN: 'http://127.0.0.1:9999' };
    expect(load(local).simulation.speed).toBe(60);
    expect(load({ SIMULATION_SPEED: '60', SIMULATION_START: '2025-10-01T00:00:00Z' }).simulation.start?.toISOString()).toBe('2025-10-01T00:00:00.000Z');
  });

  it('when SIMULATION_START is set at SIMULATION_SPEED=1, then start-up is refused rather than the start time ignored', () => {
    expect(problemsOf({ SIMULATION_START: '2025-10-01T00:00:00Z' })).toEqual([
      'SIMULATION_START: only with SIMULATION_SPEED above 1 (an accelerated test clock); at speed 1 the daemon runs on the real clock, so unset SIMULATION_START.',
    ]);
    expect(problemsOf({ SIMULATION_SPEED: '1', SIMULATION_START: '2025-10-01T00:00:00Z', ...LIVE, ...CONSENT })).toHaveLength(1);
  });
});

describe('consent to live trading', () => {
  const refusal = (got: string) =>
    `LIVE_TRADING_ACKNOWLEDGED: ${got}; live trading (USE_PAPER_TRADING=false) sends real orders with real money and starts only with LIVE_TRADING_ACKNOWLEDGED=I UNDERSTAND THE RISKS (these words, in capitals).`;

  it('when USE_PAPER_TRADING=false comes without the acknowledgement, then start-up is refused with one line naming the variable and the sentence', () => {
    expect(problemsOf(LIVE)).toEqual([refusal('is not set')]);
  });

  it('when the acknowledgement is anything but the sentence, then start-up is refused and shows what was given', () => {
    expect(problemsOf({ ...LIVE, LIVE_TRADING_ACKNOWLEDGED: 'yes' })).toEqual([refusal('got "yes"')]);
    expect(problemsOf({ ...LIVE, LIVE_TRADING_ACKNOWLEDGED: 'i understand the risks' })).toEqual([refusal('got "i understand the risks"')]);
    expect(problemsOf({ ...LIVE, LIVE_TRADING_ACKNOWLEDGED: 'I UNDERSTAND THE RISK' })).toEqual([refusal('got "I UNDERSTAND THE RISK"')]);
  });

  it('when the sentence is typed, then live trading is configured; surrounding and doubled whitespace do not matter', () => {
    expect(load({ ...LIVE, ...CONSENT }).paperTrading).toBe(false);
    expect(load({ ...LIVE, LIVE_TRADING_ACKNOWLEDGED: '  I  UNDERSTAND THE\tRISKS\r\n' }).paperTrading).toBe(false);
  });

  it('when trading on paper, then no acknowledgement is needed and a wrong one is not an error', () => {
    expect(load({}).paperTrading).toBe(true);
    expect(load({ LIVE_TRADING_ACKNOWLEDGED: 'no' }).paperTrading).toBe(true);
  });
});

describe('the health and metrics address', () => {
  it('when HTTP_HOST is not set, then /health and /metrics listen on loopback only', () => {
    expect(load({}).httpHost).toBe('127.0.0.1');
  });

  it('when HTTP_HOST opens them, then that address is used; something that is no address is refused', () => {
    expect(load({ HTTP_HOST: '0.0.0.0' }).httpHost).toBe('0.0.0.0');
    expect(problemsOf({ HTTP_HOST: 'my host' })).toEqual(['HTTP_HOST: got "my host"; allowed: an IP address or host name, e.g. 127.0.0.1 or 0.0.0.0.']);
  });
});

describe('Telegram owners', () => {
  const bot = { TELEGRAM_BOT_TOKEN: '1:token' };

  it('reads TELEGRAM_OWNER_IDS as a list of user ids', () => {
    expect(load({ ...bot, TELEGRAM_CHAT_ID: '-100200', TELEGRAM_OWNER_IDS: '4242, 77' }).telegram?.ownerIds).toEqual(['4242', '77']);
    expect(load({ ...bot, TELEGRAM_CHAT_ID: '4242' }).telegram?.ownerIds).toEqual([]);
  });

  it('refuses owner ids that are not numbers', () => {
    expect(problemsOf({ ...bot, TELEGRAM_CHAT_ID: '4242', TELEGRAM_OWNER_IDS: '@me' })).toEqual([
      'TELEGRAM_OWNER_IDS: got "@me"; allowed: comma-separated numeric Telegram user ids.',
    ]);
  });

  it('when TELEGRAM_CHAT_ID is set without a bot token, or with an empty one, then start-up is refused naming the token', () => {
    const refusal = [
      'TELEGRAM_BOT_TOKEN: required when TELEGRAM_CHAT_ID is set (without it the daemon sends no message and obeys no command); set the token from @BotFather, or unset TELEGRAM_CHAT_ID to run without Telegram.',
    ];
    expect(problemsOf({ TELEGRAM_CHAT_ID: '4242' })).toEqual(refusal);
    expect(problemsOf({ TELEGRAM_CHAT_ID: '4242', TELEGRAM_BOT_TOKEN: ' ' })).toEqual(refusal);
  });

  it('when the chat is a group and no owner is named, then start-up warns that state-changing commands are refused', () => {
    expect(load({ ...bot, TELEGRAM_CHAT_ID: '-100200' }).warnings).toEqual([
      'TELEGRAM_CHAT_ID is a group and TELEGRAM_OWNER_IDS is not set: /pause, /resume and /close are refused until it lists your numeric Telegram user id.',
    ]);
    expect(load({ ...bot, TELEGRAM_CHAT_ID: '4242' }).warnings).toEqual([]);
  });
});

describe('position updates', () => {
  it('when POSITION_UPDATE_MINUTES is not set, then an open position is reported every 5 minutes', () => {
    expect(load({}).exits.updateIntervalMs).toBe(300_000);
  });

  it('when it is 0 or 15, then the updates are off or every 15 minutes', () => {
    expect(load({ POSITION_UPDATE_MINUTES: '0' }).exits.updateIntervalMs).toBe(0);
    expect(load({ POSITION_UPDATE_MINUTES: '15' }).exits.updateIntervalMs).toBe(900_000);
  });

  it('when it is not a whole number of minutes from 0 to 1440, then start-up is refused', () => {
    expect(problemsOf({ POSITION_UPDATE_MINUTES: '2.5' })).toEqual(['POSITION_UPDATE_MINUTES: got "2.5"; allowed: an integer from 0 to 1440.']);
    expect(problemsOf({ POSITION_UPDATE_MINUTES: '1441' })).toHaveLength(1);
    expect(problemsOf({ POSITION_UPDATE_MINUTES: '-5' })).toHaveLength(1);
  });
});

describe('the build\u2019s commit', () => {
  it('when GIT_COMMIT holds a hash, then it is kept; unset or empty (an image built without it), then it is unknown', () => {
    expect(load({ GIT_COMMIT: '0d844cb' }).gitCommit).toBe('0d844cb');
    expect(load({}).gitCommit).toBeUndefined();
    expect(load({ GIT_COMMIT: '' }).gitCommit).toBeUndefined();
  });

  it('when GIT_COMMIT is not a hash, then start-up is refused', () => {
    expect(problemsOf({ GIT_COMMIT: 'main; rm -rf' })[0]).toContain('GIT_COMMIT: got "main; rm -rf"');
  });
});

describe('secrets', () => {
  it('reads a secret from <NAME>_FILE', () => {
    const files: Record<string, string> = { '/run/secrets/claude': 'sk-test-123\n' };
    const config = load({ CLAUDE_API_KEY_FILE: '/run/secrets/claude' }, { readFile: (path) => files[path] ?? '' });
    expect(config.ai.claude?.apiKey).toBe('sk-test-123');
    expect(config.secrets).toContain('sk-test-123');
  });

  it('hides the password inside a connection URL on its own too, as written and decoded', () => {
    const config = load({ DATABASE_URL: 'postgres://trader:s3cr%40t-pass@db:5432/trading', REDIS_URL: 'redis://:r3dis-pass@cache:6379' });
    expect(config.secrets).toEqual(expect.arrayContaining(['s3cr%40t-pass', 's3cr@t-pass', 'r3dis-pass']));
  });

  it('when a secret\u2019s _FILE is empty, then start-up is refused naming the _FILE, not taken as the secret unset', () => {
    const files: Record<string, string> = { '/run/secrets/telegram': '\n' };
    expect(problemsOf({ TELEGRAM_BOT_TOKEN_FILE: '/run/secrets/telegram', TELEGRAM_CHAT_ID: '4242' }, { readFile: (path) => files[path] ?? '' })).toContain(
      'TELEGRAM_BOT_TOKEN_FILE: "/run/secrets/telegram" is empty; allowed: a readable file holding the secret.',
    );
    expect(problemsOf({ CLAUDE_API_KEY_FILE: '/run/secrets/claude' }, { readFile: () => '' })).toEqual([
      'CLAUDE_API_KEY_FILE: "/run/secrets/claude" is empty; allowed: a readable file holding the secret.',
    ]);
  });

  it('refuses both a value and a file for the same secret', () => {
    expect(problemsOf({ CLAUDE_API_KEY: 'a', CLAUDE_API_KEY_FILE: '/x' }, { readFile: () => 'b' })).toEqual([
      'CLAUDE_API_KEY: set both CLAUDE_API_KEY and CLAUDE_API_KEY_FILE; keep one.',
    ]);
  });

  it('decrypts enc: values with the master key, and reports a failure without the secret', () => {
    const decrypt = (value: string, key: string | undefined) => {
      if (key !== 'right') throw new Error('cannot be decrypted with this MASTER_KEY.');
      return value.replace('enc:v1:', 'plain-');
    };
    expect(load({ DEEPSEEK_API_KEY: 'enc:v1:abc', MASTER_KEY: 'right' }, { decryptSecret: decrypt }).ai.deepseek?.apiKey).toBe('plain-abc');
    expect(problemsOf({ DEEPSEEK_API_KEY: 'enc:v1:abc', MASTER_KEY: 'wrong' }, { decryptSecret: decrypt })).toEqual([
      'DEEPSEEK_API_KEY: cannot be decrypted with this MASTER_KEY.',
    ]);
  });

  it('warns when Grok is enabled without a key', () => {
    expect(load({ ENABLE_GROK: 'true' }).warnings).toEqual(['ENABLE_GROK=true but GROK_API_KEY is not set: Grok is not asked.']);
  });
});

describe('.env.example and the README', () => {
  it('document every variable exactly as the schema defines it', () => {
    expect(readFileSync(new URL('../../../.env.example', import.meta.url), 'utf8')).toBe(renderEnvExample());
    const readme = readFileSync(new URL('../../../README.md', import.meta.url), 'utf8');
    expect(withConfigTable(readme)).toBe(readme);
  });

  it('leave HTTP_HOST commented out, so a copied .env does not override the Docker image\u2019s 0.0.0.0', () => {
    const lines = renderEnvExample().split('\n');
    expect(lines).toContain('# HTTP_HOST=127.0.0.1');
    expect(lines.filter((line) => line.startsWith('HTTP_HOST='))).toEqual([]);
  });
});

describe('a retired AI model name', () => {
  it('when DEEPSEEK_MODEL names a model DeepSeek retired, then start-up warns with the name to use, and the default is current', async () => {
    const { retiredModelWarnings } = await import('../../../src/cli/compose-analysts.js');
    const { loadConfig: load } = await import('../../../src/config/load-config.js');
    const retired = load({ env: { DEEPSEEK_API_KEY: 'k', DEEPSEEK_MODEL: 'deepseek-chat' } });
    const current = load({ env: { DEEPSEEK_API_KEY: 'k' } });
    expect(retiredModelWarnings(retired)).toEqual([expect.stringMatching(/DEEPSEEK_MODEL=deepseek-chat was retired .* set DEEPSEEK_MODEL=deepseek-flash/)]);
    expect(retiredModelWarnings(current)).toEqual([]);
    expect(current.ai.deepseek?.model ?? 'deepseek-flash').toBe('deepseek-flash');
  });
});

describe('the variables a sweep sends with each trial', () => {
  it('are the replay\'s own settings as set here, never secrets, services, the live switch or the shadows\' file', () => {
    const env = {
      ...LIVE,
      ...CONSENT,
      INITIAL_CAPITAL: '250',
      MAX_STOP_LOSS_PERCENT: '0.08',
      TRAILING_STOP_PERCENT: '0.02',
      TAKER_FEE_RATE: '0.0004',
      EXCHANGE: 'bybit',
      SHADOW_STRATEGIES: 'shadows.json',
      DATABASE_URL: 'postgres://user:pw@db/trading',
      REDIS_URL: 'redis://queue:6379',
      TELEGRAM_CHAT_ID: '42',
      CLAUDE_MODEL: 'claude-x',
      MIN_OPPORTUNITY_SCORE: '',
    };
    expect(replayVariables({ env })).toEqual({
      INITIAL_CAPITAL: '250',
      MAX_STOP_LOSS_PERCENT: '0.08',
      TRAILING_STOP_PERCENT: '0.02',
      TAKER_FEE_RATE: '0.0004',
      EXCHANGE: 'bybit',
    });
    // A worker builds its trial's configuration from them alone: they must load as they are.
    expect(load(replayVariables({ env })).initialCapital).toBe(250);
  });
});
