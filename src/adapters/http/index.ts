export {
  startHttpServer,
  type HealthCheckResult,
  type HealthReport,
  type HealthSource,
  type HttpServerOptions,
  type MetricsSource,
  type RunningHttpServer,
} from './http-server.js';
export { HealthChecks, type ExchangeCheck, type HealthChecksOptions, type LoopCheck, type StoreCheck } from './health-checks.js';
export { LastSuccess } from './last-success.js';
