// Who gets a live-feed stream when many are open: a session holds at most four (a fifth ends its oldest), the owner
// always gets one in place of a read-only session's, and a client that stopped reading is let go. What a page hears
// when the positions cannot be read.
import type { ServerResponse } from 'node:http';
import { describe, expect, it } from 'vitest';
import { LiveFeed } from '../../../../src/adapters/web/live-feed.js';
import type { DashboardData } from '../../../../src/adapters/web/api/dashboard-data.js';
import type { SessionStore } from '../../../../src/adapters/web/auth/sessions.js';
import type { PositionView } from '../../../../src/ports/control.js';
import { RecordingLogger } from '../../../../src/testing/silent-logger.js';
import { position } from '../../../support/factories.js';

/** Just what the feed uses of a response: its head, its writes, its end, and how much it has queued. */
class FakeResponse {
  ended = false;
  destroyed = false;
  frames: string[] = [];
  writableLength = 0;
  writeHead(): void {}
  write(frame: string): boolean {
    this.frames.push(frame);
    return true;
  }
  on(): this {
    return this;
  }
  end(): void {
    this.ended = true;
  }
  destroy(): void {
    this.destroyed = true;
  }
}

function feedWith(roles: Record<string, 'owner' | 'viewer'>, maxClients: number) {
  const sessions = { get: (token: string | undefined) => (token && roles[token] ? { role: roles[token] } : undefined) } as unknown as SessionStore;
  const data = {} as DashboardData;
  const feed = new LiveFeed({ data, sessions, filter: { text: (text: string) => text } as never, logger: new RecordingLogger(), maxClients, pollMs: 3_600_000, heartbeatMs: 3_600_000 });
  const open = (token: string) => {
    const response = new FakeResponse();
    return { response, accepted: feed.subscribe(response as unknown as ServerResponse, token) };
  };
  return { feed, open };
}

describe('the live feed when streams run out', () => {
  it('when one session opens a fifth stream, then its oldest ends, and it never holds more than four', async () => {
    const { feed, open } = feedWith({ v: 'viewer' }, 20);
    const streams = Array.from({ length: 5 }, () => open('v'));

    expect(streams.map((stream) => stream.accepted)).toEqual([true, true, true, true, true]);
    expect(streams.map((stream) => stream.response.ended)).toEqual([true, false, false, false, false]);
    expect(feed.watchers).toBe(4);
    feed.close();
  });

  it('when read-only sessions hold every stream, then the owner still gets one, and a viewer does not', async () => {
    const { feed, open } = feedWith({ a: 'viewer', b: 'viewer', owner: 'owner', c: 'viewer' }, 4);
    const viewers = [open('a'), open('a'), open('b'), open('b')];

    expect(open('c').accepted).toBe(false);
    expect(open('owner').accepted).toBe(true);
    expect(viewers.filter((stream) => stream.response.ended)).toHaveLength(1);
    expect(feed.watchers).toBe(4);
    feed.close();
  });

  it('when a client has stopped reading, then the next frame lets it go instead of queuing more', async () => {
    const { feed, open } = feedWith({ v: 'viewer', w: 'viewer' }, 20);
    const stalled = open('v');
    const reading = open('w');
    stalled.response.writableLength = 2 << 20;

    feed.onEvent({ type: 'started', at: new Date('2025-10-10T09:00:00Z') } as never);

    expect(stalled.response.destroyed).toBe(true);
    expect(reading.response.frames.some((frame) => frame.startsWith('event: message'))).toBe(true);
    expect(feed.watchers).toBe(1);
    feed.close();
  });
});

/** The fakes answer at once: one turn of the event loop lets a poll they serve run to its end. */
const settled = () => new Promise<void>((resolve) => setImmediate(resolve));

/** The events a stream carried, with their data, heartbeats and the retry line left out. */
const eventsOf = (response: FakeResponse) =>
  response.frames.filter((frame) => frame.startsWith('event: ')).map((frame) => {
    const [event, data] = frame.split('\n');
    return { event: event?.slice('event: '.length), data: JSON.parse(data?.slice('data: '.length) ?? 'null') as unknown };
  });

describe('the live feed when the positions cannot be read', () => {
  const long = position({ side: 'long', entryPrice: 100, stopPrice: 94, takeProfitPrice: 112, liquidationPrice: 67, quantity: 2 });
  const view: PositionView = { position: long, price: 97, markPrice: 96, unrealizedPnl: -6, unrealizedPct: -0.3 };

  function feedReading(reads: (() => Promise<PositionView[]>)[]) {
    const logger = new RecordingLogger();
    const data = {
      control: { openPositions: () => (reads.shift() ?? (async () => [view]))() },
      store: { orders: { forPosition: async () => [] } },
    } as unknown as DashboardData;
    const sessions = { get: () => ({ role: 'viewer' }) } as unknown as SessionStore;
    const feed = new LiveFeed({ data, sessions, filter: { text: (text: string) => text } as never, logger, pollMs: 3_600_000, heartbeatMs: 3_600_000 });
    return { feed, logger };
  }

  it('when a read fails, then the page is told its figures are stale, and the next good read is sent even though nothing changed', async () => {
    const failing = async (): Promise<PositionView[]> => {
      throw new Error('connection terminated unexpectedly');
    };
    const { feed, logger } = feedReading([async () => [view], failing, async () => [view]]);
    const response = new FakeResponse();
    const event = { type: 'started', at: new Date('2025-10-10T09:00:00Z') } as never;

    feed.subscribe(response as unknown as ServerResponse, 'v');
    await settled();
    feed.onEvent(event);
    await settled();
    feed.onEvent(event);
    await settled();

    expect(eventsOf(response).map((frame) => frame.event)).toEqual(['positions', 'message', 'stale', 'message', 'positions']);
    expect(eventsOf(response)[2]?.data).toEqual({ reason: 'the open positions could not be read' });
    expect(logger.lines.filter((line) => line.level === 'warn')).toHaveLength(1);
    feed.close();
  });

  it('when the mark is away from the last price, then the meter sent measures the stop and liquidation from the mark', async () => {
    const { feed } = feedReading([]);
    const response = new FakeResponse();

    feed.subscribe(response as unknown as ServerResponse, 'v');
    await settled();

    const [sent] = eventsOf(response);
    const meter = (sent?.data as { positions: { price: number; meter: { price: number; stop: { distancePct: number }; liquidation: { distancePct: number } } }[] }).positions[0]?.meter;
    expect(meter?.price).toBe(97);
    expect(meter?.stop.distancePct).toBe((94 - 96) / 96);
    expect(meter?.liquidation.distancePct).toBe((67 - 96) / 96);
    feed.close();
  });
});
