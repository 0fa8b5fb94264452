import type { GlossaryTerm } from '@racine/plugin-data-catalog-common';

/**
 * Whether `user` wrote the current wording of `term` alone, the case the backend refuses to
 * approve (409, four eyes): it both proposed the term and made its latest edit. Someone who
 * only edited a term proposed by another, or who proposed a term another edited since, may
 * approve it.
 */
export function isSoleAuthor(
  term: Pick<GlossaryTerm, 'createdBy' | 'updatedBy'>,
  user: string | undefined,
): boolean {
  return user !== undefined && term.createdBy === user && term.updatedBy === user;
}
