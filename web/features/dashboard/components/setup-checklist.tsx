import type { Bot } from '../api/get-bot';
import { SendersList } from './senders-list';

export function SetupChecklist({ bot }: { bot: Bot }) {
  const steps = [
    { title: 'Add your bots to your groups and channels', done: bot.chats.some((c) => c.status === 'ok') },
    { title: 'Write your ad', done: bot.post !== null },
    { title: 'List your chats', done: bot.chats.length > 0 },
    { title: 'Start posting', done: bot.status === 'running' },
  ];
  return (
    <section className="card checklist" aria-labelledby="setup-heading" data-testid="setup-checklist">
      <h2 id="setup-heading">Get your first post out</h2>
      <ol className="steps">
        {steps.map((s, i) => (
          <li key={s.title} className={s.done ? 'done' : ''}>
            <span className="step-dot" aria-hidden="true">
              {s.done ? '✓' : i + 1}
            </span>
            <span>
              {s.title}
              <span className="sr-only">{s.done ? ' (done)' : ' (to do)'}</span>
            </span>
          </li>
        ))}
      </ol>
      <p className="small muted">
        A bot can only post where it was added. Open a link below on the device where you use Telegram, pick the group (or channel — make the bot an admin that
        can post), then list the same chat under Target chats.
      </p>
      <SendersList senders={bot.senders} />
    </section>
  );
}
