ALTER TABLE "emails" ADD COLUMN "sealed_message" text;
--> statement-breakpoint
-- Emails written before this migration hold access codes and license keys in plain text.
-- One still waiting to be sent keeps its full text in sealed_message (marked plain: — SQL
-- cannot seal it) until it is sent; then, as every other, only the masked body remains.
UPDATE "emails" SET "sealed_message" = 'plain:' || json_build_object('subject', "subject", 'text', "body_text")::text
WHERE "status" = 'queued' AND "body_text" ~ '\m(HQ|LK)-[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{3}([0-9A-Z]-[0-9A-Z]{2})\M';
--> statement-breakpoint
-- The same mask as maskSecret() for the codes the app issues (16 random bytes): kind prefix
-- and last four characters kept.
UPDATE "emails" SET "body_text" = regexp_replace("body_text", '\m(HQ|LK)-[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{3}([0-9A-Z]-[0-9A-Z]{2})\M', '\1-••••-••••-••••-••••-••••-•••\2', 'g')
WHERE "body_text" ~ '\m(HQ|LK)-[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{3}([0-9A-Z]-[0-9A-Z]{2})\M';
