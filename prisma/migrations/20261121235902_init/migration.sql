-- CreateSchema
CREATE SCHEMA IF NOT EXISTS "coupons";

-- CreateSchema
CREATE SCHEMA IF NOT EXISTS "notifications";

-- CreateSchema
CREATE SCHEMA IF NOT EXISTS "orders";

-- CreateSchema
CREATE SCHEMA IF NOT EXISTS "products";

-- CreateSchema
CREATE SCHEMA IF NOT EXISTS "reviews";

-- CreateSchema
CREATE SCHEMA IF NOT EXISTS "users";

-- CreateEnum
CREATE TYPE "coupons"."coupon_kind" AS ENUM ('PERCENT', 'FIXED');

-- CreateEnum
CREATE TYPE "orders"."order_status" AS ENUM ('PENDING', 'PAID', 'SHIPPED', 'DELIVERED', 'CANCELLED');

-- CreateEnum
CREATE TYPE "products"."product_status" AS ENUM ('ACTIVE', 'ARCHIVED');

-- CreateEnum
CREATE TYPE "users"."role" AS ENUM ('customer', 'admin', 'ops');

-- CreateTable
CREATE TABLE "coupons"."coupons" (
    "code" VARCHAR(64) NOT NULL,
    "description" TEXT NOT NULL DEFAULT '',
    "kind" "coupons"."coupon_kind" NOT NULL,
    "value" INTEGER NOT NULL,
    "currency" VARCHAR(3),
    "min_subtotal_amount" INTEGER NOT NULL DEFAULT 0,
    "max_redemptions" INTEGER,
    "per_user_limit" INTEGER NOT NULL DEFAULT 1,
    "expires_at" TIMESTAMPTZ(3),
    "disabled_at" TIMESTAMPTZ(3),
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "coupons_pkey" PRIMARY KEY ("code")
);

