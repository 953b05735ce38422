CREATE INDEX "posts_sending_idx" ON "posts" USING btree ("created_at") WHERE "posts"."status" = 'sending';
