// Each scenario gets a database of its own on the local Postgres (created, then dropped), and the harness reads
// what the daemon recorded straight from it, never through the proxy the daemon uses.
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { withAdminClient } from '../../test/support/services.js';

export interface StoredPosition {
  readonly id: string;
  readonly symbol: string;
  readonly side: 'long' | 'short';
  readonly status: string;
  readonly quantity: number;
  readonly openedAt: Date;
  readonly closeReason?: string;
}

export interface StoredTrade {
  readonly positionId: string;
  readonly symbol: string;
  readonly quantity: number;
  readonly exitPrice: number;
  readonly reason: string;
  /** Funding booked on the trade, USDT. */
  readonly funding: number;
  readonly fillIds: readonly string[];
}

export interface OutboxRow {
  readonly id: number;
  readonly createdAt: Date;
  readonly eventType: string;
  readonly text: string;
  readonly payload: Record<string, unknown>;
  readonly deliveredAt?: Date;
  readonly lastError?: string;
}

function adminUrl(): string {
  return process.env['SOAK_POSTGRES_URL'] ?? process.env['DATABASE_URL'] ?? 'postgres://postgres@127.0.0.1:5432/postgres';
}

export interface Bookkeeping {
  readonly days: readonly { day: string; trades: number; tradesNet: number; dayTrades: number; dayNet: number }[];
  /** The breakers' stored state (see src/domain/circuit-breakers.ts). */
  readonly breakers?: { day: string; realizedToday: number; consecutiveLosses: number; lossStreakPaused: boolean; manualPause: boolean };
  /** Net P&L of every trade in the order they closed. */
  readonly netByClose: readonly number[];
}

export class SoakDatabase {
  private readonly pool: pg.Pool;

  private constructor(
    readonly name: string,
    private readonly admin: string,
    readonly host: string,
    readonly port: number,
    readonly user: string,
  ) {
    const url = new URL(admin);
    url.pathname = `/${name}`;
    this.pool = new pg.Pool({ connectionString: url.toString(), max: 2 });
  }

  static async create(): Promise<SoakDatabase> {
    const admin = adminUrl();
    const name = `soak_${randomBytes(5).toString('hex')}`;
    await withAdminClient(admin, (client) => client.query(`CREATE DATABASE ${name}`));
    const url = new URL(admin);
    return new SoakDatabase(name, admin, url.hostname, Number(url.port || 5432), decodeURIComponent(url.username || 'postgres'));
  }

  /** The daemon's URL: same database, reached through `port` (the proxy). */
  urlThrough(port: number): string {
    const url = new URL(this.admin);
    url.hostname = '127.0.0.1';
    url.port = String(port);
    url.pathname = `/${this.name}`;
    return url.toString();
  }

  async positions(): Promise<StoredPosition[]> {
    const { rows } = await this.pool.query(
      `SELECT id::text, symbol, side, status, quantity::float8 AS quantity, opened_at, close_reason FROM positions ORDER BY id`,
    );
    return rows.map((row: Record<string, unknown>) => ({
      id: String(row['id']),
      symbol: String(row['symbol']),
      side: row['side'] as 'long' | 'short',
      status: String(row['status']),
      quantity: Number(row['quantity']),
      openedAt: row['opened_at'] as Date,
      ...(row['close_reason'] ? { closeReason: String(row['close_reason']) } : {}),
    }));
  }

  async trades(): Promise<StoredTrade[]> {
    const { rows } = await this.pool.query(
      `SELECT t.position_id::text AS position_id, t.symbol, t.quantity::float8 AS quantity, t.exit_price::float8 AS exit_price, t.reason, t.funding::float8 AS funding,
              coalesce(array_agg(f.fill_id ORDER BY f.seq) FILTER (WHERE f.fill_id IS NOT NULL), '{}') AS fill_ids
         FROM trades t LEFT JOIN trade_fills f ON f.position_id = t.position_id
        GROUP BY t.position_id ORDER BY t.position_id`,
    );
    return rows.map((row: Record<string, unknown>) => ({
      positionId: String(row['position_id']),
      symbol: String(row['symbol']),
      quantity: Number(row['quantity']),
      exitPrice: Number(row['exit_price']),
      reason: String(row['reason']),
      funding: Number(row['funding']),
      fillIds: (row['fill_ids'] as string[]).map(String),
    }));
  }

  async outbox(): Promise<OutboxRow[]> {
    const { rows } = await this.pool.query(
      `SELECT id::int8 AS id, created_at, event_type, text, payload, delivered_at, last_error FROM notification_outbox ORDER BY created_at, id`,
    );
    return rows.map((row: Record<string, unknown>) => ({
      id: Number(row['id']),
      createdAt: row['created_at'] as Date,
      eventType: String(row['event_type']),
      text: String(row['text']),
      payload: row['payload'] as Record<string, unknown>,
      ...(row['delivered_at'] ? { deliveredAt: row['delivered_at'] as Date } : {}),
      ...(row['last_error'] ? { lastError: String(row['last_error']) } : {}),
    }));
  }

  /**
   * What the trades add up to per UTC day, beside what the daily figures and the breakers say: a trade counted twice
   * shows as a difference here.
   */
  async bookkeeping(): Promise<Bookkeeping> {
    const days = await this.pool.query(
      `SELECT to_char(coalesce(t.day, d.day), 'YYYY-MM-DD') AS day, coalesce(t.trades, 0)::int8 AS trades, coalesce(t.net, 0)::float8 AS trades_net,
              coalesce(d.trades, 0)::int8 AS day_trades, coalesce(d.net_pnl, 0)::float8 AS day_net
         FROM (SELECT (closed_at AT TIME ZONE 'UTC')::date AS day, count(*) AS trades, sum(net_pnl) AS net FROM trades GROUP BY 1) t
         FULL JOIN daily_performance d ON d.day = t.day ORDER BY 1`,
    );
    const state = await this.pool.query(`SELECT value FROM trading_state WHERE key = 'breakers'`);
    const sequence = await this.pool.query(`SELECT net_pnl::float8 AS net FROM trades ORDER BY closed_at, position_id`);
    return {
      days: days.rows.map((row: Record<string, unknown>) => ({
        day: String(row['day']),
        trades: Number(row['trades']),
        tradesNet: Number(row['trades_net']),
        dayTrades: Number(row['day_trades']),
        dayNet: Number(row['day_net']),
      })),
      breakers: state.rows[0]?.['value'] as Bookkeeping['breakers'],
      netByClose: sequence.rows.map((row: Record<string, unknown>) => Number(row['net'])),
    };
  }

  /** The newest `started` notification: its id and the daemon's clock when it was written. */
  async lastStart(): Promise<{ id: number; at: Date } | undefined> {
    try {
      const { rows } = await this.pool.query(
        `SELECT id::int8 AS id, created_at FROM notification_outbox WHERE event_type = 'started' ORDER BY id DESC LIMIT 1`,
      );
      const row = rows[0] as { id: string; created_at: Date } | undefined;
      return row ? { id: Number(row.id), at: row.created_at } : undefined;
    } catch {
      // The schema is created by the daemon's first start.
      return undefined;
    }
  }

  async count(table: 'positions' | 'trades' | 'ai_decisions' | 'notification_outbox'): Promise<number> {
    const { rows } = await this.pool.query(`SELECT count(*)::int8 AS n FROM ${table}`);
    return Number(rows[0]?.n ?? 0);
  }

  async drop(): Promise<void> {
    await this.pool.end().catch(() => undefined);
    await withAdminClient(this.admin, (client) => client.query(`DROP DATABASE IF EXISTS ${this.name} WITH (FORCE)`));
  }
}
