// A refusal in Binance's wire format: HTTP status plus `{ code, msg }`.

export class VenueError extends Error {
  constructor(
    readonly status: number,
    readonly code: number,
    readonly msg: string,
  ) {
    super(msg);
  }
}

export const venueErrors = {
  invalidSymbol: () => new VenueError(400, -1121, 'Invalid symbol.'),
  missingParameter: (name: string) =>
    new VenueError(400, -1102, `Mandatory parameter '${name}' was not sent, was empty/null, or malformed.`),
  badSignature: () => new VenueError(400, -1022, 'Signature for this request is not valid.'),
  badKeyFormat: () => new VenueError(401, -2014, 'API-key format invalid.'),
  rejectedKey: () => new VenueError(401, -2015, 'Invalid API-key, IP, or permissions for action.'),
  orderDoesNotExist: () => new VenueError(400, -2013, 'Order does not exist.'),
  unknownOrder: () => new VenueError(400, -2011, 'Unknown order sent.'),
  marginInsufficient: () => new VenueError(400, -2019, 'Margin is insufficient.'),
  reduceOnlyRejected: () => new VenueError(400, -2022, 'ReduceOnly Order is rejected.'),
  wouldTrigger: () => new VenueError(400, -2021, 'Order would immediately trigger.'),
  duplicateClientId: () => new VenueError(400, -4116, 'ClientOrderId is duplicated.'),
  priceNotOnTick: () => new VenueError(400, -4014, 'Price not increased by tick size.'),
  invalidTimeInForce: () => new VenueError(400, -1115, 'Invalid timeInForce.'),
  precision: () => new VenueError(400, -1111, 'Precision is over the maximum defined for this asset.'),
  quantityTooSmall: () => new VenueError(400, -4003, 'Quantity less than or equal to zero.'),
  notionalTooSmall: (min: number) =>
    new VenueError(400, -4164, `Order's notional must be no smaller than ${min} (unless you choose reduce only).`),
  noNeedToChangeMargin: () => new VenueError(400, -4046, 'No need to change margin type.'),
  marginTypeWithPosition: () =>
    new VenueError(400, -4048, 'Margin type cannot be changed if there exists position.'),
  invalidLeverage: () => new VenueError(400, -4028, 'Leverage is not valid'),
  unsupportedOrderType: () => new VenueError(400, -1116, 'Invalid orderType.'),
  symbolNotOpening: () => new VenueError(400, -4140, 'Invalid symbol status for opening position.'),
  maintenance: () => new VenueError(503, -1001, 'System is under maintenance.'),
  outsideReceiveWindow: () => new VenueError(400, -1021, "Timestamp for this request is outside of the recvWindow."),
  notFound: () => new VenueError(404, -1000, 'Not found.'),
  listenKeyNotFound: () => new VenueError(400, -1125, 'This listenKey does not exist.'),
};
