import { Link } from 'react-router';
import { CopyButton } from '../../../components/copy-button';
import { exactTime, formatCoinAmount, formatCountdown, formatUsd } from '../../../lib/format';
import { useNow } from '../../../lib/use-now';
import type { PaymentStatus } from '../api/get-payment-status';
import { coinInfo, networkName } from '../lib/coins';
import { walletUri, walletUriPrefills } from '../lib/wallet-uri';
import { PaymentQr } from './payment-qr';

export type PayDetailsProps = {
  s: PaymentStatus;
  address: string;
  /** What to send now: the invoice's amount, or what is still missing after an underpayment. */
  amount: string;
  underpaid: boolean;
};

/** Amount, address, network and memo, each copyable; the QR and the phone's wallet link prefill the amount. */
export function PayDetails({ s, address, amount, underpaid }: PayDetailsProps) {
  const now = useNow();
  const coin = coinInfo(s.payCurrency);
  const network = networkName(s.payCurrency, s.network);
  const amountText = formatCoinAmount(amount, s.payCurrency);
  const uri = walletUri(s.payCurrency, address, amount, s.payinExtraId);
  // No standard link for this coin, or a memo no link can carry: the wallet gets the address only.
  const prefills = walletUriPrefills(s.payCurrency) && !s.payinExtraId;
  const leftMs = s.expiresAt ? new Date(s.expiresAt).getTime() - now : null;
  return (
    <div className="pay-details">
      <div className="pay-qr">
        <PaymentQr uri={uri} label={`QR code to pay ${amountText} ${coin.code}`} />
        {leftMs !== null && (
          <p className={`countdown${leftMs < 5 * 60_000 ? ' urgent' : ''}`} title={`Expires ${exactTime(s.expiresAt!)}`}>
            {leftMs > 0 ? (
              <>
                Expires in <strong data-testid="payment-countdown">{formatCountdown(leftMs)}</strong>
              </>
            ) : (
              'Expiring — checking…'
            )}
          </p>
        )}
        {prefills && (
          // Shown on phones only (styles.css): a desktop rarely has a wallet app to open.
          <a className="btn btn-primary btn-block wallet-link" href={uri} data-testid="open-in-wallet">
            Open in wallet
          </a>
        )}
      </div>
      <div className="pay-fields">
        <div className="copy-field">
          <span className="copy-label">{underpaid ? 'Missing amount' : 'Amount'}</span>
          <div className="copy-row">
            <code className="copy-value" data-testid="pay-amount">
              {amountText} {coin.code}
            </code>
            <CopyButton value={amountText} label="amount" />
          </div>
          {s.priceUsd != null && !underpaid && <span className="field-hint">≈ {formatUsd(s.priceUsd)}</span>}
          {!prefills && <span className="field-hint">Your wallet will not fill this in from the QR code: type or paste it.</span>}
        </div>
        {s.payinExtraId && (
          // Before the address, in a warning box: wallets put the memo in an optional field, and a
          // transfer without it reaches the shared address with nothing to tell whose it is.
          <div className="copy-field notice notice-warning pay-memo" data-testid="pay-memo">
            <span className="copy-label">
              <strong>Memo / destination tag — required</strong>
            </span>
            <div className="copy-row">
              <code className="copy-value" data-testid="pay-extra-id">
                {s.payinExtraId}
              </code>
              <CopyButton value={s.payinExtraId} label="memo" />
            </div>
            <span className="field-hint">
              Enter this memo in your wallet together with the address. Without it the payment cannot be matched to your order.
            </span>
          </div>
        )}
        <div className="copy-field">
          <span className="copy-label">Address on {network}</span>
          <div className="copy-row">
            <code className="copy-value address" data-testid="pay-address">
              {address}
            </code>
            <CopyButton value={address} label="address" />
          </div>
        </div>
        <p className="notice notice-warning small" data-testid="pay-network">
          Send exactly this amount on the <strong>{network}</strong> network{s.payinExtraId ? ', with the memo' : ''}. Another network
          {s.payinExtraId ? ', a missing memo' : ''} or a smaller amount delays or loses your payment.
        </p>
        <p className="small muted">
          This page updates by itself. You can close it — your payment is remembered on this device, and we email you when your bot is ready.{' '}
          <Link to="/login">Already have an access code?</Link>
        </p>
      </div>
    </div>
  );
}
