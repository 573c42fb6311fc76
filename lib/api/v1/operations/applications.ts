import type { AnyOperation } from "@/lib/api/v1/operation";

export const applicationsOperations: AnyOperation[] = [];