-- CreateTable
CREATE TABLE "notifications"."notifications" (
    "id" UUID NOT NULL,
    "user_id" UUID NOT NULL,
    "kind" VARCHAR(64) NOT NULL,
    "title" VARCHAR(200) NOT NULL,
    "body" TEXT NOT NULL,
    "read_at" TIMESTAMPTZ(3),
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "notifications_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "orders"."orders" (
    "id" UUID NOT NULL,
    "user_id" UUID NOT NULL,
    "status" "orders"."order_status" NOT NULL DEFAULT 'PENDING',
    "subtotal_amount" INTEGER NOT NULL,
    "discount_amount" INTEGER NOT NULL DEFAULT 0,
    "total_amount" INTEGER NOT NULL,
    "currency" VARCHAR(3) NOT NULL,
    "coupon_code" VARCHAR(64),
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "orders_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "orders"."order_items" (
    "id" UUID NOT NULL,
    "order_id" UUID NOT NULL,
    "product_id" UUID NOT NULL,
    "quantity" INTEGER NOT NULL,
    "unit_price_amount" INTEGER NOT NULL,

    CONSTRAINT "order_items_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "products"."categories" (
    "id" UUID NOT NULL,
    "slug" VARCHAR(100) NOT NULL,
    "name" VARCHAR(200) NOT NULL,
    "parent_id" UUID,

    CONSTRAINT "categories_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "products"."products" (
    "id" UUID NOT NULL,
    "sku" VARCHAR(64) NOT NULL,
    "name" VARCHAR(200) NOT NULL,
    "description" TEXT NOT NULL DEFAULT '',
    "price_amount" INTEGER NOT NULL,
    "currency" VARCHAR(3) NOT NULL,
    "status" "products"."product_status" NOT NULL DEFAULT 'ACTIVE',
    "stock" INTEGER NOT NULL DEFAULT 0,
    "reserved" INTEGER NOT NULL DEFAULT 0,
    "category_id" UUID NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "products_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "reviews"."reviews" (
    "id" UUID NOT NULL,
    "user_id" UUID NOT NULL,
    "product_id" UUID NOT NULL,
    "rating" SMALLINT NOT NULL,
    "body" TEXT NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "reviews_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "users"."users" (
    "id" UUID NOT NULL,
    "email" VARCHAR(320) NOT NULL,
    "name" VARCHAR(200) NOT NULL,
    "password_hash" VARCHAR(255) NOT NULL,
    "roles" "users"."role"[] DEFAULT ARRAY['customer']::"users"."role"[],
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "users_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "notifications_user_id_created_at_idx" ON "notifications"."notifications"("user_id", "created_at" DESC);

-- CreateIndex
CREATE INDEX "orders_user_id_created_at_idx" ON "orders"."orders"("user_id", "created_at" DESC);

-- CreateIndex
CREATE INDEX "order_items_order_id_idx" ON "orders"."order_items"("order_id");

-- CreateIndex
CREATE UNIQUE INDEX "categories_slug_key" ON "products"."categories"("slug");

-- CreateIndex
CREATE INDEX "categories_parent_id_idx" ON "products"."categories"("parent_id");

-- CreateIndex
CREATE UNIQUE INDEX "products_sku_key" ON "products"."products"("sku");

-- CreateIndex
CREATE INDEX "products_category_id_idx" ON "products"."products"("category_id");

-- CreateIndex
CREATE INDEX "reviews_product_id_idx" ON "reviews"."reviews"("product_id");

-- CreateIndex
CREATE UNIQUE INDEX "reviews_user_id_product_id_key" ON "reviews"."reviews"("user_id", "product_id");

-- CreateIndex
CREATE UNIQUE INDEX "users_email_key" ON "users"."users"("email");

-- AddForeignKey
ALTER TABLE "orders"."order_items" ADD CONSTRAINT "order_items_order_id_fkey" FOREIGN KEY ("order_id") REFERENCES "orders"."orders"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "products"."categories" ADD CONSTRAINT "categories_parent_id_fkey" FOREIGN KEY ("parent_id") REFERENCES "products"."categories"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "products"."products" ADD CONSTRAINT "products_category_id_fkey" FOREIGN KEY ("category_id") REFERENCES "products"."categories"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- Hand-written CHECK constraints: the Prisma schema cannot express them and its diff ignores them,
-- so they live only here (and in later migrations that change them).
ALTER TABLE "users"."users" ADD CONSTRAINT "users_email_lowercase_check" CHECK ("email" = lower("email"));

ALTER TABLE "products"."products"
    ADD CONSTRAINT "products_price_amount_check" CHECK ("price_amount" >= 0),
    ADD CONSTRAINT "products_stock_check" CHECK ("stock" >= 0),
    ADD CONSTRAINT "products_reserved_check" CHECK ("reserved" >= 0),
    ADD CONSTRAINT "products_reserved_within_stock_check" CHECK ("reserved" <= "stock");

ALTER TABLE "orders"."orders" ADD CONSTRAINT "orders_amounts_check"
    CHECK ("subtotal_amount" >= 0 AND "discount_amount" >= 0 AND "total_amount" >= 0);

ALTER TABLE "orders"."order_items"
    ADD CONSTRAINT "order_items_quantity_check" CHECK ("quantity" > 0),
    ADD CONSTRAINT "order_items_unit_price_amount_check" CHECK ("unit_price_amount" >= 0);

ALTER TABLE "reviews"."reviews" ADD CONSTRAINT "reviews_rating_check" CHECK ("rating" BETWEEN 1 AND 5);

-- PERCENT coupons take 1..100 (%); FIXED ones take a positive amount in minor units of their currency.
ALTER TABLE "coupons"."coupons"
    ADD CONSTRAINT "coupons_value_check" CHECK (
        ("kind" = 'PERCENT' AND "value" BETWEEN 1 AND 100)
        OR ("kind" = 'FIXED' AND "value" > 0 AND "currency" IS NOT NULL)
    ),
    ADD CONSTRAINT "coupons_limits_check" CHECK (
        "min_subtotal_amount" >= 0 AND "per_user_limit" >= 1 AND ("max_redemptions" IS NULL OR "max_redemptions" >= 1)
    );
