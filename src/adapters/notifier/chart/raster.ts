// A tiny RGB pixel canvas with the three primitives a line chart needs.

export type Rgb = readonly [number, number, number];

export class RasterCanvas {
  readonly pixels: Uint8Array;

  constructor(
    readonly width: number,
    readonly height: number,
    background: Rgb,
  ) {
    this.pixels = new Uint8Array(width * height * 3);
    this.fillRect(0, 0, width, height, background);
  }

  setPixel(x: number, y: number, color: Rgb): void {
    const px = Math.round(x);
    const py = Math.round(y);
    if (px < 0 || py < 0 || px >= this.width || py >= this.height) return;
    const offset = (py * this.width + px) * 3;
    this.pixels[offset] = color[0];
    this.pixels[offset + 1] = color[1];
    this.pixels[offset + 2] = color[2];
  }

  fillRect(x: number, y: number, width: number, height: number, color: Rgb): void {
    const x0 = Math.max(0, Math.round(x));
    const y0 = Math.max(0, Math.round(y));
    const x1 = Math.min(this.width, Math.round(x + width));
    const y1 = Math.min(this.height, Math.round(y + height));
    for (let py = y0; py < y1; py += 1) for (let px = x0; px < x1; px += 1) this.setPixel(px, py, color);
  }

  /** A straight line `thickness` pixels wide: a round brush stamped at every step of the line. */
  drawLine(x0: number, y0: number, x1: number, y1: number, color: Rgb, thickness = 1): void {
    const steps = Math.max(1, Math.ceil(Math.max(Math.abs(x1 - x0), Math.abs(y1 - y0))));
    for (let step = 0; step <= steps; step += 1) {
      const t = step / steps;
      this.stamp(x0 + (x1 - x0) * t, y0 + (y1 - y0) * t, color, thickness);
    }
  }

  /** A horizontal dashed line, for reference levels that must not look like data. */
  drawDashedHorizontal(x0: number, x1: number, y: number, color: Rgb, dash = 6): void {
    for (let x = Math.round(x0); x <= Math.round(x1); x += 1) {
      if (Math.floor((x - x0) / dash) % 2 === 0) this.setPixel(x, y, color);
    }
  }

  private stamp(cx: number, cy: number, color: Rgb, thickness: number): void {
    const radius = Math.max(0, (thickness - 1) / 2);
    const reach = Math.ceil(radius);
    for (let dy = -reach; dy <= reach; dy += 1) {
      for (let dx = -reach; dx <= reach; dx += 1) {
        if (dx * dx + dy * dy <= radius * radius + 0.5) this.setPixel(cx + dx, cy + dy, color);
      }
    }
  }
}
