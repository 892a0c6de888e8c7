// The web dashboard's public face, for the composition root.
export { cachedFor, type DashboardData, type DashboardLimits } from './api/dashboard-data.js';
export type { Route } from './api/route.js';
export { resolveCredentials, type DashboardCredentials, type Role } from './auth/credentials.js';
export { createDashboard, type Dashboard, type DashboardOptions } from './create-dashboard.js';
export { NotifierTap } from './event-tap.js';
export { backtestRoutes } from './api/backtest-routes.js';
export { reportRoutes } from './api/report-routes.js';
export { ReportFiles } from './report-files.js';
export { BacktestJobs, type BacktestLauncher } from './backtest-jobs.js';
export { setupRoutes, LIVE_RISK_SENTENCE, type SetupServices } from './api/setup-routes.js';
