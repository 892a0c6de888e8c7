import type { VoteAction, VoteOutcome } from '../../../domain/analysis.js';
import type { Side } from '../../../domain/market.js';
import type { ModelRecord } from '../../../ports/control.js';
import { TRADE_VOTES_KEPT, type DecisionRecord, type DecisionRepository, type ScorableDecision } from '../../../ports/store.js';
import { chunk, type SqlExecutor } from '../sql.js';
import { isForeignKeyViolation } from '../sql-errors.js';
import {
  fromNullableNumeric,
  fromNullableText,
  fromNumeric,
  toDate,
  toJson,
  toNullableNumeric,
  toNumeric,
  withoutUndefined,
} from '../values.js';
import { isRowId, timeRange } from './sql-fragments.js';

const INSERT_COLUMNS = `time, symbol, analyst, purpose, outcome, action, confidence, side, leverage, stop_loss_pct,
  take_profit_pct, risk_reward, reasoning, reason, model, latency_ms, input_tokens, output_tokens, cost_usd, prompt_hash,
  cached, raw, price, position_id, taken_over_from`;
const BATCH_ROWS = 2_000;
const RECORD_TYPES = `time timestamptz, symbol text, analyst text, purpose text, outcome text, action text,
  confidence numeric, side text, leverage numeric, stop_loss_pct numeric, take_profit_pct numeric, risk_reward numeric,
  reasoning text, reason text, model text, latency_ms numeric, input_tokens numeric, output_tokens numeric,
  cost_usd numeric, prompt_hash text, cached boolean, raw text, price numeric, position_id bigint, taken_over_from text`;

export const DECISION_COLUMNS = `time, symbol, analyst, purpose, outcome, action, confidence, side, leverage, stop_loss_pct,
  take_profit_pct, risk_reward, reasoning, reason, model, latency_ms, input_tokens, output_tokens, cost_usd, prompt_hash,
  cached, raw, price, position_id::text AS position_id, taken_over_from`;

type Row = Record<string, unknown>;

/** One row of the JSON document; numbers travel as exact decimal strings, as they do as parameters. */
function toJsonRow(record: DecisionRecord): Record<string, unknown> {
  return {
    time: record.time.toISOString(),
    symbol: record.symbol,
    analyst: record.analyst,
    purpose: record.purpose,
    outcome: record.outcome,
    action: record.action,
    confidence: toNumeric(record.confidence),
    side: record.side ?? null,
    leverage: toNullableNumeric(record.leverage),
    stop_loss_pct: toNullableNumeric(record.stopLossPct),
    take_profit_pct: toNullableNumeric(record.takeProfitPct),
    risk_reward: toNullableNumeric(record.riskReward),
    reasoning: record.reasoning,
    reason: record.reason ?? null,
    model: record.usage.model,
    latency_ms: toNumeric(record.usage.latencyMs),
    input_tokens: toNumeric(record.usage.inputTokens),
    output_tokens: toNumeric(record.usage.outputTokens),
    cost_usd: toNumeric(record.usage.costUsd),
    prompt_hash: record.usage.promptHash,
    cached: record.usage.cached,
    raw: record.raw ?? null,
    price: toNumeric(record.price),
    position_id: record.positionId ?? null,
    taken_over_from: record.usage.takenOverFrom ?? null,
  };
}

/** Builds the record with only the optional fields that were stored, so it compares equal to what was written. */
export function toDecision(row: Row): DecisionRecord {
  const optional = {
    side: fromNullableText(row.side) as Side | undefined,
    leverage: fromNullableNumeric(row.leverage),
    stopLossPct: fromNullableNumeric(row.stop_loss_pct),
    takeProfitPct: fromNullableNumeric(row.take_profit_pct),
    riskReward: fromNullableNumeric(row.risk_reward),
    reason: fromNullableText(row.reason),
    raw: fromNullableText(row.raw),
    positionId: fromNullableText(row.position_id),
  };
  const takenOverFrom = fromNullableText(row.taken_over_from);
  return {
    time: toDate(row.time),
    symbol: String(row.symbol),
    analyst: String(row.analyst),
    purpose: row.purpose as DecisionRecord['purpose'],
    outcome: row.outcome as VoteOutcome,
    action: row.action as VoteAction | 'exit' | 'stay',
    confidence: fromNumeric(row.confidence),
    reasoning: String(row.reasoning),
    usage: {
      model: String(row.model),
      latencyMs: fromNumeric(row.latency_ms),
      inputTokens: fromNumeric(row.input_tokens),
      outputTokens: fromNumeric(row.output_tokens),
      costUsd: fromNumeric(row.cost_usd),
      promptHash: String(row.prompt_hash),
      cached: Boolean(row.cached),
      ...(takenOverFrom === undefined ? {} : { takenOverFrom }),
    },
    price: fromNumeric(row.price),
    ...withoutUndefined(optional),
  };
}

