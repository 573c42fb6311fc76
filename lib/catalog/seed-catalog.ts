/**
 * The marketplace event catalog seeded at first start. Every schema is JSON Schema draft 2020-12
 * and every example validates against its schema (tests/unit/seed-catalog.test.ts proves it).
 * Shared pieces are built by functions so each stored schema is self-contained.
 */
export interface CatalogExample {
  name: string;
  payload: Record<string, unknown>;
}

export interface CatalogEntry {
  name: string;
  description: string;
  deprecated?: boolean;
  schema: Record<string, unknown>;
  examples: CatalogExample[];
}

const DRAFT = "https://json-schema.org/draft/2020-12/schema";

const marketplace = () => ({
  type: "string",
  enum: ["aws", "azure", "gcp"],
  description: "Cloud marketplace the event comes from.",
});

const money = (description: string) => ({
  type: "object",
  description,
  required: ["amount", "currency"],
  additionalProperties: false,
  properties: {
    amount: { type: "string", pattern: "^-?\\d+(\\.\\d{1,6})?$", description: "Decimal amount as a string, to keep precision." },
    currency: { type: "string", pattern: "^[A-Z]{3}$", description: "ISO 4217 currency code." },
  },
});

const buyerRef = () => ({
  type: "object",
  description: "The buyer (customer account) on the marketplace.",
  required: ["id", "name", "marketplace_account_id"],
  properties: {
    id: { type: "string", pattern: "^buy_[0-9A-Za-z]+$", description: "HookRelay buyer id." },
    name: { type: "string", minLength: 1, description: "Company name as registered on the marketplace." },
    marketplace_account_id: { type: "string", description: "Account id of the buyer on the marketplace (AWS account, Azure tenant, GCP billing account)." },
    email: { type: "string", format: "email", description: "Billing contact, when the marketplace shares it." },
  },
});

const dimension = () => ({
  type: "object",
  required: ["key", "quantity"],
  properties: {
    key: { type: "string", pattern: "^[a-z0-9_]+$", description: "Pricing dimension key, as defined in the listing." },
    name: { type: "string", description: "Human-readable dimension name." },
    quantity: { type: "integer", minimum: 0, description: "Units entitled for this dimension." },
  },
});

const contractObject = () => ({
  type: "object",
  description: "The contract after the change.",
  required: ["id", "status", "listing_id", "buyer", "pricing_model", "starts_at", "dimensions"],
  properties: {
    id: { type: "string", pattern: "^ctr_[0-9A-Za-z]+$", description: "Contract id." },
    status: { type: "string", enum: ["pending", "active", "cancelled", "expired"], description: "Lifecycle status." },
    listing_id: { type: "string", pattern: "^lst_[0-9A-Za-z]+$", description: "The listing this contract buys." },
    offer_id: { type: ["string", "null"], description: "Private offer the contract came from; null for public pricing." },
    buyer: buyerRef(),
    pricing_model: { type: "string", enum: ["contract", "usage", "contract_with_usage", "free_trial"], description: "How the buyer is billed." },
    starts_at: { type: "string", format: "date-time", description: "Start of the entitlement." },
    ends_at: { type: ["string", "null"], format: "date-time", description: "End of the current term; null when open-ended." },
    auto_renew: { type: "boolean", description: "Whether the marketplace renews the contract at the end of the term." },
    total_value: money("Total contract value for the term."),
    dimensions: { type: "array", items: dimension(), description: "Entitled quantities per pricing dimension." },
  },
});

const listingObject = () => ({
  type: "object",
  required: ["id", "title", "marketplace", "status", "pricing"],
  properties: {
    id: { type: "string", pattern: "^lst_[0-9A-Za-z]+$", description: "Listing id." },
    title: { type: "string", minLength: 1, maxLength: 200, description: "Product title shown on the marketplace." },
    marketplace: marketplace(),
    status: { type: "string", enum: ["draft", "limited", "public", "restricted"], description: "Visibility on the marketplace." },
    product_url: { type: "string", format: "uri", description: "Public page of the listing." },
    categories: { type: "array", items: { type: "string" }, description: "Marketplace categories." },
    pricing: {
      type: "object",
      description: "Public pricing of the listing.",
      required: ["model", "dimensions"],
      properties: {
        model: { type: "string", enum: ["contract", "usage", "contract_with_usage", "free"], description: "Pricing model." },
        dimensions: {
          type: "array",
          items: {
            type: "object",
            required: ["key", "unit", "price"],
            properties: {
              key: { type: "string", pattern: "^[a-z0-9_]+$", description: "Dimension key." },
              unit: { type: "string", enum: ["units", "users", "hosts", "gb", "requests", "hours"], description: "What one unit counts." },
              price: money("Price per unit."),
            },
          },
          description: "Priced dimensions.",
        },
      },
    },
  },
});

