/** The test receiver's address before it was renamed: endpoints created then still deliver here. */
export { GET, POST } from "@/app/test-receiver/[token]/route";

export const dynamic = "force-dynamic";
