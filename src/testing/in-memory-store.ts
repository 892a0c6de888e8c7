// The engine tests' store is the in-memory store that backtests run on (src/adapters/store/memory), so the fakes and
// the replays keep one implementation of the database's rules, held to the same contract tests.
export { InMemoryStore } from '../adapters/store/memory/in-memory-store.js';