const offerObject = () => ({
  type: "object",
  required: ["id", "listing_id", "buyer", "status", "expires_at", "price"],
  properties: {
    id: { type: "string", pattern: "^off_[0-9A-Za-z]+$", description: "Private offer id." },
    listing_id: { type: "string", pattern: "^lst_[0-9A-Za-z]+$", description: "Listing the offer is for." },
    buyer: buyerRef(),
    status: { type: "string", enum: ["draft", "extended", "accepted", "expired", "withdrawn"], description: "Offer status." },
    expires_at: { type: "string", format: "date-time", description: "The buyer must accept before this time." },
    duration_months: { type: "integer", minimum: 1, maximum: 60, description: "Contract length the offer grants." },
    price: money("Total price offered."),
    discount_percent: { type: "number", minimum: 0, maximum: 100, description: "Discount relative to public pricing." },
    seller_notes: { type: "string", maxLength: 2000, description: "Notes the seller attached for the buyer." },
  },
});

const occurredAt = () => ({ type: "string", format: "date-time", description: "When the event happened on the marketplace." });

const object = (description: string, required: string[], properties: Record<string, unknown>) => ({
  $schema: DRAFT,
  type: "object",
  description,
  required,
  properties,
});

const buyer = { id: "buy_7Hq2LmR", name: "Northwind Traders", marketplace_account_id: "123456789012", email: "billing@northwind.example" };
const contract = {
  id: "ctr_9fK2pQ",
  status: "active",
  listing_id: "lst_4Dx81a",
  offer_id: "off_Za71Kq",
  buyer,
  pricing_model: "contract_with_usage",
  starts_at: "2026-03-01T00:00:00Z",
  ends_at: "2027-02-28T23:59:59Z",
  auto_renew: true,
  total_value: { amount: "24000.00", currency: "USD" },
  dimensions: [
    { key: "seats", name: "Seats", quantity: 50 },
    { key: "api_calls", name: "API calls (millions)", quantity: 10 },
  ],
};
const listing = {
  id: "lst_4Dx81a",
  title: "Acme Observability Platform",
  marketplace: "aws",
  status: "public",
  product_url: "https://aws.amazon.com/marketplace/pp/prodview-acme",
  categories: ["Monitoring", "DevOps"],
  pricing: {
    model: "contract_with_usage",
    dimensions: [
      { key: "seats", unit: "users", price: { amount: "40.00", currency: "USD" } },
      { key: "api_calls", unit: "requests", price: { amount: "0.000020", currency: "USD" } },
    ],
  },
};
const offer = {
  id: "off_Za71Kq",
  listing_id: "lst_4Dx81a",
  buyer,
  status: "extended",
  expires_at: "2026-02-28T23:59:59Z",
  duration_months: 12,
  price: { amount: "24000.00", currency: "USD" },
  discount_percent: 15,
  seller_notes: "Includes onboarding workshop.",
};

