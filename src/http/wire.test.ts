import { describe, expect, it } from 'vitest';
import { orderRowSchema } from '../shared/api/admin.js';
import { toWire } from './wire.js';

describe('toWire', () => {
  it('turns every Date, at any depth, into its ISO string and leaves the rest as it is', () => {
    const at = new Date('2025-01-31T12:00:00.000Z');
    const out = toWire({ at, list: [{ at, n: 1 }], none: null, details: { note: 'x' } });
    expect(out).toEqual({ at: '2025-01-31T12:00:00.000Z', list: [{ at: '2025-01-31T12:00:00.000Z', n: 1 }], none: null, details: { note: 'x' } });
  });

  it('gives what a shared response schema accepts (a Date would not be)', () => {
    const row = {
      id: '6f1c2a9e-3b7d-4c1e-9a2b-1d2e3f4a5b6c',
      orderNumber: 1001,
      email: null,
      planName: 'Bronze',
      priceUsd: 29,
      kind: 'new' as const,
      status: 'pending' as const,
      backordered: false,
      attention: null,
      paymentStatus: null,
      payCurrency: 'btc',
      payAmount: null,
      actuallyPaid: null,
      resellerCode: null,
      createdAt: new Date('2025-01-31T12:00:00.000Z'),
      paidAt: null,
      fulfilledAt: null,
    };
    expect(orderRowSchema.safeParse(row).success).toBe(false);
    expect(orderRowSchema.parse(toWire(row)).createdAt).toBe('2025-01-31T12:00:00.000Z');
  });
});
