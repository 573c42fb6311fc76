import { ChevronDown } from "lucide-react";
import { OperationCard, MethodBadge } from "@/components/api-reference/operation-card";
import { Filtered, FoldedContents, MatchCount, NoMatches, ReferenceFilterProvider, ReferenceSearch } from "@/components/api-reference/reference-filter";
import { EmptyState } from "@/components/ui/empty-state";
import type { SectionView } from "@/lib/api/v1/reference";

const textsOf = (section: SectionView) => section.operations.map((op) => op.searchText);

/** The contents: sections and their operations, each a link to its anchor. */
function ReferenceIndex({ sections }: { sections: SectionView[] }) {
  return (
    <ul className="space-y-4 text-sm">
      {sections.map((section) => (
        <Filtered as="li" key={section.tag} texts={textsOf(section)}>
          <a href={`#${section.anchor}`} className="block rounded px-2 py-1 text-xs font-semibold tracking-wide text-muted-foreground uppercase outline-none hover:text-foreground focus-visible:ring-2 focus-visible:ring-ring">
            {section.tag}
          </a>
          <ul className="mt-1 space-y-0.5">
            {section.operations.map((op) => (
              <Filtered as="li" key={op.anchor} texts={[op.searchText]}>
                <a href={`#${op.anchor}`} className="flex items-center gap-2 rounded px-2 py-1 outline-none hover:bg-accent focus-visible:ring-2 focus-visible:ring-ring">
                  <MethodBadge method={op.method} />
                  <span className="min-w-0">{op.summary}</span>
                </a>
              </Filtered>
            ))}
          </ul>
        </Filtered>
      ))}
    </ul>
  );
}

/**
 * The API reference: a filter and the contents beside the operations (above them on phones,
 * folded), every section and operation an anchor. Rendered on the server from the OpenAPI
 * document; only the filter runs in the browser.
 */
export function ApiReference({ sections }: { sections: SectionView[] }) {
  const texts = sections.flatMap(textsOf);
  if (!texts.length) return <EmptyState title="No operations yet" description="The OpenAPI document declares no operations." />;
  return (
    <ReferenceFilterProvider>
      <div className="lg:grid lg:grid-cols-[16rem_minmax(0,1fr)] lg:gap-8">
        <div className="mb-6 space-y-2 lg:sticky lg:top-18 lg:mb-0 lg:max-h-[calc(100vh-5.5rem)] lg:self-start lg:overflow-y-auto lg:pb-4">
          <ReferenceSearch total={texts.length} />
          <MatchCount texts={texts} />
          <FoldedContents
            summary={
              <summary className="flex cursor-pointer items-center justify-between rounded-lg px-3 py-2 text-sm font-medium outline-none focus-visible:ring-2 focus-visible:ring-ring">
                Contents
                <ChevronDown className="size-4 transition-transform group-open:rotate-180" aria-hidden />
              </summary>
            }
          >
            <nav aria-label="API reference contents" className="border-t p-2">
              <ReferenceIndex sections={sections} />
            </nav>
          </FoldedContents>
          <nav aria-label="API reference contents" className="hidden lg:block">
            <ReferenceIndex sections={sections} />
          </nav>
        </div>
        <div className="min-w-0 space-y-10">
          <NoMatches texts={texts}>
            <EmptyState title="No operations match" description="Try part of a path (endpoint, msg), a method (POST) or a word of the summary." />
          </NoMatches>
          {sections.map((section) => (
            <Filtered as="section" key={section.tag} texts={textsOf(section)} aria-labelledby={section.anchor} data-testid={`reference-section-${section.anchor}`}>
              <h2 id={section.anchor} className="mb-4 scroll-mt-20 text-xl font-semibold tracking-tight">
                {section.tag}
              </h2>
              <div className="space-y-6">
                {section.operations.map((op) => (
                  <Filtered key={op.anchor} texts={[op.searchText]}>
                    <OperationCard op={op} />
                  </Filtered>
                ))}
              </div>
            </Filtered>
          ))}
        </div>
      </div>
    </ReferenceFilterProvider>
  );
}