export const SEED_CATALOG: CatalogEntry[] = [
  {
    name: "listing.published",
    description: "A listing became visible on a marketplace (publicly or to a limited audience).",
    schema: object("Payload of listing.published.", ["listing", "occurred_at"], { listing: listingObject(), occurred_at: occurredAt() }),
    examples: [{ name: "Public AWS listing", payload: { listing, occurred_at: "2026-01-10T09:00:00Z" } }],
  },
  {
    name: "listing.updated",
    description: "A published listing changed: title, categories or pricing.",
    schema: object("Payload of listing.updated.", ["listing", "changed_fields", "occurred_at"], {
      listing: listingObject(),
      changed_fields: {
        type: "array",
        minItems: 1,
        items: { type: "string", enum: ["title", "categories", "pricing", "status", "product_url"] },
        description: "Top-level listing fields that changed.",
      },
      occurred_at: occurredAt(),
    }),
    examples: [
      {
        name: "Price change",
        payload: { listing, changed_fields: ["pricing"], occurred_at: "2026-02-01T12:00:00Z" },
      },
    ],
  },
  {
    name: "listing.unpublished",
    description: "A listing was removed from a marketplace. Existing contracts continue until they end.",
    schema: object("Payload of listing.unpublished.", ["listing_id", "marketplace", "reason", "occurred_at"], {
      listing_id: { type: "string", pattern: "^lst_[0-9A-Za-z]+$", description: "Listing id." },
      marketplace: marketplace(),
      reason: { type: "string", enum: ["seller_request", "policy_violation", "marketplace_review"], description: "Why it was removed." },
      occurred_at: occurredAt(),
    }),
    examples: [
      { name: "Seller request", payload: { listing_id: "lst_4Dx81a", marketplace: "aws", reason: "seller_request", occurred_at: "2026-06-30T00:00:00Z" } },
    ],
  },
  {
    name: "contract.created",
    description: "A buyer subscribed: a new contract exists and the buyer is entitled from `starts_at`.",
    schema: object("Payload of contract.created.", ["contract", "marketplace", "occurred_at"], {
      contract: contractObject(),
      marketplace: marketplace(),
      occurred_at: occurredAt(),
    }),
    examples: [
      { name: "Private offer accepted", payload: { contract, marketplace: "aws", occurred_at: "2026-03-01T00:00:02Z" } },
      {
        name: "Public usage-based subscription",
        payload: {
          contract: { ...contract, id: "ctr_1aB2c3", offer_id: null, pricing_model: "usage", ends_at: null, auto_renew: false, dimensions: [] },
          marketplace: "gcp",
          occurred_at: "2026-03-04T15:30:00Z",
        },
      },
    ],
  },
  {
    name: "contract.modified",
    description: "A contract's quantities, term or price changed (upgrade, downgrade or amendment).",
    schema: object("Payload of contract.modified.", ["contract", "change_type", "previous", "marketplace", "occurred_at"], {
      contract: contractObject(),
      change_type: { type: "string", enum: ["upgrade", "downgrade", "amendment"], description: "Kind of modification." },
      previous: {
        type: "object",
        description: "Values before the change.",
        required: ["dimensions"],
        properties: {
          dimensions: { type: "array", items: dimension(), description: "Quantities before the change." },
          ends_at: { type: ["string", "null"], format: "date-time", description: "Previous end of term." },
          total_value: money("Previous total contract value."),
        },
      },
      marketplace: marketplace(),
      occurred_at: occurredAt(),
    }),
    examples: [
      {
        name: "Seats upgraded",
        payload: {
          contract: { ...contract, dimensions: [{ key: "seats", name: "Seats", quantity: 80 }, contract.dimensions[1]] },
          change_type: "upgrade",
          previous: { dimensions: contract.dimensions, ends_at: contract.ends_at, total_value: contract.total_value },
          marketplace: "aws",
          occurred_at: "2026-05-12T10:20:00Z",
        },
      },
    ],
  },
  {
    name: "contract.cancelled",
    description: "A contract was cancelled by the buyer, the seller or the marketplace. Entitlement ends at `effective_at`.",
    schema: object("Payload of contract.cancelled.", ["contract", "cancelled_by", "effective_at", "marketplace", "occurred_at"], {
      contract: contractObject(),
      cancelled_by: { type: "string", enum: ["buyer", "seller", "marketplace"], description: "Who cancelled." },
      reason: { type: "string", maxLength: 1000, description: "Free-text reason, when given." },
      effective_at: { type: "string", format: "date-time", description: "When access must end." },
      refund: money("Refund issued, if any."),
      marketplace: marketplace(),
      occurred_at: occurredAt(),
    }),
    examples: [
      {
        name: "Buyer cancelled with refund",
        payload: {
          contract: { ...contract, status: "cancelled" },
          cancelled_by: "buyer",
          reason: "Moving to another vendor",
          effective_at: "2026-07-01T00:00:00Z",
          refund: { amount: "8000.00", currency: "USD" },
          marketplace: "aws",
          occurred_at: "2026-06-15T08:00:00Z",
        },
      },
    ],
  },
  {
    name: "contract.renewed",
    description: "A contract was renewed for a new term, automatically or by the buyer.",
    schema: object("Payload of contract.renewed.", ["contract", "renewal", "marketplace", "occurred_at"], {
      contract: contractObject(),
      renewal: {
        type: "object",
        required: ["kind", "previous_ends_at", "term_months"],
        description: "Details of the renewal.",
        properties: {
          kind: { type: "string", enum: ["automatic", "manual"], description: "How it was renewed." },
          previous_ends_at: { type: "string", format: "date-time", description: "End of the previous term." },
          term_months: { type: "integer", minimum: 1, maximum: 60, description: "Length of the new term." },
        },
      },
      marketplace: marketplace(),
      occurred_at: occurredAt(),
    }),
    examples: [
      {
        name: "Automatic yearly renewal",
        payload: {
          contract: { ...contract, starts_at: "2027-03-01T00:00:00Z", ends_at: "2028-02-29T23:59:59Z" },
          renewal: { kind: "automatic", previous_ends_at: "2027-02-28T23:59:59Z", term_months: 12 },
          marketplace: "aws",
          occurred_at: "2027-03-01T00:00:05Z",
        },
      },
    ],
  },
  {
    name: "contract.upgraded",
    description: "Deprecated: use `contract.modified` with `change_type: \"upgrade\"`, which also covers downgrades and amendments.",
    deprecated: true,
    schema: object("Payload of contract.upgraded.", ["contract_id", "dimensions", "occurred_at"], {
      contract_id: { type: "string", pattern: "^ctr_[0-9A-Za-z]+$", description: "Contract id." },
      dimensions: { type: "array", items: dimension(), description: "New quantities." },
      occurred_at: occurredAt(),
    }),
    examples: [
      { name: "Seats upgraded", payload: { contract_id: "ctr_9fK2pQ", dimensions: [{ key: "seats", quantity: 80 }], occurred_at: "2026-05-12T10:20:00Z" } },
    ],
  },
  {
    name: "offer.created",
    description: "A private offer was extended to a buyer.",
    schema: object("Payload of offer.created.", ["offer", "marketplace", "occurred_at"], { offer: offerObject(), marketplace: marketplace(), occurred_at: occurredAt() }),
    examples: [{ name: "Twelve-month offer", payload: { offer, marketplace: "aws", occurred_at: "2026-02-01T16:00:00Z" } }],
  },
  {
    name: "offer.accepted",
    description: "The buyer accepted a private offer; a `contract.created` follows.",
    schema: object("Payload of offer.accepted.", ["offer", "contract_id", "accepted_by", "marketplace", "occurred_at"], {
      offer: offerObject(),
      contract_id: { type: "string", pattern: "^ctr_[0-9A-Za-z]+$", description: "Contract created from the offer." },
      accepted_by: { type: "string", format: "email", description: "Who accepted on the buyer's side." },
      marketplace: marketplace(),
      occurred_at: occurredAt(),
    }),
    examples: [
      {
        name: "Accepted",
        payload: { offer: { ...offer, status: "accepted" }, contract_id: "ctr_9fK2pQ", accepted_by: "cto@northwind.example", marketplace: "aws", occurred_at: "2026-02-20T11:45:00Z" },
      },
    ],
  },
  {
    name: "offer.expired",
    description: "A private offer passed its expiry without being accepted.",
    schema: object("Payload of offer.expired.", ["offer", "marketplace", "occurred_at"], { offer: offerObject(), marketplace: marketplace(), occurred_at: occurredAt() }),
    examples: [{ name: "Expired", payload: { offer: { ...offer, status: "expired" }, marketplace: "aws", occurred_at: "2026-03-01T00:00:00Z" } }],
  },
  {
    name: "buyer.registered",
    description: "A buyer completed registration on your fulfilment page after subscribing.",
    schema: object("Payload of buyer.registered.", ["buyer", "contact", "marketplace", "occurred_at"], {
      buyer: buyerRef(),
      contact: {
        type: "object",
        required: ["name", "email"],
        description: "The person who registered.",
        properties: {
          name: { type: "string", minLength: 1, description: "Full name." },
          email: { type: "string", format: "email", description: "Work email." },
          phone: { type: "string", pattern: "^\\+[1-9]\\d{6,14}$", description: "E.164 phone number." },
        },
      },
      marketplace: marketplace(),
      occurred_at: occurredAt(),
    }),
    examples: [
      {
        name: "Registration",
        payload: {
          buyer,
          contact: { name: "Dana Whitfield", email: "dana@northwind.example", phone: "+14155550123" },
          marketplace: "aws",
          occurred_at: "2026-03-01T00:10:00Z",
        },
      },
    ],
  },
  {
    name: "buyer.updated",
    description: "A buyer's company details or billing contact changed.",
    schema: object("Payload of buyer.updated.", ["buyer", "changed_fields", "occurred_at"], {
      buyer: buyerRef(),
      changed_fields: { type: "array", minItems: 1, items: { type: "string", enum: ["name", "email"] }, description: "Fields that changed." },
      occurred_at: occurredAt(),
    }),
    examples: [{ name: "New billing contact", payload: { buyer, changed_fields: ["email"], occurred_at: "2026-04-02T09:00:00Z" } }],
  },
  {
    name: "metering.usage_reported",
    description: "Usage records were accepted by the marketplace for billing.",
    schema: object("Payload of metering.usage_reported.", ["contract_id", "records", "marketplace", "occurred_at"], {
      contract_id: { type: "string", pattern: "^ctr_[0-9A-Za-z]+$", description: "Contract the usage is billed to." },
      records: {
        type: "array",
        minItems: 1,
        description: "Accepted usage records.",
        items: {
          type: "object",
          required: ["dimension", "quantity", "period_start", "period_end", "status"],
          properties: {
            dimension: { type: "string", pattern: "^[a-z0-9_]+$", description: "Pricing dimension key." },
            quantity: { type: "integer", minimum: 0, description: "Units consumed in the period." },
            period_start: { type: "string", format: "date-time", description: "Start of the metered hour." },
            period_end: { type: "string", format: "date-time", description: "End of the metered hour." },
            status: { type: "string", enum: ["accepted", "duplicate"], description: "Marketplace verdict." },
            marketplace_record_id: { type: "string", description: "Id assigned by the marketplace." },
          },
        },
      },
      marketplace: marketplace(),
      occurred_at: occurredAt(),
    }),
    examples: [
      {
        name: "Hourly API usage",
        payload: {
          contract_id: "ctr_9fK2pQ",
          records: [
            { dimension: "api_calls", quantity: 125000, period_start: "2026-03-02T10:00:00Z", period_end: "2026-03-02T11:00:00Z", status: "accepted", marketplace_record_id: "mr-8812" },
          ],
          marketplace: "aws",
          occurred_at: "2026-03-02T11:05:00Z",
        },
      },
    ],
  },
  {
    name: "metering.usage_failed",
    description: "The marketplace rejected usage records; fix and resubmit them before the metering deadline.",
    schema: object("Payload of metering.usage_failed.", ["contract_id", "dimension", "quantity", "error", "marketplace", "occurred_at"], {
      contract_id: { type: "string", pattern: "^ctr_[0-9A-Za-z]+$", description: "Contract the usage was billed to." },
      dimension: { type: "string", pattern: "^[a-z0-9_]+$", description: "Pricing dimension key." },
      quantity: { type: "integer", minimum: 0, description: "Units in the rejected record." },
      error: {
        type: "object",
        required: ["code", "message", "retryable"],
        description: "Why the marketplace rejected the record.",
        properties: {
          code: { type: "string", enum: ["invalid_dimension", "contract_inactive", "deadline_passed", "throttled"], description: "Stable error code." },
          message: { type: "string", description: "Marketplace message." },
          retryable: { type: "boolean", description: "Whether resubmitting can succeed." },
        },
      },
      marketplace: marketplace(),
      occurred_at: occurredAt(),
    }),
    examples: [
      {
        name: "Unknown dimension",
        payload: {
          contract_id: "ctr_9fK2pQ",
          dimension: "storage_gb",
          quantity: 40,
          error: { code: "invalid_dimension", message: "Dimension storage_gb is not part of this product", retryable: false },
          marketplace: "aws",
          occurred_at: "2026-03-02T11:06:00Z",
        },
      },
    ],
  },
];
