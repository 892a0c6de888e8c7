// The Docker image and the compose stack agree on where /health and /metrics listen: every interface inside the
// container (or the published port could not reach them), published on the host's loopback only.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

const read = (name: string): string => readFileSync(new URL(`../../../${name}`, import.meta.url), 'utf8');

describe('the image and the compose stack', () => {
  it('the image listens on every interface of its container, on the port it exposes', () => {
    const dockerfile = read('Dockerfile');

    expect(dockerfile).toMatch(/^ENV [^\n]*(\\\n[^\n]*)*\bHTTP_HOST=0\.0\.0\.0\b/m);
    expect(dockerfile).toMatch(/^ENV [^\n]*(\\\n[^\n]*)*\bHTTP_PORT=8000\b/m);
    expect(dockerfile).toMatch(/^EXPOSE 8000$/m);
  });

  it('compose sets the address over whatever .env says, and publishes the port on the host\u2019s loopback only', () => {
    const compose = read('docker-compose.yml');
    const published = [...compose.matchAll(/^\s+- "([^"]*:\d+)"$/gm)].map((match) => match[1]);

    expect(compose).toMatch(/^ {6}HTTP_HOST: 0\.0\.0\.0$/m);
    expect(compose).toMatch(/^ {6}HTTP_PORT: "8000"$/m);
    expect(compose.match(/^\s+ports:$/gm)).toHaveLength(1);
    expect(published).toEqual(['127.0.0.1:${HTTP_PORT:-8000}:8000']);
  });

  it('the image says it is one, so that the daemon reports every unknown name compose hands it from .env', () => {
    expect(read('Dockerfile')).toMatch(/^\s+DAEMON_IN_CONTAINER=1$/m);
    expect(read('docker-compose.yml')).toMatch(/^\s+env_file: \.env$/m);
  });
});
