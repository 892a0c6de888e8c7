// The HTML backtest reports of the configured folder: a list, and each one as a page of its own. A report is a file
// on disk, not something the daemon made for this request, so it is shown sandboxed: no script runs in it, nothing
// is fetched by it, and it cannot reach the dashboard's session or API.
import { z } from 'zod';
import { writeBody } from '../http-reply.js';
import type { ReportFiles } from '../report-files.js';
import { ApiError, RawReply, route, type Route } from './route.js';
import { dateTime, list } from './schemas.js';

const REPORT_PAGE_POLICY = "sandbox; default-src 'none'; style-src 'unsafe-inline'; img-src data:; font-src data:; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

export function reportRoutes(files: ReportFiles): Route[] {
  return [
    route({
      method: 'GET',
      path: '/api/reports',
      summary: 'The HTML backtest reports in REPORTS_DIR (what `npm run backtest` writes), newest first',
      tag: 'backtests',
      access: 'viewer',
      response: { json: z.object({ reports: list(z.object({ name: z.string(), sizeBytes: z.number().int(), modifiedAt: dateTime })) }) },
      handle: async () => ({ reports: await files.list() }),
    }),
    route({
      method: 'GET',
      path: '/api/reports/{name}',
      summary: 'One HTML report, as a sandboxed page',
      tag: 'backtests',
      access: 'viewer',
      params: z.object({ name: z.string().max(255) }),
      response: { contentType: 'text/html' },
      handle: async ({ params }) => {
        const body = await files.read(params.name);
        if (!body) throw new ApiError(404, `no report named ${JSON.stringify(params.name)} in the reports folder`);
        return new RawReply((response) =>
          writeBody(response, 200, 'text/html; charset=utf-8', body, { 'content-security-policy': REPORT_PAGE_POLICY, 'cache-control': 'no-store' }),
        );
      },
    }),
  ];
}
