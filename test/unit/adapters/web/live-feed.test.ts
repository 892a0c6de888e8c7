// Who gets a live-feed stream when many are open: a session holds at most four (a fifth ends its oldest), the owner
// always gets one in place of a read-only session's, and a client that stopped reading is let go.
import type { ServerResponse } from 'node:http';
import { describe, expect, it } from 'vitest';
import { LiveFeed } from '../../../../src/adapters/web/live-feed.js';
import type { DashboardData } from '../../../../src/adapters/web/api/dashboard-data.js';
import type { SessionStore } from '../../../../src/adapters/web/auth/sessions.js';
import { RecordingLogger } from '../../../../src/testing/silent-logger.js';

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
