import { describe, expect, it } from 'vitest';
import { TemporaryError } from '../../../../src/domain/errors.js';
import { isTemporaryDatabaseError, translateDatabaseError } from '../../../../src/adapters/store/sql-errors.js';

/** What pg and PGlite throw: an Error carrying the SQLSTATE in `code`. */
function driverError(code: string, message = 'driver error'): Error {
  return Object.assign(new Error(message), { code });
}

describe('which database errors are outages', () => {
  it.each([
    ['08000', 'connection_exception'],
    ['08003', 'connection_does_not_exist'],
    ['08006', 'connection_failure'],
    ['57P01', 'admin_shutdown'],
  ])('when the server reports %s (%s), then it is temporary and retried', (code) => {
    expect(isTemporaryDatabaseError(driverError(code))).toBe(true);
    expect(translateDatabaseError(driverError(code))).toBeInstanceOf(TemporaryError);
  });

  it('when the server reports a protocol violation (08P01), then it is passed on as it is, since sending it again fails again', () => {
    const error = driverError('08P01', 'bind message has 4464 parameter formats but 0 parameters');

    expect(isTemporaryDatabaseError(error)).toBe(false);
    expect(translateDatabaseError(error)).toBe(error);
  });
});
