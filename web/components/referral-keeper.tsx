import { useEffect } from 'react';
import { useLocation, useNavigate } from 'react-router';
import { rememberReferral } from '../lib/referral';

/**
 * On every page: stores a `?ref=` code, and puts the stored one on a checkout address that
 * lacks it (the checkout sends the URL's code with the order), so attribution survives any
 * path to checkout within 30 days.
 */
export function ReferralKeeper() {
  const location = useLocation();
  const navigate = useNavigate();
  useEffect(() => {
    const params = new URLSearchParams(location.search);
    const code = rememberReferral(params.get('ref'));
    if (location.pathname === '/checkout' && code && params.get('ref') !== code) {
      params.set('ref', code);
      navigate({ pathname: location.pathname, search: `?${params}`, hash: location.hash }, { replace: true, state: location.state });
    }
  }, [location, navigate]);
  return null;
}
