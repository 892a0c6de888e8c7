import { openStore } from '../../../src/adapters/store/open-store.js';
import { RecordingLogger } from '../../../src/testing/silent-logger.js';
import { registerStoreContract } from './store-contract.js';

// In-memory PGlite: the same SQL as Postgres, without a server.
registerStoreContract('PGlite', { open: () => openStore({ logger: new RecordingLogger() }) });
