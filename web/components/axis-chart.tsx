import type { ReactNode } from 'react';

// Axes for the small CSS bar charts (admin overview, dashboard stats): bars alone showed a
// shape but no values. The scale top is a round number so the mid tick is a whole one too.

/** Smallest of 2, 4, 6, 8, 10 × 10^k at or above `max` (never below 2). */
export function niceTop(max: number): number {
  let scale = 1;
  while (max > 10 * scale) scale *= 10;
  for (const step of [2, 4, 6, 8, 10]) if (step * scale >= max) return step * scale;
  return 10 * scale;
}

/** `n` indices spread evenly over `count` bars, first and last included. */
export function spreadTicks(count: number, n: number): number[] {
  if (count <= n) return Array.from({ length: count }, (_, i) => i);
  return Array.from({ length: n }, (_, i) => Math.round((i * (count - 1)) / (n - 1)));
}

type AxisChartProps = {
  /** The value at the top of the plot: bars are drawn as a share of it. */
  top: number;
  formatY: (n: number) => string;
  /** One slot per bar; a label under the bars at `index`. */
  bars: number;
  xLabels: { index: number; label: string }[];
  testId: string;
  children: ReactNode;
};

export function AxisChart({ top, formatY, bars, xLabels, testId, children }: AxisChartProps) {
  const ticks = [top, top / 2, 0];
  // Sparse labels hug the ends so the first and last stay inside the card on a phone.
  const sparse = xLabels.length < bars;
  return (
    <div className="axis-chart" data-testid={testId}>
      {/* Values are in the chart's aria-label and each bar's title; the axes are for the eye. */}
      <div className="axis-y" aria-hidden="true" data-testid={`${testId}-y`}>
        <span className="axis-y-size">{formatY(top)}</span>
        {ticks.map((v, i) => (
          <span key={v} className="axis-y-tick" style={{ top: `${(i / (ticks.length - 1)) * 100}%` }}>
            {formatY(v)}
          </span>
        ))}
      </div>
      <div className="axis-plot">{children}</div>
      <div className="axis-x" aria-hidden="true" data-testid={`${testId}-x`} style={{ gridTemplateColumns: `repeat(${bars}, minmax(0, 1fr))` }}>
        {xLabels.map((l) => (
          <span
            key={l.index}
            className={!sparse ? '' : l.index === 0 ? 'axis-x-first' : l.index === bars - 1 ? 'axis-x-last' : ''}
            style={{ gridColumn: l.index + 1 }}
          >
            {l.label}
          </span>
        ))}
      </div>
    </div>
  );
}
