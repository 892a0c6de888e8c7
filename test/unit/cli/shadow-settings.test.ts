// A shadow strategy's engine keeps the main account's rules except what the variant changes, the calendar blackout
// included: a shadow that traded through FOMC or CPI while the main account sat out would not be comparable.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readConfiguredCalendar } from '../../../src/adapters/calendar/calendar-file.js';
import { shadowEngineSettings } from '../../../src/cli/compose-shadows.js';
import { loadConfig } from '../../../src/config/load-config.js';

describe('a shadow strategy\'s engine settings', () => {
  it('hold the main account\'s calendar, or the calendar and blackout the variant names', async () => {
    const own = join(mkdtempSync(join(tmpdir(), 'shadow-calendar-')), 'events.csv');
    writeFileSync(own, 'time_utc,kind,title\n2025-09-17T18:00:00Z,FOMC,Rate decision\n');
    const config = loadConfig({
      env: {
        SHADOW_STRATEGIES: JSON.stringify([
          { name: 'same', settings: {} },
          { name: 'own', settings: { CALENDAR_FILE: own, CALENDAR_BLACKOUT_BEFORE_MINUTES: 90 } },
        ]),
      },
    });
    const [same, variant] = config.shadows;
    if (!same || !variant) throw new Error('two shadows expected');
    const main = await readConfiguredCalendar(config.portfolio.calendarFile);
    expect(main.length).toBeGreaterThan(10);

    const sameSettings = await shadowEngineSettings(same, config.symbols, { ai: false });
    expect(sameSettings.calendar).toEqual(main);
    const variantSettings = await shadowEngineSettings(variant, config.symbols, { ai: false });
    expect(variantSettings.calendar?.map((event) => event.title)).toEqual(['Rate decision']);
    expect(variantSettings.blackout).toEqual({ beforeMs: 90 * 60_000, afterMs: 60 * 60_000 });
  });
});
