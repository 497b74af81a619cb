-- CreateEnum
CREATE TYPE "coupons"."redemption_status" AS ENUM ('REDEEMED', 'RELEASED');

-- CreateEnum
CREATE TYPE "products"."reservation_status" AS ENUM ('RESERVED', 'RELEASED');

-- AlterTable
ALTER TABLE "coupons"."coupons" ADD COLUMN     "redemption_count" INTEGER NOT NULL DEFAULT 0,
ADD COLUMN     "starts_at" TIMESTAMPTZ(3);

-- AlterTable (hand-edited: a generated column, so every write keeps the search document current)
ALTER TABLE "products"."products" ADD COLUMN "search_vector" tsvector GENERATED ALWAYS AS (
    setweight(to_tsvector('english', coalesce("name", '')), 'A') ||
    setweight(to_tsvector('simple', coalesce("sku", '')), 'B') ||
    setweight(to_tsvector('english', coalesce("description", '')), 'C')
) STORED;

-- CreateTable
CREATE TABLE "coupons"."coupon_claims" (
    "coupon_code" VARCHAR(64) NOT NULL,
    "user_id" UUID NOT NULL,
    "claimed_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "coupon_claims_pkey" PRIMARY KEY ("coupon_code","user_id")
);

-- CreateTable
CREATE TABLE "coupons"."coupon_redemptions" (
    "id" UUID NOT NULL,
    "coupon_code" VARCHAR(64) NOT NULL,
    "user_id" UUID NOT NULL,
    "order_id" UUID NOT NULL,
    "discount_amount" INTEGER NOT NULL,
    "status" "coupons"."redemption_status" NOT NULL DEFAULT 'REDEEMED',
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "released_at" TIMESTAMPTZ(3),

    CONSTRAINT "coupon_redemptions_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "products"."stock_adjustments" (
    "id" UUID NOT NULL,
    "product_id" UUID NOT NULL,
    "delta" INTEGER NOT NULL,
    "reason" VARCHAR(500) NOT NULL,
    "stock_after" INTEGER NOT NULL,
    "actor_id" UUID NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "stock_adjustments_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "products"."stock_reservations" (
    "order_id" UUID NOT NULL,
    "product_id" UUID NOT NULL,
    "quantity" INTEGER NOT NULL,
    "status" "products"."reservation_status" NOT NULL DEFAULT 'RESERVED',
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "released_at" TIMESTAMPTZ(3),

    CONSTRAINT "stock_reservations_pkey" PRIMARY KEY ("order_id","product_id")
);

-- CreateTable
CREATE TABLE "users"."partner_clients" (
    "id" UUID NOT NULL,
    "name" VARCHAR(200) NOT NULL,
    "manifest_id" VARCHAR(100) NOT NULL,
    "key_prefix" VARCHAR(16) NOT NULL,
    "key_hash" VARCHAR(64) NOT NULL,
    "created_by" UUID NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "revoked_at" TIMESTAMPTZ(3),

    CONSTRAINT "partner_clients_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "coupon_claims_user_id_idx" ON "coupons"."coupon_claims"("user_id");

-- CreateIndex
CREATE UNIQUE INDEX "coupon_redemptions_order_id_key" ON "coupons"."coupon_redemptions"("order_id");

-- CreateIndex
CREATE INDEX "coupon_redemptions_coupon_code_user_id_idx" ON "coupons"."coupon_redemptions"("coupon_code", "user_id");

-- CreateIndex
CREATE INDEX "stock_adjustments_product_id_created_at_idx" ON "products"."stock_adjustments"("product_id", "created_at");

-- CreateIndex
CREATE INDEX "stock_reservations_product_id_idx" ON "products"."stock_reservations"("product_id");

-- CreateIndex
CREATE UNIQUE INDEX "partner_clients_key_prefix_key" ON "users"."partner_clients"("key_prefix");

-- CreateIndex
CREATE INDEX "products_search_vector_idx" ON "products"."products" USING GIN ("search_vector");

-- CreateIndex
CREATE INDEX "products_status_name_id_idx" ON "products"."products"("status", "name", "id");

-- AddForeignKey
ALTER TABLE "coupons"."coupon_claims" ADD CONSTRAINT "coupon_claims_coupon_code_fkey" FOREIGN KEY ("coupon_code") REFERENCES "coupons"."coupons"("code") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "coupons"."coupon_redemptions" ADD CONSTRAINT "coupon_redemptions_coupon_code_fkey" FOREIGN KEY ("coupon_code") REFERENCES "coupons"."coupons"("code") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "products"."stock_adjustments" ADD CONSTRAINT "stock_adjustments_product_id_fkey" FOREIGN KEY ("product_id") REFERENCES "products"."products"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "products"."stock_reservations" ADD CONSTRAINT "stock_reservations_product_id_fkey" FOREIGN KEY ("product_id") REFERENCES "products"."products"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- Hand-written CHECK constraints (Prisma's diff ignores them).
ALTER TABLE "products"."stock_reservations" ADD CONSTRAINT "stock_reservations_quantity_check" CHECK ("quantity" > 0);
ALTER TABLE "products"."stock_adjustments"
    ADD CONSTRAINT "stock_adjustments_delta_check" CHECK ("delta" <> 0),
    ADD CONSTRAINT "stock_adjustments_stock_after_check" CHECK ("stock_after" >= 0);
ALTER TABLE "coupons"."coupons"
    ADD CONSTRAINT "coupons_redemption_count_check"
    CHECK ("redemption_count" >= 0 AND ("max_redemptions" IS NULL OR "redemption_count" <= "max_redemptions")),
    ADD CONSTRAINT "coupons_window_check" CHECK ("starts_at" IS NULL OR "expires_at" IS NULL OR "starts_at" < "expires_at");
ALTER TABLE "coupons"."coupon_redemptions" ADD CONSTRAINT "coupon_redemptions_discount_check" CHECK ("discount_amount" >= 0);
ALTER TABLE "users"."partner_clients" ADD CONSTRAINT "partner_clients_key_hash_check" CHECK (length("key_hash") = 64);
