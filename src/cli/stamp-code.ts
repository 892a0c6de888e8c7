// The last step of `npm run build` (scripts/build-code.mjs): writes the digest of the source folder named by the first
// argument (src/ beside dist/ without one) beside the compiled code, e.g. dist/code-fingerprint.txt, which is how a
// compiled worker or sweep tells which code it runs (code-fingerprint.ts).
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { writeCodeStamp } from './code-fingerprint.js';

const here = new URL(import.meta.url);
if (here.pathname.endsWith('.ts')) {
  console.error('stamp-code: run the compiled file (node dist/cli/stamp-code.js); from source there is nothing to stamp');
  process.exit(2);
}
const source = process.argv[2];
const digest = await writeCodeStamp(fileURLToPath(new URL('..', here)), ...(source === undefined ? [] : [resolve(source)]));
console.log(`code fingerprint ${digest}`);
