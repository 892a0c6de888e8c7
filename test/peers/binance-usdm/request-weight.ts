// Binance USDⓈ-M's request weight per endpoint, as its API documentation states them (IP limit: 2,400 per minute),
// for measuring what a scan costs. Endpoints not listed weigh 1.
import type { RecordedRequest } from './server.js';

/** Klines and mark-price klines weigh by the number of rows asked for. */
function byLimit(limit: number): number {
  if (limit < 100) return 1;
  if (limit < 500) return 2;
  if (limit <= 1000) return 5;
  return 10;
}

export const IP_WEIGHT_PER_MINUTE = 2_400;

export function requestWeight(request: Pick<RecordedRequest, 'method' | 'path' | 'params'>): number {
  const oneSymbol = request.params['symbol'] !== undefined;
  switch (`${request.method} ${request.path}`) {
    case 'GET /fapi/v1/klines':
    case 'GET /fapi/v1/markPriceKlines':
      return byLimit(Number(request.params['limit'] ?? 500));
    case 'GET /fapi/v1/ticker/24hr':
      return oneSymbol ? 1 : 40;
    case 'GET /fapi/v1/premiumIndex':
      return oneSymbol ? 1 : 10;
    case 'GET /fapi/v1/ticker/price':
      return oneSymbol ? 1 : 2;
    case 'GET /fapi/v1/openOrders':
      return oneSymbol ? 1 : 40;
    case 'GET /fapi/v3/account':
    case 'GET /fapi/v2/balance':
    case 'GET /fapi/v3/positionRisk':
    case 'GET /fapi/v1/userTrades':
      return 5;
    case 'GET /fapi/v1/income':
      return 30;
    // Weight 0: it shares a limit of its own with GET /fapi/v1/fundingRate instead (500 requests per 5 minutes per IP).
    case 'GET /fapi/v1/fundingInfo':
      return 0;
    default:
      return 1;
  }
}
