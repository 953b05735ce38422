const items = [
  {
    q: 'How does posting work?',
    a: 'Your plan comes with Telegram bots (its "accounts"). You add them to your groups or make them admins of your channels — one tap on the links in your dashboard. Each bot then posts your ad into the chats it serves, once per interval, through the official Telegram Bot API. Bots post only where a chat\'s admins let them in.',
  },
  {
    q: 'Which coins can I pay with?',
    a: 'BTC, ETH, SOL, LTC and USDT, through NOWPayments. You see the exact amount, the address and a QR code; your plan starts as soon as the payment confirms on the network.',
  },
  {
    q: 'What happens when my plan expires?',
    a: 'We remind you 3 days and 1 day before. At expiry posting stops — never a post after it. Renew within 3 days and you keep the same bots, already in your groups.',
  },
  {
    q: 'Can I change plans?',
    a: 'Yes. Renewing the same plan adds 30 days to your current expiry; upgrading switches your interval and adds bots right away.',
  },
];

export function Faq() {
  return (
    <section className="faq" aria-labelledby="faq-heading">
      <h2 id="faq-heading">Questions</h2>
      {items.map((i) => (
        <details key={i.q}>
          <summary>{i.q}</summary>
          <p>{i.a}</p>
        </details>
      ))}
    </section>
  );
}
