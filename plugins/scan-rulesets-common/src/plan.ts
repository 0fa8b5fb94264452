import type { RuleSetFilters } from './filters';

/** The least a discovered table must carry to be planned (a connector's `DiscoveredTable` fits). */
export interface PlannableTable {
  schema: string;
  name: string;
  columns: readonly { name: string }[];
}

type ColumnOf<TTable extends PlannableTable> = TTable['columns'][number];

export interface PlannedTable<TTable extends PlannableTable> {
  table: TTable;
  /** The columns the rule set keeps, in the table's order. */
  columns: ColumnOf<TTable>[];
  columnsExcluded: number;
}

export interface RuleSetPlan<TTable extends PlannableTable> {
  /** The tables to scan, in scan order, at most `tableLimit`. */
  tables: PlannedTable<TTable>[];
  /** Tables that passed the filters, before `tableLimit`. */
  matched: number;
  /** True when `tableLimit` left matching tables out. */
  truncated: boolean;
}

/** Scan order: schema, then table name, by code point (the same on every machine and locale). */
export function compareTables(
  a: { schema: string; name: string },
  b: { schema: string; name: string },
): number {
  if (a.schema !== b.schema) return a.schema < b.schema ? -1 : 1;
  if (a.name !== b.name) return a.name < b.name ? -1 : 1;
  return 0;
}

/**
 * Decides which of the discovered tables and columns a scan reads: filters them, sorts them in
 * scan order and applies `tableLimit`. The preview uses it, and so can the scans engine, so a
 * preview shows exactly what a scan with the same rule set version reads.
 */
export function planRuleSetTables<TTable extends PlannableTable>(
  filters: RuleSetFilters,
  tables: Iterable<TTable>,
): RuleSetPlan<TTable> {
  const matching = [...tables]
    .filter(t => filters.includesTable(t.schema, t.name))
    .sort(compareTables);
  const limit = filters.definition.tableLimit;
  const kept = limit === null ? matching : matching.slice(0, limit);
  return {
    matched: matching.length,
    truncated: kept.length < matching.length,
    tables: kept.map(table => {
      const columns = table.columns.filter(c =>
        filters.includesColumn(table.schema, table.name, c.name),
      );
      return { table, columns, columnsExcluded: table.columns.length - columns.length };
    }),
  };
}
