// Where price stands between liquidation, stop, entry and target: a bar from liquidation (left) to target (right),
// with the distance and the dollar effect of reaching each level.
import type { OpenPosition } from '../api.js';
import { pct, price, signedUsd } from '../format.js';

type Meter = NonNullable<OpenPosition['meter']>;

function place(meter: Meter, level: number): number {
  const far = meter.target?.price ?? meter.entry.price + (meter.entry.price - meter.liquidation.price);
  const span = far - meter.liquidation.price;
  return span === 0 ? 50 : Math.min(100, Math.max(0, ((level - meter.liquidation.price) / span) * 100));
}

function Tick({ at, label, kind }: { at: number; label: string; kind: string }) {
  return (
    <div class={`tick ${kind}`} style={{ left: `${at}%` }} title={label}>
      <span>{label}</span>
    </div>
  );
}

export function LiquidationMeter({ view }: { view: OpenPosition }) {
  const meter = view.meter;
  if (!meter) return <p class="muted">No price: the market could not be read just now.</p>;
  const rows: [string, string, NonNullable<Meter['target']> | undefined][] = [
    ['liquidation', 'loss', meter.liquidation],
    ['stop', 'loss', meter.stop],
    ['entry', '', meter.entry],
    ['target', 'gain', meter.target],
  ];
  return (
    <div class="meter" data-testid="liquidation-meter" data-position={meter.position.toFixed(4)}>
      <div class="meter-bar">
        <div class="meter-danger" style={{ width: `${place(meter, meter.stop.price)}%` }} />
        <Tick at={place(meter, meter.liquidation.price)} label="liq" kind="liq" />
        <Tick at={place(meter, meter.stop.price)} label="stop" kind="stop" />
        <Tick at={place(meter, meter.entry.price)} label="entry" kind="entry" />
        {meter.target && <Tick at={place(meter, meter.target.price)} label="target" kind="target" />}
        <div class="meter-now" style={{ left: `${place(meter, meter.price)}%` }} data-testid="meter-now" />
      </div>
      <p class="meter-price">
        price <strong data-testid="meter-price">{price(meter.price)}</strong>
      </p>
      <table class="levels">
        <thead>
          <tr>
            <th>level</th>
            <th>price</th>
            <th>distance</th>
            <th>P&amp;L there, before fees</th>
          </tr>
        </thead>
        <tbody>
          {rows.map(([name, kind, level]) =>
            level === undefined ? null : (
              <tr key={name} data-testid={`level-${name}`}>
                <td class={kind}>{name}</td>
                <td>{price(level.price)}</td>
                <td>{pct(level.distancePct)}</td>
                <td>{signedUsd(level.pnlUsd)}</td>
              </tr>
            ),
          )}
        </tbody>
      </table>
    </div>
  );
}
