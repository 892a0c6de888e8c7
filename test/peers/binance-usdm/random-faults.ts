// Binance's refusals for the shared random faults (../venue-faults/random-faults.ts): 429 and 418 with a
// Retry-After, 500 and 503; their bodies are the server's defaults for those statuses (faults.ts).
import type { FaultAnswers } from '../venue-faults/random-faults.js';

export {
  RANDOM_FAULT_KINDS,
  RandomFaults,
  seededRandom,
  type FaultAction,
  type InjectedFault,
  type RandomFaultKind,
  type RandomFaultOptions,
} from '../venue-faults/random-faults.js';

export const BINANCE_FAULT_ANSWERS: FaultAnswers = {
  rate_limit: { status: 429, headers: { 'Retry-After': '1' } },
  ip_ban: { status: 418, headers: { 'Retry-After': '2' } },
  server_error: { status: 500 },
  unavailable: { status: 503 },
};
