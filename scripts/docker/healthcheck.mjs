// Container health probe (Dockerfile HEALTHCHECK, compose healthcheck): exit 0 when the daemon's /health answers
// 200, 1 otherwise. Node's own fetch, so the image needs no curl or wget.
const port = process.env.HTTP_PORT || '8000';
const url = `http://127.0.0.1:${port}/health`;

try {
  const response = await fetch(url, { signal: AbortSignal.timeout(4_000) });
  const body = await response.text();
  if (!response.ok) console.error(`${url} answered ${response.status}: ${body.slice(0, 500)}`);
  process.exit(response.ok ? 0 : 1);
} catch (error) {
  console.error(`${url} did not answer: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
}