function unknownPosition(positionId: string | undefined, cause?: unknown): Error {
  return new Error(`a decision names position ${positionId ?? '(see cause)'}, which does not exist`, { cause });
}

export class SqlDecisionRepository implements DecisionRepository {
  constructor(private readonly db: SqlExecutor) {}

  /**
   * One statement per batch, the rows passed as a single JSON document that Postgres expands itself: three times
   * the rows per second of a 24-column VALUES list on the embedded database, where a replay writes hundreds of
   * thousands of decisions.
   */
  async recordMany(records: readonly DecisionRecord[]): Promise<void> {
    const stray = records.find((record) => record.positionId !== undefined && !isRowId(record.positionId));
    if (stray) throw unknownPosition(stray.positionId);
    for (const batch of chunk(records, 1, BATCH_ROWS)) {
      try {
        await this.db.query(
          `INSERT INTO ai_decisions (${INSERT_COLUMNS})
           SELECT ${INSERT_COLUMNS} FROM jsonb_to_recordset($1::jsonb) AS x(${RECORD_TYPES})`,
          [toJson(batch.map(toJsonRow))],
        );
      } catch (error) {
        if (isForeignKeyViolation(error)) throw unknownPosition(undefined, error);
        throw error;
      }
    }
  }

  async costBetween(from: Date, to: Date): Promise<number> {
    const { rows } = await this.db.query<{ total: unknown }>(
      'SELECT COALESCE(SUM(cost_usd), 0) AS total FROM ai_decisions WHERE time >= $1 AND time < $2',
      [from, to],
    );
    return fromNumeric(rows[0]?.total ?? 0);
  }

  async costTakenOverFrom(shadow: string, from: Date, to: Date): Promise<number> {
    const { rows } = await this.db.query<{ total: unknown }>(
      'SELECT COALESCE(SUM(cost_usd), 0) AS total FROM ai_decisions WHERE taken_over_from = $1 AND time >= $2 AND time < $3',
      [shadow, from, to],
    );
    return fromNumeric(rows[0]?.total ?? 0);
  }

  async unscored(before: Date, limit: number): Promise<ScorableDecision[]> {
    const { rows } = await this.db.query<Row>(
      `SELECT id::text AS id, time, symbol, analyst, side, price, confidence, stop_loss_pct, take_profit_pct
         FROM ai_decisions
        WHERE scored_at IS NULL AND purpose = 'entry' AND outcome = 'valid' AND side IS NOT NULL
          AND stop_loss_pct IS NOT NULL AND take_profit_pct IS NOT NULL AND time < $1
        ORDER BY time, id LIMIT $2`,
      [before, Math.max(0, Math.floor(limit))],
    );
    return rows.map((row) => ({
      id: String(row.id),
      time: toDate(row.time),
      symbol: String(row.symbol),
      analyst: String(row.analyst),
      side: row.side as Side,
      price: fromNumeric(row.price),
      confidence: fromNumeric(row.confidence),
      stopLossPct: fromNumeric(row.stop_loss_pct),
      takeProfitPct: fromNumeric(row.take_profit_pct),
    }));
  }

  async recordScores(scores: readonly { readonly id: string; readonly hit: boolean | null }[], at: Date): Promise<void> {
    const valid = scores.filter((score) => isRowId(score.id));
    if (valid.length === 0) return;
    await this.db.query(
      `UPDATE ai_decisions AS d SET scored_at = $1, hit = v.hit
         FROM (SELECT unnest($2::bigint[]) AS id, unnest($3::boolean[]) AS hit) AS v
        WHERE d.id = v.id`,
      [at, valid.map((score) => score.id), valid.map((score) => score.hit)],
    );
  }

