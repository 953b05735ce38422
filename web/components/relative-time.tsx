import { useEffect, useState } from 'react';
import { exactTime, refreshIntervalMs, relativeTime, type TimeDirection } from '../lib/format';

/**
 * A relative time that stays true: redrawn every second while under a minute old, then
 * less often; read against the clock at each render (new data never meets a stale "now");
 * the exact time on hover. `direction` says which side of now the time is known to be on.
 */
export function RelativeTime({ value, direction = 'either', className }: { value: Date | string; direction?: TimeDirection; className?: string }) {
  const [, setTick] = useState(0);
  const now = Date.now();
  const interval = refreshIntervalMs(value, now);
  useEffect(() => {
    const id = setInterval(() => setTick((n) => n + 1), interval);
    return () => clearInterval(id);
  }, [interval]);
  const iso = new Date(value).toISOString();
  return (
    <time dateTime={iso} title={exactTime(value)} className={className}>
      {relativeTime(value, now, direction)}
    </time>
  );
}
