/**
 * How one side (before or after) of a curated change reads in the history: `—` for nothing,
 * lists joined by commas, long text cut. Glossary terms are stored by id: `termNames` turns
 * them into names, and a term that no longer exists keeps its id.
 */
export function showChangeValue(
  field: string,
  value: unknown,
  termNames: ReadonlyMap<string, string>,
): string {
  if (value === null || value === undefined || value === '') return '—';
  if (field === 'terms' && Array.isArray(value)) {
    if (value.length === 0) return '—';
    return value
      .map(id => (typeof id === 'string' ? (termNames.get(id) ?? id) : String(id)))
      .join(', ');
  }
  if (Array.isArray(value)) return value.length ? value.join(', ') : '—';
  if (typeof value === 'object') return JSON.stringify(value);
  const text = String(value);
  return text.length > 160 ? `${text.slice(0, 160)}…` : text;
}
