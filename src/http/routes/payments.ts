import type { IncomingMessage } from 'node:http';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { AppError } from '../../lib/errors.js';
import { getPaymentStatus } from '../../modules/payments/get-payment-status.js';
import { MAX_IPN_BYTES } from '../../modules/payments/ipn-signature.js';
import { listPayCurrencies } from '../../modules/payments/provider.js';
import { type IpnBody, readIpnBody } from '../../modules/payments/read-ipn-body.js';
import { receiveIpn } from '../../modules/payments/receive-ipn.js';
import { simulatableStatuses, simulatePayment } from '../../modules/payments/simulate-payment.js';
import type { AppContext } from '../../platform/app-context.js';
import { optionalUser } from '../auth.js';

const statusQuery = z.object({ paymentId: z.string({ error: 'paymentId is required' }).trim().min(1, 'paymentId is required').max(100) });

const simulateBody = z.object({
  paymentId: z.union([z.string(), z.number()]).transform(String).pipe(z.string().trim().min(1).max(100)),
  status: z.enum(simulatableStatuses),
  actuallyPaid: z
    .union([z.string(), z.number()])
    .transform(String)
    .pipe(z.string().regex(/^\d+(\.\d+)?$/, 'must be a positive decimal amount'))
    .optional(),
});

export async function paymentsRoutes(app: FastifyInstance, ctx: AppContext): Promise<void> {
  app.get('/api/payment/currencies', async () => ({ currencies: await listPayCurrencies(ctx) }));

  // The checkout secret rides in a header, not the query string, so it stays out of access logs.
  app.get('/api/payment/status', async (req) => {
    const { paymentId } = statusQuery.parse(req.query ?? {});
    const secret = req.headers['x-checkout-secret'];
    const viewer = await optionalUser(ctx, req);
    return getPaymentStatus({ ctx, paymentId, checkoutSecret: typeof secret === 'string' ? secret : undefined, viewerUserId: viewer?.id });
  });

  // Its own scope, so its body parser keeps the exact bytes the signature covers (and
  // stores deliveries that are not even JSON, or too large to read whole).
  await app.register(async (scope) => {
    scope.removeAllContentTypeParsers();
    scope.addContentTypeParser('*', (_req: FastifyRequest, payload: IncomingMessage) => readIpnBody(payload, MAX_IPN_BYTES));
    // Per IP and generous: the provider's retries must never be throttled, a flood from one address is.
    scope.post('/api/payment/webhook', { config: { rateLimit: { max: ctx.config.rateLimits.webhookPerMinute, timeWindow: '1 minute' } } }, async (req) => {
      const body = req.body as IpnBody | undefined;
      const r = await receiveIpn({ ctx, rawBody: body?.text ?? '', truncated: body?.truncated ?? false, headers: req.headers });
      return { ok: true, ...r };
    });
  });

  app.post('/api/payment/simulate', async (req) => {
    if (!ctx.config.testMode) throw new AppError('not_found', `No route POST ${req.url}`);
    const body = simulateBody.parse(req.body ?? {});
    return simulatePayment({ ctx, paymentId: body.paymentId, status: body.status, actuallyPaid: body.actuallyPaid });
  });
}
