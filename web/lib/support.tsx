import type { ReactNode } from 'react';

// One address for every "contact support" so a customer always has somewhere to go.
export const SUPPORT_EMAIL = 'support@hqadz.example';

export function SupportLink({ subject, className, children }: { subject?: string; className?: string; children?: ReactNode }) {
  const href = `mailto:${SUPPORT_EMAIL}${subject ? `?subject=${encodeURIComponent(subject)}` : ''}`;
  return (
    <a href={href} className={className} data-testid="support-link">
      {children ?? SUPPORT_EMAIL}
    </a>
  );
}
