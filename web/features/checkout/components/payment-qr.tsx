import QRCode from 'qrcode';
import { useEffect, useState } from 'react';

export function PaymentQr({ uri, label }: { uri: string; label: string }) {
  const [src, setSrc] = useState<string | null>(null);
  useEffect(() => {
    let live = true;
    QRCode.toDataURL(uri, { margin: 1, width: 440, errorCorrectionLevel: 'M' })
      .then((url) => live && setSrc(url))
      .catch(() => live && setSrc(null));
    return () => {
      live = false;
    };
  }, [uri]);
  // The frame keeps its size while the image is generated, so nothing jumps.
  return <div className="qr-frame">{src ? <img src={src} alt={label} width={220} height={220} data-testid="payment-qr" data-uri={uri} /> : null}</div>;
}
