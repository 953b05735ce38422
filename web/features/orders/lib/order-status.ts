// How an order's status reads to its customer (the pill on the Orders page and the receipt).
export const orderStatusInfo: Record<string, { label: string; cls: string }> = {
  pending: { label: 'Awaiting payment', cls: '' },
  partially_paid: { label: 'Underpaid', cls: 'pill-warning' },
  paid: { label: 'Paid, setting up', cls: 'pill-success' },
  fulfilled: { label: 'Paid', cls: 'pill-success' },
  expired: { label: 'Not paid', cls: '' },
  failed: { label: 'Failed', cls: 'pill-danger' },
  refunded: { label: 'Refunded', cls: 'pill-danger' },
  cancelled: { label: 'Cancelled', cls: '' },
};

export function orderStatus(status: string): { label: string; cls: string } {
  return orderStatusInfo[status] ?? { label: status, cls: '' };
}
