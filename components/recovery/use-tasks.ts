"use client";

import { useQuery, useQueryClient } from "@tanstack/react-query";
import { listTasksAction } from "@/actions/recovery";
import { pollInterval } from "@/components/recovery/poll";

export { isActive } from "@/components/recovery/poll";

const key = (org: string, endpointId: string | null) => ["recovery-tasks", org, endpointId] as const;

/** The latest operations of an endpoint (or of the organization, `endpointId` null), polled while one runs or its deliveries are pending. */
export function useTasks(org: string, endpointId: string | null) {
  return useQuery({
    queryKey: key(org, endpointId),
    queryFn: async () => {
      const result = await listTasksAction({ org, ...(endpointId ? { endpointId } : {}) });
      if (!result.ok) throw new Error(result.error);
      return result.data;
    },
    refetchInterval: (query) => pollInterval(query.state.data),
    staleTime: 0,
  });
}

/** After starting or cancelling an operation: re-read the list at once (which restarts the polling). */
export function useRefreshTasks(org: string, endpointId: string | null) {
  const client = useQueryClient();
  return () => client.invalidateQueries({ queryKey: key(org, endpointId) });
}
