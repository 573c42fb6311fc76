/** `next/cache` needs a Next request store; outside one, revalidation is a no-op. */
export function revalidatePath() {}
export function revalidateTag() {}
export function updateTag() {}
