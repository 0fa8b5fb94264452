import { useAsyncResource } from '@racine/kernel-react';
import { useDataCatalogClient } from '../../api/DataCatalogClient';
import type { ChipsInputOption } from './ChipsInput';

/**
 * Glossary terms: the approved ones as options (only approved terms attach to assets), and
 * every term's name by id (an attached term reworded since is back in draft).
 */
export function useGlossaryTerms(): {
  options: ChipsInputOption[];
  names: Map<string, string>;
  /** True until the terms first arrive (false once they did, or failed to). */
  loading: boolean;
} {
  const client = useDataCatalogClient();
  const terms = useAsyncResource(signal => client.glossary({}, signal), [client]);
  const items = terms.value?.items ?? [];
  return {
    options: items.filter(t => t.status === 'approved').map(t => ({ value: t.id, label: t.name })),
    names: new Map(items.map(t => [t.id, t.name])),
    loading: terms.loading && !terms.value,
  };
}
