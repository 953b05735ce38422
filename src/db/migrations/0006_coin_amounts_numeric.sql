-- Coin amounts become exact decimals, so they can be compared and summed in SQL too. Values
-- were always decimal strings checked by big.js; an empty one becomes null.
ALTER TABLE "payments" ALTER COLUMN "pay_amount" SET DATA TYPE numeric USING nullif(trim("pay_amount"), '')::numeric;--> statement-breakpoint
ALTER TABLE "payments" ALTER COLUMN "actually_paid" SET DATA TYPE numeric USING nullif(trim("actually_paid"), '')::numeric;--> statement-breakpoint
ALTER TABLE "payments" ALTER COLUMN "surplus_amount" SET DATA TYPE numeric USING nullif(trim("surplus_amount"), '')::numeric;
