// Unique names and addresses, so tests sharing one database never collide.
let ipSeq = 1;
let emailSeq = 1;
let chatSeq = 0;

/** A fresh client address: each test request gets its own per-IP rate-limit bucket. */
export function freshIp(): string {
  const n = ipSeq++;
  return `10.${(n >> 16) & 255}.${(n >> 8) & 255}.${n & 255}`;
}

export function freshEmail(tag = 'buyer'): string {
  return `${tag}.${Date.now().toString(36)}.${emailSeq++}@example.com`;
}

/** A new fake chat id: private supergroups and channels are -100…, basic groups are small negatives. */
export function nextChatId(kind: 'supergroup' | 'group' = 'supergroup'): number {
  chatSeq++;
  return kind === 'group'
    ? -(4_000_000 + chatSeq * 7 + Math.floor(Math.random() * 5))
    : -(1_001_000_000_000 + chatSeq * 1000 + Math.floor(Math.random() * 900));
}
