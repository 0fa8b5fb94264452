import { stringifyRef } from '@racine/kernel-common';
import type { SearchProvider } from '@racine/kernel-node';
import { catalogViewPermission, type GlossaryTerm } from '@racine/plugin-data-catalog-common';
import type { KnexGlossaryStore } from '../database/GlossaryStore';
import { markdownToText, truncateText } from './markdownToText';

export const GLOSSARY_TERM_HIT_TYPE = 'glossary-term';

const SNIPPET_LENGTH = 160;

/** App path of a glossary term's page (the catalog's `glossary/:id` route). */
export function glossaryTermPagePath(id: string): string {
  return `/catalog/glossary/${encodeURIComponent(id)}`;
}

/**
 * The kernel's global search over the business glossary: terms found by name, synonyms and
 * the words of their definition, for callers who may read the glossary (`catalog.view`, as
 * `GET /glossary` requires). The snippet leads with the term's status, then its definition
 * as plain text.
 */
export function createGlossarySearchProvider(
  glossary: Pick<KnexGlossaryStore, 'search'>,
): SearchProvider {
  return {
    id: 'data-catalog.glossary',
    types: [GLOSSARY_TERM_HIT_TYPE],
    permission: catalogViewPermission,
    // The kernel asks only callers granted `permission`, and only for searches of its types.
    async search({ query, limit }) {
      const q = query.trim().toLowerCase().replace(/\s+/g, ' ');
      if (!q) return [];
      const terms = await glossary.search(q, limit);
      return terms.map(term => {
        const { score, synonym } = rank(term, q);
        const status = term.status === 'approved' ? 'Approved' : 'Draft';
        const definition = markdownToText(term.definition, { maxLength: SNIPPET_LENGTH * 2 });
        const parts = [
          status,
          // Say which synonym matched when the name does not show why the term is here.
          synonym ? `also “${synonym}”` : '',
          definition || 'No definition yet',
        ];
        return {
          ref: stringifyRef({ plugin: 'data-catalog', type: GLOSSARY_TERM_HIT_TYPE, id: term.id }),
          type: GLOSSARY_TERM_HIT_TYPE,
          title: term.name,
          snippet: truncateText(parts.filter(Boolean).join(' · '), SNIPPET_LENGTH),
          score,
          url: glossaryTermPagePath(term.id),
        };
      });
    },
  };
}

/** The kernel's 0…1 score, by where the query matched; the synonym that matched, if any. */
function rank(term: GlossaryTerm, q: string): { score: number; synonym?: string } {
  const name = term.name.toLowerCase();
  if (name === q) return { score: 1 };
  const exact = term.synonyms.find(s => s.toLowerCase() === q);
  if (exact) return { score: 0.95, synonym: exact };
  if (name.startsWith(q)) return { score: 0.85 };
  if (name.includes(q)) return { score: 0.75 };
  const partial = term.synonyms.find(s => s.toLowerCase().includes(q));
  if (partial) return { score: 0.65, synonym: partial };
  return { score: 0.5 };
}
