import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { hitBatcher } from '../../db/hit-batcher.js';
import { AppError } from '../../lib/errors.js';
import { cancelCheckout } from '../../modules/checkout/cancel-checkout.js';
import { changeCheckoutCoin } from '../../modules/checkout/change-checkout-coin.js';
import { type CheckoutPayment, createCheckout } from '../../modules/checkout/create-checkout.js';
import { redeemCheckoutSecret } from '../../modules/checkout/redeem-checkout-secret.js';
import type { AppContext } from '../../platform/app-context.js';
import {
  cancelCheckoutBodySchema,
  cancelledCheckoutSchema,
  changeCoinBodySchema,
  changedPaymentSchema,
  checkoutLoginSchema,
  createCheckoutBodySchema,
  createdPaymentSchema,
  redeemCheckoutBodySchema,
} from '../../shared/api/checkout.js';
import { errorResponses, orEmpty } from '../route-docs.js';
import { setSessionCookie } from '../session-cookie.js';

export async function checkoutRoutes(app: FastifyInstance, ctx: AppContext): Promise<void> {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const perMinute = ctx.config.rateLimits.checkoutPerMinute;
  const countHits = hitBatcher({ db: ctx.db, windowMs: 60_000 });
  // Per IP and per email, one statement (both counters, and every checkout of the same event-loop
  // turn: src/db/hit-batcher.ts) before the body is validated, so
  // malformed bodies count against their address as well; the email only once the body names one.
  const limitCheckout = async (req: FastifyRequest) => {
    const raw = (req.body as { email?: unknown } | undefined)?.email;
    const email = typeof raw === 'string' ? raw.trim().toLowerCase() : '';
    const keys = [`checkout-ip:${req.ip}`, ...(email ? [`checkout-email:${email}`] : [])];
    const [byIp, byEmail] = await countHits(keys);
    const over =
      byIp!.hits > perMinute
        ? { hit: byIp!, what: 'from this address' }
        : byEmail && byEmail.hits > perMinute
          ? { hit: byEmail, what: 'for this email' }
          : null;
    if (!over) return;
    const waitSeconds = Math.max(1, Math.ceil((over.hit.resetAt.getTime() - Date.now()) / 1000));
    throw new AppError('rate_limited', `Too many checkouts ${over.what}: wait a minute and try again`, { retryAfterSeconds: waitSeconds });
  };

  r.post(
    '/api/payment/create',
    {
      preValidation: limitCheckout,
      schema: {
        tags: ['checkout'],
        summary: 'Start a purchase: an order and a payment to send coins to',
        description:
          'A pending payment of the same email, plan and coin is handed back (200, without a checkout secret) instead of a new invoice. ' +
          '409 `out_of_stock` when the plan cannot be fulfilled, `payment_in_progress` while a twin request is still creating the invoice.',
        body: orEmpty(createCheckoutBodySchema),
        response: { 200: createdPaymentSchema, 201: createdPaymentSchema, ...errorResponses(400, 403, 404, 409, 422, 429, 500, 502, 503) },
      },
    },
    async (req, reply) => {
      const body = req.body;
      const r = await createCheckout({
        ctx,
        email: body.email,
        productId: body.productId,
        slug: body.slug,
        currency: body.currency,
        ref: body.ref ?? undefined,
      });
      return reply.status(r.created ? 201 : 200).send(createdPaymentBody(r));
    },
  );

  // The checkout secret rides in a header, as for the status poll: only the paying browser holds it.
  const secretOf = (headers: Record<string, unknown>) => {
    const v = headers['x-checkout-secret'];
    return typeof v === 'string' ? v : undefined;
  };

  r.post(
    '/api/payment/cancel',
    {
      config: { rateLimit: { max: perMinute, timeWindow: '1 minute' } },
      schema: {
        tags: ['checkout'],
        summary: 'The paying browser cancels a waiting invoice',
        description:
          'Needs the `X-Checkout-Secret` header (404 without it, as for an unknown payment). The order becomes `cancelled` and its stock is released; ' +
          'coins sent to the address anyway are still honoured. 409 once money has been seen.',
        body: orEmpty(cancelCheckoutBodySchema),
        security: [{ checkoutSecret: [] }],
        response: { 200: cancelledCheckoutSchema, ...errorResponses(400, 404, 409, 429, 500, 503) },
      },
    },
    async (req) => {
      const r = await cancelCheckout({ ctx, paymentId: req.body.paymentId, checkoutSecret: secretOf(req.headers) });
      return { orderId: r.orderId, orderNumber: r.orderNumber, orderStatus: 'cancelled' as const };
    },
  );

  r.post(
    '/api/payment/change-coin',
    {
      config: { rateLimit: { max: perMinute, timeWindow: '1 minute' } },
      schema: {
        tags: ['checkout'],
        summary: 'The paying browser swaps a waiting invoice for one in another coin',
        description:
          'Cancels the waiting invoice (as `/api/payment/cancel`) and starts a new order for the same plan and email in `currency`; ' +
          '`replacesOrderNumber` names the cancelled one. 409 once money has been seen on the old invoice.',
        body: orEmpty(changeCoinBodySchema),
        security: [{ checkoutSecret: [] }],
        response: { 201: changedPaymentSchema, 200: changedPaymentSchema, ...errorResponses(400, 403, 404, 409, 422, 429, 500, 502, 503) },
      },
    },
    async (req, reply) => {
      const { paymentId, currency, ref } = req.body;
      const r = await changeCheckoutCoin({ ctx, paymentId, checkoutSecret: secretOf(req.headers), currency, ref: ref ?? undefined });
      return reply.status(r.created ? 201 : 200).send({ ...createdPaymentBody(r), replacesOrderNumber: r.replacesOrderNumber });
    },
  );

  r.post(
    '/api/auth/checkout',
    {
      schema: {
        tags: ['checkout'],
        summary: "The paying browser's one-time sign-in, with the checkout secret",
        description: '409 `not_ready` until the order is fulfilled; 410 once the secret is used or expired.',
        body: orEmpty(redeemCheckoutBodySchema),
        response: { 200: checkoutLoginSchema, ...errorResponses(400, 401, 403, 409, 410, 500, 503) },
      },
    },
    async (req, reply) => {
      const r = await redeemCheckoutSecret({ ctx, checkoutSecret: req.body.checkoutSecret });
      setSessionCookie(ctx, reply, r.token);
      return { token: r.token, role: r.role, accessCode: r.accessCode };
    },
  );
}

function createdPaymentBody(r: CheckoutPayment) {
  return {
    orderId: r.orderId,
    orderNumber: r.orderNumber,
    paymentId: r.paymentId,
    payAddress: r.payAddress,
    payAmount: r.payAmount,
    payCurrency: r.payCurrency,
    priceUsd: r.priceUsd,
    expiresAt: r.expiresAt.toISOString(),
    status: r.status,
    checkoutSecret: r.checkoutSecret,
  };
}
