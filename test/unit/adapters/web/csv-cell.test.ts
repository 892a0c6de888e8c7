import { describe, expect, it } from 'vitest';
import { csvCell } from '../../../../src/adapters/web/api/history-routes.js';

describe('a cell of the trades CSV', () => {
  it('never starts with what a spreadsheet evaluates, also after a leading tab or carriage return', () => {
    expect(['=1+1', '+1', '-1', '@SUM(A1)', '\t=1+1', '\r=1+1'].map(csvCell)).toEqual(["'=1+1", "'+1", "'-1", "'@SUM(A1)", "'\t=1+1", `"'\r=1+1"`]);
  });

  it('quotes a cell holding a quote, a comma or a line break, and leaves numbers and plain text alone', () => {
    expect([csvCell('a "b"'), csvCell('a,b'), csvCell('a\nb'), csvCell('stop_loss'), csvCell(-12.5)]).toEqual(['"a ""b"""', '"a,b"', '"a\nb"', 'stop_loss', '-12.5']);
  });
});
