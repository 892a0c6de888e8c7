// npm run secrets -- encrypt
// Reads one secret from stdin (hidden when typed at a terminal) and prints it as an `enc:v1:` value for `.env`,
// encrypted with MASTER_KEY or MASTER_KEY_FILE, exactly the key the daemon will decrypt it with.
//
// There is deliberately no `decrypt`: anyone who can run this command next to the master key could then print
// every key in `.env` in one line. The daemon is the only thing that ever needs the plain value, and a lost
// secret is replaced at its issuer (new API key, new bot token), never recovered from here.
import { encryptSecret, resolveMasterKey } from '../config/secrets.js';

const USAGE = `usage: npm run secrets -- encrypt
  Reads the secret from stdin and prints an enc:v1: value to paste into .env in place of the plain value.
  Interactive: the input is not echoed; finish with Enter.   Piped: one trailing newline is dropped.
    printf '%s' "$CLAUDE_API_KEY" | MASTER_KEY_FILE=/run/secrets/master_key npm run secrets -- encrypt
  The master key comes from MASTER_KEY or MASTER_KEY_FILE (environment, then .env), as for the daemon.
  There is no decrypt command: only the daemon ever needs the plain value.`;

const CTRL_C = '\u0003';
const CTRL_D = '\u0004';
const BACKSPACES = new Set(['\u007f', '\b']);

/** Reads a line from the terminal without echoing it; raw mode also keeps it out of the shell's history. */
function readHidden(prompt: string): Promise<string> {
  const input = process.stdin;
  process.stderr.write(prompt);
  input.setRawMode(true);
  input.setEncoding('utf8');
  input.resume();
  return new Promise<string>((resolve, reject) => {
    let typed: string[] = [];
    const finish = (): void => {
      input.off('data', onData);
      input.setRawMode(false);
      input.pause();
      process.stderr.write('\n');
    };
    const onData = (chunk: string): void => {
      for (const character of chunk) {
        if (character === '\r' || character === '\n' || character === CTRL_D) {
          finish();
          resolve(typed.join(''));
          return;
        }
        if (character === CTRL_C) {
          finish();
          reject(new Error('cancelled'));
          return;
        }
        if (BACKSPACES.has(character)) typed = typed.slice(0, -1);
        else typed.push(character);
      }
    };
    input.on('data', onData);
  });
}

async function readPiped(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(typeof chunk === 'string' ? Buffer.from(chunk) : (chunk as Buffer));
  // `echo` and editors add one newline; anything beyond that belongs to the secret and is kept.
  return Buffer.concat(chunks).toString('utf8').replace(/\r?\n$/, '');
}

async function encryptCommand(): Promise<number> {
  const masterKey = resolveMasterKey({ dotenvPath: '.env' });
  if (!masterKey) {
    console.error('MASTER_KEY / MASTER_KEY_FILE is not set: set one of them to the key the daemon will run with.');
    return 1;
  }
  const secret = process.stdin.isTTY ? await readHidden('Secret to encrypt (input hidden): ') : await readPiped();
  console.log(encryptSecret(secret, masterKey));
  return 0;
}

async function main(argv: readonly string[]): Promise<number> {
  const [command, ...rest] = argv;
  if (command === 'encrypt' && rest.length === 0) return encryptCommand();
  if (command === '--help' || command === '-h' || command === 'help') {
    console.log(USAGE);
    return 0;
  }
  if (command === 'decrypt') console.error('secrets: there is no decrypt command; only the daemon decrypts, at start-up.');
  console.error(USAGE);
  return 2;
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(`secrets: ${(error as Error).message}`);
    process.exit(1);
  },
);
