import { redirect } from "next/navigation";
import { sendEventPath } from "@/lib/routes";

export default function PlatformHome() {
  redirect(sendEventPath());
}
