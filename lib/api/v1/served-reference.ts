import { referenceSections, type OperationView, type SectionView } from "@/lib/api/v1/reference";
import { openApiDocument } from "@/lib/api/v1/registry";

let sections: SectionView[] | undefined;

/**
 * The reference of the document this server serves, read once per process: the document cannot
 * change while it runs, and walking every schema costs tens of milliseconds a request.
 */
export function servedReference(): SectionView[] {
  return (sections ??= referenceSections(openApiDocument()));
}

export function servedOperation(anchor: string): OperationView | undefined {
  for (const section of servedReference()) {
    const found = section.operations.find((op) => op.anchor === anchor);
    if (found) return found;
  }
  return undefined;
}
