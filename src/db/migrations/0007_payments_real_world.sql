ALTER TABLE "payments" DROP CONSTRAINT "payments_order_id_unique";--> statement-breakpoint
ALTER TABLE "users" ADD COLUMN "checkout_session_version" integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "orders" ADD COLUMN "credited_days" integer;--> statement-breakpoint
ALTER TABLE "payments" ADD COLUMN "parent_provider_payment_id" text;--> statement-breakpoint
ALTER TABLE "payments" ADD COLUMN "network" text;--> statement-breakpoint
ALTER TABLE "payments" ADD COLUMN "payin_extra_id" text;--> statement-breakpoint
ALTER TABLE "payments" ADD COLUMN "estimate_expires_at" timestamp with time zone;--> statement-breakpoint
CREATE INDEX "payments_order_idx" ON "payments" USING btree ("order_id");--> statement-breakpoint
CREATE UNIQUE INDEX "payments_order_invoice_uq" ON "payments" USING btree ("order_id") WHERE "payments"."parent_provider_payment_id" is null;