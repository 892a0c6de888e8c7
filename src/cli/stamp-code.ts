// The last step of `npm run build`: writes the digest of src/ beside the compiled code (dist/code-fingerprint.txt),
// which is how a compiled worker or sweep tells which code it runs (code-fingerprint.ts).
import { fileURLToPath } from 'node:url';
import { writeCodeStamp } from './code-fingerprint.js';

const here = new URL(import.meta.url);
if (here.pathname.endsWith('.ts')) {
  console.error('stamp-code: run the compiled file (node dist/cli/stamp-code.js); from source there is nothing to stamp');
  process.exit(2);
}
const digest = await writeCodeStamp(fileURLToPath(new URL('..', here)));
console.log(`code fingerprint ${digest}`);
