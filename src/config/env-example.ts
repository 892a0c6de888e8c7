// Renders `.env.example` and the README's configuration table from the variable table.
import { describeAllowed } from './parse-variables.js';
import { VARIABLES, type VariableSpec } from './variables.js';

const SECTION_TITLES: Record<VariableSpec['section'], string> = {
  trading: 'Trading',
  risk: 'Risk limits (every entry passes the risk manager)',
  exits: 'Exits',
  schedule: 'Schedule',
  costs: 'Costs (paper fills and estimates)',
  exchange: 'Exchange (live mode; market data needs no keys)',
  ai: 'AI analysts (without at least two, built-in technical analysts stand in)',
  telegram: 'Telegram',
  infra: 'Storage, logs, HTTP, secrets',
};

function sections(): [VariableSpec['section'], VariableSpec[]][] {
  const grouped = new Map<VariableSpec['section'], VariableSpec[]>();
  for (const spec of VARIABLES) grouped.set(spec.section, [...(grouped.get(spec.section) ?? []), spec]);
  return [...grouped.entries()];
}

export function renderEnvExample(): string {
  const lines = [
    '# Copy to .env and adjust. Every variable is optional; the value shown is the default.',
    '# Secrets (marked) may instead come from <NAME>_FILE (Docker secrets) and may be encrypted',
    '# with `npm run secrets -- encrypt` (enc:v1:... values, decrypted with MASTER_KEY or MASTER_KEY_FILE).',
    '',
  ];
  for (const [section, specs] of sections()) {
    lines.push(`# --- ${SECTION_TITLES[section]} ---`);
    for (const spec of specs) {
      lines.push(`# ${spec.description}`);
      lines.push(`# Allowed: ${describeAllowed(spec.kind)}.${spec.secret ? ' Secret.' : ''}`);
      const commented = spec.default === undefined || spec.commentedInExample === true;
      lines.push(`${commented ? '# ' : ''}${spec.name}=${spec.default ?? ''}`);
      lines.push('');
    }
  }
  lines.push(
    '# --- Docker Compose only (read by docker compose, not by the daemon) ---',
    '# Password of the stack\'s Postgres user "trader"; URL-safe characters only (e.g. `openssl rand -hex 24`).',
    '# POSTGRES_PASSWORD=',
  );
  return `${lines.join('\n').trimEnd()}\n`;
}

export function renderConfigTable(): string {
  const rows = ['| Variable | Default | Allowed | Meaning |', '| --- | --- | --- | --- |'];
  for (const spec of VARIABLES) {
    const fallback = spec.default === undefined ? '(unset)' : `\`${spec.default.replace(/,/g, ', ')}\``;
    const meaning = `${spec.description}${spec.secret ? ' **Secret.**' : ''}`.replace(/\|/g, '\\|');
    rows.push(`| \`${spec.name}\` | ${fallback} | ${describeAllowed(spec.kind)} | ${meaning} |`);
  }
  return rows.join('\n');
}