  /** The stored votes' figures plus what retention carried over from the deleted ones (AVG as SUM / COUNT). */
  async trackRecords(): Promise<ModelRecord[]> {
    const { rows } = await this.db.query<Row>(
      `WITH parts AS (
         SELECT analyst,
                COUNT(*) FILTER (WHERE outcome = 'valid' AND side IS NOT NULL) AS votes,
                COUNT(hit) AS scored,
                COUNT(*) FILTER (WHERE hit) AS hits,
                SUM(confidence) FILTER (WHERE hit) AS right_confidence,
                SUM(confidence) FILTER (WHERE hit = false) AS wrong_confidence
           FROM ai_decisions WHERE purpose = 'entry'
          GROUP BY analyst
         UNION ALL
         SELECT analyst, votes, scored, hits, right_confidence, wrong_confidence FROM model_record_carry
       )
       SELECT analyst, SUM(votes) AS votes, SUM(scored) AS scored, SUM(hits) AS hits,
              SUM(right_confidence) / NULLIF(SUM(hits), 0) AS right_confidence,
              SUM(wrong_confidence) / NULLIF(SUM(scored) - SUM(hits), 0) AS wrong_confidence
         FROM parts GROUP BY analyst ORDER BY analyst`,
    );
    return rows.map((row) => {
      const scored = Number(row.scored);
      const hits = Number(row.hits);
      return withoutUndefined({
        analyst: String(row.analyst),
        votes: Number(row.votes),
        scored,
        hits,
        hitRate: scored > 0 ? hits / scored : undefined,
        avgConfidenceWhenRight: fromNullableNumeric(row.right_confidence),
        avgConfidenceWhenWrong: fromNullableNumeric(row.wrong_confidence),
      }) as ModelRecord;
    });
  }

  /**
   * One statement: the batch is chosen, deleted, and its entry votes folded into the carried track records together,
   * so a failure part-way leaves neither the rows gone nor their figures counted twice.
   */
  async pruneBefore(before: Date, limit: number): Promise<number> {
    const { rows } = await this.db.query<{ pruned: unknown }>(
      `WITH doomed AS (
         SELECT d.id FROM ai_decisions d
          WHERE d.time < $1
            AND NOT (d.scored_at IS NULL AND d.purpose = 'entry' AND d.outcome = 'valid' AND d.side IS NOT NULL
                     AND d.stop_loss_pct IS NOT NULL AND d.take_profit_pct IS NOT NULL)
            AND NOT (d.purpose = 'entry' AND EXISTS (
                  SELECT 1 FROM positions p
                   WHERE p.symbol = d.symbol
                     AND p.opened_at >= d.time - interval '${TRADE_VOTES_KEPT.afterMs} milliseconds'
                     AND p.opened_at <= d.time + interval '${TRADE_VOTES_KEPT.beforeMs} milliseconds'))
          ORDER BY d.time, d.id LIMIT $2
       ), gone AS (
         DELETE FROM ai_decisions d USING doomed WHERE d.id = doomed.id
         RETURNING d.analyst, d.purpose, d.outcome, d.side, d.hit, d.confidence
       ), carried AS (
         INSERT INTO model_record_carry AS c (analyst, votes, scored, hits, right_confidence, wrong_confidence)
         SELECT analyst,
                COUNT(*) FILTER (WHERE outcome = 'valid' AND side IS NOT NULL),
                COUNT(hit),
                COUNT(*) FILTER (WHERE hit),
                COALESCE(SUM(confidence) FILTER (WHERE hit), 0),
                COALESCE(SUM(confidence) FILTER (WHERE hit = false), 0)
           FROM gone WHERE purpose = 'entry' GROUP BY analyst
         ON CONFLICT (analyst) DO UPDATE SET
           votes = c.votes + EXCLUDED.votes, scored = c.scored + EXCLUDED.scored, hits = c.hits + EXCLUDED.hits,
           right_confidence = c.right_confidence + EXCLUDED.right_confidence,
           wrong_confidence = c.wrong_confidence + EXCLUDED.wrong_confidence
       )
       SELECT COUNT(*) AS pruned FROM gone`,
      [before, Math.max(0, Math.floor(limit))],
    );
    return Number(rows[0]?.pruned ?? 0);
  }

  /** Oldest first within [from, to); with `limit`, the newest `limit` records, newest first. */
  async list(query: { from?: Date; to?: Date; limit?: number }): Promise<DecisionRecord[]> {
    const params: unknown[] = [];
    const where = timeRange('time', query, params);
    let order = 'ORDER BY time, id';
    if (query.limit !== undefined) {
      params.push(Math.max(0, Math.floor(query.limit)));
      order = `ORDER BY time DESC, id DESC LIMIT $${params.length}`;
    }
    const { rows } = await this.db.query<Row>(`SELECT ${DECISION_COLUMNS} FROM ai_decisions WHERE ${where} ${order}`, params);
    return rows.map(toDecision);
  }
}
