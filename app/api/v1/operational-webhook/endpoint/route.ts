import { route } from "@/lib/api/v1/registry";

export const dynamic = "force-dynamic";

export const { GET, POST, PUT, PATCH, DELETE, OPTIONS } = route("/api/v1/operational-webhook/endpoint");
