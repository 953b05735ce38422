import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { AppError } from '../../lib/errors.js';
import { createCheckout } from '../../modules/checkout/create-checkout.js';
import { redeemCheckoutSecret } from '../../modules/checkout/redeem-checkout-secret.js';
import type { AppContext } from '../../platform/app-context.js';
import { setSessionCookie } from '../session-cookie.js';

// Unknown fields (a client's `amount` or `price`) are dropped: the price comes from the plans table.
const createBody = z
  .object({
    email: z
      .string()
      .trim()
      .max(254)
      .pipe(z.email({ error: 'enter a valid email address' })),
    productId: z.uuid({ error: 'must be a plan id' }).optional(),
    slug: z.string().trim().min(1).max(64).optional(),
    currency: z.string().trim().min(1, 'choose a coin').max(32),
    ref: z.string().trim().max(64).nullish(),
  })
  .refine((b) => b.productId || b.slug, { message: 'productId or slug is required', path: ['productId'] });

const redeemBody = z.object({ checkoutSecret: z.string().trim().min(1, 'checkoutSecret is required').max(256) });

export async function checkoutRoutes(app: FastifyInstance, ctx: AppContext): Promise<void> {
  const perMinute = ctx.config.rateLimits.checkoutPerMinute;
  // Per IP comes from the route config; per email is checked once the body is parsed.
  const limitByEmail = app.createRateLimit({
    max: perMinute,
    timeWindow: '1 minute',
    keyGenerator: (req) =>
      `checkout-email:${String((req.body as { email?: unknown })?.email ?? '')
        .trim()
        .toLowerCase()}`,
  });

  app.post('/api/payment/create', { config: { rateLimit: { max: perMinute, timeWindow: '1 minute' } } }, async (req, reply) => {
    const body = createBody.parse(req.body ?? {});
    const limit = await limitByEmail(req);
    if (!limit.isAllowed && limit.isExceeded) {
      throw new AppError('rate_limited', 'Too many checkouts for this email: wait a minute and try again');
    }
    const r = await createCheckout({
      ctx,
      email: body.email,
      productId: body.productId,
      slug: body.slug,
      currency: body.currency,
      ref: body.ref ?? undefined,
    });
    return reply.status(r.created ? 201 : 200).send({
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
    });
  });

  app.post('/api/auth/checkout', async (req, reply) => {
    const { checkoutSecret } = redeemBody.parse(req.body ?? {});
    const r = await redeemCheckoutSecret({ ctx, checkoutSecret });
    setSessionCookie(ctx, reply, r.token);
    return { token: r.token, role: r.role, accessCode: r.accessCode };
  });
}
