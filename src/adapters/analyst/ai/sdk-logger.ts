// The provider SDKs log to the console unless given a logger; this routes their few lines into ours.
import type { Logger } from '../../../ports/logger.js';

type SdkLogFn = (message: string, ...rest: unknown[]) => void;

export interface SdkLogger {
  readonly error: SdkLogFn;
  readonly warn: SdkLogFn;
  readonly info: SdkLogFn;
  readonly debug: SdkLogFn;
}

/**
 * Only the message is kept: the SDKs' extra arguments can carry request details (headers, bodies) that do not
 * belong in our logs. Their `info` lines (one per retry) are debug detail for us.
 */
export function sdkLogger(logger: Logger): SdkLogger {
  const sdk = logger.child({ source: 'sdk' });
  return {
    error: (message) => sdk.error({}, String(message)),
    warn: (message) => sdk.warn({}, String(message)),
    info: (message) => sdk.debug({}, String(message)),
    debug: (message) => sdk.debug({}, String(message)),
  };
}
