// Container health check (compose `healthcheck`, images without curl): exits 0 when the process on
// this port answers /health/ready. Usage: node scripts/container/healthcheck.js <port>
const port = Number(process.argv[2]);
if (!Number.isInteger(port) || port <= 0) {
  process.stderr.write('usage: healthcheck <port>\n');
  process.exit(64);
}
fetch(`http://127.0.0.1:${port}/health/ready`, { signal: AbortSignal.timeout(3000) }).then(
  (response) => process.exit(response.ok ? 0 : 1),
  () => process.exit(1),
);
