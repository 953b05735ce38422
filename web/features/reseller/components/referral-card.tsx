import { CopyButton } from '../../../components/copy-button';
import type { Reseller } from '../api/get-reseller';

export function ReferralCard({ reseller }: { reseller: Reseller }) {
  return (
    <section className="card referral-card" aria-labelledby="referral-heading">
      <p className="eyebrow">Reseller</p>
      <h1 id="referral-heading">Your referral link</h1>
      <p className="muted">
        Share this link. You earn <strong data-testid="commission-percent">{reseller.commissionPercent}%</strong> of every order placed through it, booked as
        soon as the order is paid and set up.
      </p>
      <div className="copy-row">
        <code className="copy-value referral-link" data-testid="referral-link">
          {reseller.referralLink}
        </code>
        <CopyButton value={reseller.referralLink} label="referral link" />
      </div>
      <p className="small muted referral-code">
        Referral code: <span className="mono">{reseller.referralCode}</span>
        {reseller.email && <> · Signed in as {reseller.email}</>}
      </p>
      {!reseller.active && (
        <p className="notice notice-warning" role="status">
          Your referral link is paused: new orders through it are not credited to you. Your balance is unaffected. Contact support to resume.
        </p>
      )}
    </section>
  );
}
