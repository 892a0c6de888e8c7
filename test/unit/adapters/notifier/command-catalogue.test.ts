import { describe, expect, it } from 'vitest';
import {
  CHART_ARGUMENT,
  COMMAND_MENU,
  COMMANDS,
  InvalidCountError,
  LOGS_ARGUMENT,
  parseCount,
  PERFORMANCE_ARGUMENT,
  TRADES_ARGUMENT,
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
  it('when absent, then the default; when zero, negative or not a whole number, then refused; when too large, the cap', () => {
    expect(['', '  '].map((text) => parseCount(text, LOGS_ARGUMENT))).toEqual([10, 10]);
    for (const text of ['abc', '0', '-3', '2.5', '5x', '1,000', '30d']) expect(() => parseCount(text, LOGS_ARGUMENT), text).toThrow(InvalidCountError);
    expect(parseCount(' 12 ', LOGS_ARGUMENT)).toBe(12);
    expect(parseCount('31', LOGS_ARGUMENT)).toBe(30);
    expect(parseCount('99999999999999999999999', CHART_ARGUMENT)).toBe(90);
  });

  it('when /performance has no number of days, then it means all time', () => {
    expect(parseCount('', PERFORMANCE_ARGUMENT)).toBeUndefined();
    expect(parseCount('30', PERFORMANCE_ARGUMENT)).toBe(30);
  });

  it('when a number of days is written 30d, then it is 30 days; 1,000 and 0d are refused', () => {
    expect(parseCount('30d', PERFORMANCE_ARGUMENT)).toBe(30);
    expect(parseCount(' 14D ', CHART_ARGUMENT)).toBe(14);
    for (const text of ['1,000', '0d', 'd', '30 days', '-7d']) expect(() => parseCount(text, PERFORMANCE_ARGUMENT), text).toThrow(InvalidCountError);
    expect(() => parseCount('1,000', TRADES_ARGUMENT)).toThrow(InvalidCountError);
  });
});
