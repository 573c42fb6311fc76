import type { AnyOperation } from "@/lib/api/v1/operation";

export const backgroundTasksOperations: AnyOperation[] = [];
