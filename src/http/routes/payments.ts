import type { IncomingMessage } from 'node:http';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { AppError } from '../../lib/errors.js';
import { getPaymentStatus } from '../../modules/payments/get-payment-status.js';
import { MAX_IPN_BYTES } from '../../modules/payments/ipn-signature.js';
import { listPayCurrencies } from '../../modules/payments/provider.js';
import { type IpnBody, readIpnBody } from '../../modules/payments/read-ipn-body.js';
import { receiveIpn } from '../../modules/payments/receive-ipn.js';
import { simulatePayment } from '../../modules/payments/simulate-payment.js';
import type { AppContext } from '../../platform/app-context.js';
import {
  currencyListSchema,
  ipnBodySchema,
  ipnResultSchema,
  paymentStatusQuerySchema,
  paymentStatusResponseSchema,
  simulatePaymentBodySchema,
  simulatePaymentResultSchema,
} from '../../shared/api/payments.js';
import { optionalUser } from '../auth.js';
import { errorResponses, orEmpty } from '../route-docs.js';

export async function paymentsRoutes(app: FastifyInstance, ctx: AppContext): Promise<void> {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const docs = { tags: ['payments'] };

  r.get(
    '/api/payment/currencies',
    { schema: { ...docs, summary: 'The coins a payment can be made in', response: { 200: currencyListSchema, ...errorResponses(500, 503) } } },
    async () => ({ currencies: await listPayCurrencies(ctx) }),
  );

  // The checkout secret rides in a header, not the query string, so it stays out of access logs.
  r.get(
    '/api/payment/status',
    {
      schema: {
        ...docs,
        summary: 'What the checkout page polls',
        description:
          'The status alone for anyone who knows the payment id; the order, plan, price and pay address too with the `X-Checkout-Secret` header (from creating the payment) or the owner’s session.',
        querystring: paymentStatusQuerySchema,
        security: [{}, { checkoutSecret: [] }, { session: [] }, { bearer: [] }],
        response: { 200: paymentStatusResponseSchema, ...errorResponses(400, 404, 500, 503) },
      },
    },
    async (req) => {
      const secret = req.headers['x-checkout-secret'];
      const viewer = await optionalUser(ctx, req);
      return getPaymentStatus({
        ctx,
        paymentId: req.query.paymentId,
        checkoutSecret: typeof secret === 'string' ? secret : undefined,
        viewerUserId: viewer?.id,
      });
    },
  );

  // Its own scope, so its body parser keeps the exact bytes the signature covers (and
  // stores deliveries that are not even JSON, or too large to read whole). The body schema
  // is documentation only: its validator hands the raw bytes through untouched, and the
  // use case verifies the signature before any field is read.
  await app.register(async (scope) => {
    scope.removeAllContentTypeParsers();
    scope.addContentTypeParser('*', (_req: FastifyRequest, payload: IncomingMessage) => readIpnBody(payload, MAX_IPN_BYTES));
    scope.withTypeProvider<ZodTypeProvider>().post(
      '/api/payment/webhook',
      {
        // Per IP and generous: the provider's retries must never be throttled, a flood from one address is.
        config: { rateLimit: { max: ctx.config.rateLimits.webhookPerMinute, timeWindow: '1 minute' } },
        validatorCompiler: () => (data) => ({ value: data }),
        schema: {
          ...docs,
          summary: 'NOWPayments IPN (instant payment notification)',
          description:
            'Verified on the raw bytes (HMAC-SHA512 in `x-nowpayments-sig`) before anything is parsed, stored whatever it says, and applied like every other source. 200 when applied or already applied.',
          body: ipnBodySchema,
          response: { 200: ipnResultSchema, ...errorResponses(400, 401, 404, 413, 422, 429, 500, 503) },
        },
      },
      async (req) => {
        const body = req.body as unknown as IpnBody | undefined;
        const result = await receiveIpn({ ctx, rawBody: body?.text ?? '', truncated: body?.truncated ?? false, headers: req.headers });
        return { ok: true as const, ...result };
      },
    );
  });

  r.post(
    '/api/payment/simulate',
    {
      // Test mode only, and decided before the body is read: elsewhere the route does not exist.
      onRequest: async (req) => {
        if (!ctx.config.testMode) throw new AppError('not_found', `No route POST ${req.url}`);
      },
      schema: {
        ...docs,
        summary: 'Test mode: deliver the IPN the provider would send for this payment',
        description:
          '`topUp: true` simulates coins sent again to the same address: as at NOWPayments, a new child payment (its own id, `parent_payment_id` = this invoice). ' +
          '422 for an underpayment smaller than what the payment already saw.',
        body: orEmpty(simulatePaymentBodySchema),
        response: { 200: simulatePaymentResultSchema, ...errorResponses(400, 404, 422, 500, 503) },
      },
    },
    async (req) => {
      const { paymentId, status, actuallyPaid, topUp } = req.body;
      return simulatePayment({ ctx, paymentId, status, actuallyPaid, topUp });
    },
  );
}
