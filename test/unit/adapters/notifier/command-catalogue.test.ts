import { describe, expect, it } from 'vitest';
import {
  CHART_ARGUMENT,
  COMMAND_MENU,
  COMMANDS,
  LOGS_ARGUMENT,
  parseCount,
  PERFORMANCE_ARGUMENT,
} from '../../../../src/adapters/notifier/command-catalogue.js';

describe('the command catalogue', () => {
  it('then exactly the commands that change what the daemon does are for owners only', () => {
    const owners = COMMANDS.filter((entry) => entry.access === 'owner').map((entry) => entry.command);
    expect(owners).toEqual(['pause', 'resume', 'close', 'forceexit']);
  });

  it('then the menu lists every command once, in a form Telegram accepts, and says which are for owners', () => {
    expect(COMMAND_MENU.map((item) => item.command)).toEqual(COMMANDS.map((entry) => entry.command));
    expect(new Set(COMMAND_MENU.map((item) => item.command)).size).toBe(COMMAND_MENU.length);
    for (const item of COMMAND_MENU) {
      expect(item.command).toMatch(/^[a-z0-9_]{1,32}$/);
      expect(item.description.length).toBeGreaterThanOrEqual(3);
      expect(item.description.length).toBeLessThanOrEqual(256);
    }
    expect(COMMAND_MENU.find((item) => item.command === 'forceexit')?.description).toBe('The same as /close · owners only');
    expect(COMMAND_MENU.find((item) => item.command === 'logs')?.description).not.toContain('owners');
  });
});

describe('count arguments', () => {
  it('when absent, zero, negative or not a whole number, then the default; when too large, the cap', () => {
    expect(['', '  ', 'abc', '0', '-3', '2.5', '5x'].map((text) => parseCount(text, LOGS_ARGUMENT))).toEqual([10, 10, 10, 10, 10, 10, 10]);
    expect(parseCount(' 12 ', LOGS_ARGUMENT)).toBe(12);
    expect(parseCount('31', LOGS_ARGUMENT)).toBe(30);
    expect(parseCount('99999999999999999999999', CHART_ARGUMENT)).toBe(90);
  });

  it('when /performance has no number of days, then it means all time', () => {
    expect(parseCount('', PERFORMANCE_ARGUMENT)).toBeUndefined();
    expect(parseCount('30', PERFORMANCE_ARGUMENT)).toBe(30);
  });
});
