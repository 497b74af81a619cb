-- CreateEnum
CREATE TYPE "orders"."payment_outcome" AS ENUM ('SUCCEEDED', 'DECLINED', 'INSUFFICIENT_FUNDS', 'TIMED_OUT');

-- AlterEnum
ALTER TYPE "products"."reservation_status" ADD VALUE 'COMMITTED';

-- AlterTable
ALTER TABLE "notifications"."notifications" ADD COLUMN     "event_id" UUID;

-- AlterTable
ALTER TABLE "orders"."orders" ADD COLUMN     "idempotency_key" VARCHAR(100),
ADD COLUMN     "request_hash" VARCHAR(64);

-- AlterTable
ALTER TABLE "products"."stock_reservations" ADD COLUMN     "user_id" UUID;

-- CreateTable
CREATE TABLE "notifications"."notification_preferences" (
    "user_id" UUID NOT NULL,
    "email" BOOLEAN NOT NULL DEFAULT true,
    "sms" BOOLEAN NOT NULL DEFAULT false,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "notification_preferences_pkey" PRIMARY KEY ("user_id")
);

-- CreateTable
CREATE TABLE "notifications"."processed_events" (
    "event_id" UUID NOT NULL,
    "consumer" VARCHAR(100) NOT NULL,
    "processed_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "processed_events_pkey" PRIMARY KEY ("event_id")
);

-- CreateTable
CREATE TABLE "orders"."order_status_changes" (
    "id" UUID NOT NULL,
    "order_id" UUID NOT NULL,
    "from_status" "orders"."order_status",
    "to_status" "orders"."order_status" NOT NULL,
    "actor_id" UUID,
    "reason" VARCHAR(500),
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "order_status_changes_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "orders"."payment_attempts" (
    "id" UUID NOT NULL,
    "order_id" UUID NOT NULL,
    "outcome" "orders"."payment_outcome" NOT NULL,
    "amount" INTEGER NOT NULL,
    "card_last4" VARCHAR(4) NOT NULL,
    "provider_ref" VARCHAR(100),
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "payment_attempts_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "orders"."outbox" (
    "id" UUID NOT NULL,
    "type" VARCHAR(100) NOT NULL,
    "aggregate_id" UUID NOT NULL,
    "payload" JSONB NOT NULL,
    "traceparent" VARCHAR(55),
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "last_error" TEXT,
    "available_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "published_at" TIMESTAMPTZ(3),

    CONSTRAINT "outbox_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "reviews"."verified_purchases" (
    "user_id" UUID NOT NULL,
    "product_id" UUID NOT NULL,
    "order_id" UUID NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "verified_purchases_pkey" PRIMARY KEY ("user_id","product_id","order_id")
);

-- CreateTable
CREATE TABLE "reviews"."product_ratings" (
    "product_id" UUID NOT NULL,
    "review_count" INTEGER NOT NULL DEFAULT 0,
    "rating_sum" INTEGER NOT NULL DEFAULT 0,

    CONSTRAINT "product_ratings_pkey" PRIMARY KEY ("product_id")
);

-- CreateTable
CREATE TABLE "reviews"."processed_events" (
    "event_id" UUID NOT NULL,
    "consumer" VARCHAR(100) NOT NULL,
    "processed_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "processed_events_pkey" PRIMARY KEY ("event_id")
);

-- CreateIndex
CREATE INDEX "order_status_changes_order_id_created_at_idx" ON "orders"."order_status_changes"("order_id", "created_at");

-- CreateIndex
CREATE INDEX "payment_attempts_order_id_created_at_idx" ON "orders"."payment_attempts"("order_id", "created_at");

-- CreateIndex
CREATE INDEX "outbox_published_at_available_at_created_at_idx" ON "orders"."outbox"("published_at", "available_at", "created_at");

-- CreateIndex
CREATE INDEX "verified_purchases_order_id_idx" ON "reviews"."verified_purchases"("order_id");

-- CreateIndex
CREATE UNIQUE INDEX "notifications_event_id_key" ON "notifications"."notifications"("event_id");

-- CreateIndex
CREATE INDEX "orders_status_created_at_idx" ON "orders"."orders"("status", "created_at" DESC);

-- CreateIndex
CREATE UNIQUE INDEX "orders_user_id_idempotency_key_key" ON "orders"."orders"("user_id", "idempotency_key");

-- AddForeignKey
ALTER TABLE "orders"."order_status_changes" ADD CONSTRAINT "order_status_changes_order_id_fkey" FOREIGN KEY ("order_id") REFERENCES "orders"."orders"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "orders"."payment_attempts" ADD CONSTRAINT "payment_attempts_order_id_fkey" FOREIGN KEY ("order_id") REFERENCES "orders"."orders"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- Hand-written: wake the outbox relay (LISTEN outbox) as soon as events commit; the relay also polls.
CREATE FUNCTION "orders"."notify_outbox"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM pg_notify('outbox', TG_TABLE_SCHEMA || '.' || TG_TABLE_NAME);
    RETURN NULL;
END
$$;
CREATE TRIGGER "outbox_notify" AFTER INSERT ON "orders"."outbox"
    FOR EACH STATEMENT EXECUTE FUNCTION "orders"."notify_outbox"();

-- Hand-written CHECK constraints (Prisma's diff ignores them).
ALTER TABLE "orders"."payment_attempts" ADD CONSTRAINT "payment_attempts_amount_check" CHECK ("amount" >= 0);
ALTER TABLE "orders"."outbox" ADD CONSTRAINT "outbox_attempts_check" CHECK ("attempts" >= 0);
ALTER TABLE "reviews"."product_ratings"
    ADD CONSTRAINT "product_ratings_counts_check" CHECK ("review_count" >= 0 AND "rating_sum" BETWEEN "review_count" AND 5 * "review_count");

-- Backfill the rating aggregates from the reviews that already exist.
INSERT INTO "reviews"."product_ratings" ("product_id", "review_count", "rating_sum")
SELECT "product_id", count(*), sum("rating") FROM "reviews"."reviews" GROUP BY "product_id";
