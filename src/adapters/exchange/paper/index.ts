export {
  FillSimulator,
  type CloseFillInput,
  type EntryFillInput,
  type FillSimulatorOptions,
  type PathSegment,
  type StopInput,
} from './fill-simulator.js';
export {
  HISTORY_LIMIT,
  type PaperAccountState,
  type PaperFill,
  type PaperFunding,
  type PaperOrder,
  type PaperPosition,
} from './paper-account.js';
export { PaperExchange, type PaperExchangeOptions } from './paper-exchange.js';
