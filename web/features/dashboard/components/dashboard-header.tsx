import { useState } from 'react';
import { Link } from 'react-router';
import { ApiError } from '../../../lib/api-client';
import { exactTime, formatCountdown, formatUsd, intervalInWords } from '../../../lib/format';
import { SupportLink } from '../../../lib/support';
import { useNow } from '../../../lib/use-now';
import { useProducts } from '../../pricing/api/get-products';
import type { Bot } from '../api/get-bot';
import type { UserStatus } from '../api/get-user-status';
import { useToggleBot } from '../api/toggle-bot';
import { planChangeOption } from './plan-change-effect';

const pill: Record<Bot['status'], { label: string; cls: string }> = {
  running: { label: 'Running', cls: 'pill-success' },
  stopped: { label: 'Stopped', cls: '' },
  expired: { label: 'Expired', cls: 'pill-danger' },
  suspended: { label: 'Suspended', cls: 'pill-warning' },
};

function checkoutHref(slug: string, email: string | null): string {
  return `/checkout?plan=${encodeURIComponent(slug)}${email ? `&email=${encodeURIComponent(email)}` : ''}`;
}

export function DashboardHeader({ bot, status }: { bot: Bot; status: UserStatus }) {
  const now = useNow(30_000);
  const toggle = useToggleBot();
  const products = useProducts();
  const [confirmStop, setConfirmStop] = useState(false);
  const planSlug = status.plan?.slug;
  const current = products.data?.find((p) => p.slug === planSlug);
  const expiresAt = bot.expiresAt ?? status.expiresAt;
  const left = expiresAt ? new Date(expiresAt).getTime() - now : null;
  // Each option says what checkout and fulfilment will do (src/shared/plan-change.ts); the ones
  // checkout would refuse stay listed, disabled, with the reason.
  const running = current && {
    plan: current,
    senderCount: bot.senderCount,
    status: bot.status,
    expiresAt: new Date(expiresAt),
    sendersReleased: status.sendersReleased,
  };
  const changes = running
    ? (products.data ?? [])
        .filter((p) => p.available && p.slug !== running.plan.slug)
        .sort((a, b) => a.priceUsd - b.priceUsd)
        .map((p) => ({ slug: p.slug, ...planChangeOption(p, running, new Date(now)) }))
    : [];
  const hasUpgrade = changes.some((c) => c.upgrade);
  // Starting is impossible here, so paying is the way forward.
  const renewFirst = bot.status === 'expired' || bot.status === 'suspended';
  const p = pill[bot.status];

  return (
    <section className="card dash-header" aria-labelledby="plan-heading">
      <div className="dash-title">
        <div>
          <p className="eyebrow">Your plan</p>
          <h1 id="plan-heading" data-testid="plan-name">
            {bot.planName ?? status.plan?.name ?? 'Your plan'}{' '}
            <span className={`pill ${p.cls}`} data-testid="bot-status">
              {p.label}
            </span>
          </h1>
          <p className="muted small">
            {bot.senders.length} {bot.senders.length === 1 ? 'bot' : 'bots'} · posts {intervalInWords(bot.postingIntervalSeconds)}
            {expiresAt && (
              <>
                {' · '}
                <span title={exactTime(expiresAt)} data-testid="expiry">
                  {left !== null && left > 0 ? `${formatCountdown(left)} left` : `expired ${exactTime(expiresAt)}`}
                </span>
              </>
            )}
          </p>
        </div>
        <div className="dash-actions">
          {planSlug && (
            <Link className={`btn ${renewFirst ? 'btn-primary' : 'btn-secondary'}`} to={checkoutHref(planSlug, status.email)} data-testid="renew-link">
              Renew{current ? ` — ${formatUsd(current.priceUsd)}, adds ${current.validityDays} days` : ''}
            </Link>
          )}
          {changes.length > 0 && (
            <details className="menu" data-testid="plan-menu">
              <summary className="btn btn-secondary">{hasUpgrade ? 'Upgrade' : 'Change plan'}</summary>
              <ul className="menu-list">
                {changes.map((c) => (
                  <li key={c.slug}>
                    {c.payable ? (
                      <Link to={checkoutHref(c.slug, status.email)}>
                        <strong>{c.label}</strong>
                        <span className="menu-effect">{c.effect}</span>
                      </Link>
                    ) : (
                      <div className="menu-disabled" aria-disabled="true" data-testid={`plan-change-${c.slug}`}>
                        <strong>{c.label}</strong>
                        <span className="menu-effect">{c.effect}</span>
                      </div>
                    )}
                  </li>
                ))}
              </ul>
            </details>
          )}
          {renewFirst ? null : bot.status === 'running' ? (
            <button key="stop" type="button" className="btn btn-secondary" onClick={() => setConfirmStop(true)} disabled={toggle.isPending || confirmStop}>
              Stop posting
            </button>
          ) : (
            <button key="start" type="button" className="btn btn-primary" disabled={toggle.isPending} onClick={() => toggle.mutate('start')}>
              {toggle.isPending ? 'Starting…' : 'Start posting'}
            </button>
          )}
        </div>
      </div>
      {confirmStop && (
        <div className="notice notice-warning confirm" role="alertdialog" aria-labelledby="stop-q">
          <p id="stop-q">Stop posting? No more ads go out until you start again. Your plan time keeps running.</p>
          <div className="row-actions">
            <button
              type="button"
              className="btn btn-danger btn-sm"
              autoFocus
              onClick={() => toggle.mutate('stop', { onSettled: () => setConfirmStop(false) })}
              disabled={toggle.isPending}
            >
              Yes, stop posting
            </button>
            <button type="button" className="btn btn-secondary btn-sm" onClick={() => setConfirmStop(false)}>
              Keep running
            </button>
          </div>
        </div>
      )}
      {toggle.isError && (
        <p className="notice notice-error" role="alert" data-testid="toggle-error">
          {toggle.error instanceof ApiError ? toggle.error.message : 'Something went wrong. Try again.'}
        </p>
      )}
      {bot.status === 'expired' && (
        <p className="notice notice-warning">Your plan has expired and posting stopped. Renew within 3 days to keep the same bots in your groups.</p>
      )}
      {bot.status === 'suspended' && (
        <p className="notice notice-warning">
          This bot is suspended by support. Write to <SupportLink subject="Suspended bot" /> to find out why.
        </p>
      )}
    </section>
  );
}
