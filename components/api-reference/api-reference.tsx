import { ArrowLeft, ArrowRight } from "lucide-react";
import Link from "next/link";
import { OperationCard } from "@/components/api-reference/operation-card";
import { ReferenceIndex } from "@/components/api-reference/reference-index";
import { EmptyState } from "@/components/ui/empty-state";
import { referenceIndex, type SectionView } from "@/lib/api/v1/reference";
import { apiReferencePath } from "@/lib/routes";

const sectionHref = (org: string, section: SectionView) => `${apiReferencePath(org)}?section=${encodeURIComponent(section.anchor)}`;

/** The sections before and after this one, so the reference can be read front to back. */
function SectionPager({ org, previous, next }: { org: string; previous?: SectionView; next?: SectionView }) {
  const linkClass = "flex min-w-0 items-center gap-2 rounded-lg border px-3 py-2 text-sm outline-none hover:bg-accent focus-visible:ring-2 focus-visible:ring-ring";
  return (
    <nav aria-label="Sections" className="flex flex-wrap justify-between gap-3">
      {previous ? (
        <Link href={sectionHref(org, previous)} className={linkClass}>
          <ArrowLeft className="size-4 shrink-0" aria-hidden />
          <span className="min-w-0">
            <span className="block text-xs text-muted-foreground">Previous section</span>
            {previous.tag}
          </span>
        </Link>
      ) : (
        <span />
      )}
      {next ? (
        <Link href={sectionHref(org, next)} className={`${linkClass} text-right`}>
          <span className="min-w-0">
            <span className="block text-xs text-muted-foreground">Next section</span>
            {next.tag}
          </span>
          <ArrowRight className="size-4 shrink-0" aria-hidden />
        </Link>
      ) : null}
    </nav>
  );
}

/**
 * The API reference: the index of every operation with its filter, beside (on phones: above) one
 * section's operations. An operation's tables are fetched when it is opened, so the page stays
 * small however many operations the document holds. Rendered on the server from the OpenAPI
 * document; the index, its filter and the opened tables run in the browser.
 */
export function ApiReference({ org, sections, section }: { org: string; sections: SectionView[]; section: SectionView | undefined }) {
  if (!section) return <EmptyState title="No operations yet" description="The OpenAPI document declares no operations." />;
  const at = sections.indexOf(section);
  return (
    <div className="lg:grid lg:grid-cols-[16rem_minmax(0,1fr)] lg:gap-8">
      <ReferenceIndex
        sections={referenceIndex(sections)}
        current={section.anchor}
        className="mb-6 lg:sticky lg:top-18 lg:mb-0 lg:flex lg:max-h-[calc(100vh-5.5rem)] lg:flex-col lg:self-start"
      />
      <section aria-labelledby={section.anchor} className="min-w-0 space-y-6" data-testid={`reference-section-${section.anchor}`}>
        <div className="space-y-1">
          <h2 id={section.anchor} className="scroll-mt-20 text-xl font-semibold tracking-tight">
            {section.tag}
          </h2>
          <p className="text-sm text-muted-foreground">
            {section.operations.length === 1 ? "1 operation" : `${section.operations.length} operations`}. Open one to see what it takes and what it answers.
          </p>
        </div>
        {section.operations.map((op) => (
          <OperationCard key={op.anchor} org={org} op={op} />
        ))}
        <SectionPager org={org} previous={sections[at - 1]} next={sections[at + 1]} />
      </section>
    </div>
  );
}
