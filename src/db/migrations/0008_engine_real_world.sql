CREATE TABLE "discovered_chats" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"adbot_id" uuid NOT NULL,
	"sender_id" uuid,
	"chat_id" bigint NOT NULL,
	"chat_type" text NOT NULL,
	"title" text,
	"username" text,
	"status" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "engine_workers" (
	"id" text PRIMARY KEY NOT NULL,
	"seen_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "adbots" ADD COLUMN "ad_error" text;--> statement-breakpoint
ALTER TABLE "adbots" ADD COLUMN "ad_error_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "posts" ADD COLUMN "due_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "target_chats" ADD COLUMN "post_seq" bigint DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "target_chats" ADD COLUMN "slow_mode_seconds" integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "target_chats" ADD COLUMN "check_failures" integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "target_chats" ADD COLUMN "next_check_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "senders" ADD COLUMN "lease_owner" text;--> statement-breakpoint
ALTER TABLE "senders" ADD COLUMN "lease_until" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "senders" ADD COLUMN "updates_offset" bigint;--> statement-breakpoint
ALTER TABLE "senders" ADD COLUMN "webhook_url" text;--> statement-breakpoint
ALTER TABLE "discovered_chats" ADD CONSTRAINT "discovered_chats_adbot_id_adbots_id_fk" FOREIGN KEY ("adbot_id") REFERENCES "public"."adbots"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "discovered_chats" ADD CONSTRAINT "discovered_chats_sender_id_senders_id_fk" FOREIGN KEY ("sender_id") REFERENCES "public"."senders"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "discovered_chats_adbot_chat_uq" ON "discovered_chats" USING btree ("adbot_id","chat_id");--> statement-breakpoint
CREATE INDEX "posts_chat_created_idx" ON "posts" USING btree ("target_chat_id","created_at");--> statement-breakpoint
CREATE INDEX "target_chats_due_idx" ON "target_chats" USING btree ("next_post_at" NULLS FIRST) WHERE "target_chats"."status" = 'ok' and "target_chats"."position" >= 0;--> statement-breakpoint
CREATE INDEX "target_chats_check_idx" ON "target_chats" USING btree ("next_check_at") WHERE "target_chats"."status" <> 'ok' and "target_chats"."position" >= 0;--> statement-breakpoint
CREATE INDEX "target_chats_sender_idx" ON "target_chats" USING btree ("sender_id");--> statement-breakpoint
CREATE INDEX "senders_lease_idx" ON "senders" USING btree ("lease_owner");--> statement-breakpoint
UPDATE "target_chats" SET "post_seq" = coalesce((SELECT max("slot") FROM "posts" WHERE "posts"."target_chat_id" = "target_chats"."id"), 0);
