import sqlParser from 'node-sql-parser';

const { Parser } = sqlParser;

/** SQL dialects node-sql-parser understands that scans publish views from. */
export type SqlDialect = 'postgresql' | 'mysql' | 'sqlite';

/** A table (or view) as a view definition names it; `schema` null means unqualified. */
export interface SourceTable {
  schema: string;
  table: string;
}

export interface SourceColumn extends SourceTable {
  column: string;
}

export interface ViewLineage {
  /** Every table or view the definition reads, joins and subqueries included. */
  tables: SourceTable[];
  /** For each column of the view (in select-list order), the source columns it is computed from. */
  columns: { name: string; sources: SourceColumn[] }[];
}

export interface ViewLineageOptions {
  dialect: SqlDialect;
  /** Schema of unqualified table names (the view's own schema). */
  defaultSchema: string;
  /** Known columns of a table, in ordinal order, to expand `SELECT *`; undefined when unknown. */
  columnsOf(table: SourceTable): string[] | undefined;
  /** The view's columns as the scan found them: positional names win over select-list names. */
  viewColumns?: string[];
}

type Node = Record<string, unknown>;

/** A relation in scope: a base table, or a derived one (CTE, subquery) with computed columns. */
interface Relation {
  base?: SourceTable;
  /** Null for a base table whose columns the catalog does not know. */
  columns: { name: string; sources: SourceColumn[] }[] | null;
}

function isNode(value: unknown): value is Node {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Identifiers come as strings or as `{type, value}` / `{expr: {value}}` nodes depending on the dialect. */
function identifier(value: unknown): string | null {
  if (typeof value === 'string') return value;
  if (isNode(value)) {
    if (typeof value.value === 'string') return value.value;
    if ('expr' in value) return identifier(value.expr);
  }
  return null;
}

const key = (c: SourceColumn) => `${c.schema}\u0000${c.table}\u0000${c.column}`;

function unique(columns: SourceColumn[]): SourceColumn[] {
  const seen = new Map<string, SourceColumn>();
  for (const c of columns) if (!seen.has(key(c))) seen.set(key(c), c);
  return [...seen.values()];
}

function sameName(a: string, b: string) {
  return a.toLowerCase() === b.toLowerCase();
}

/** FROM items, parenthesized join groups (`FROM (a JOIN b ON …)`, as pg_get_viewdef writes) flattened. */
function fromItems(items: Node[]): Node[] {
  return items.flatMap(item =>
    isNode(item.expr) && item.expr.type === 'tables' && Array.isArray(item.expr.expr)
      ? fromItems(item.expr.expr as Node[])
      : [item],
  );
}

class ViewAnalyzer {
  readonly tables = new Map<string, SourceTable>();

  constructor(private readonly options: ViewLineageOptions) {}

  private baseTable(schema: string | null, table: string): Relation {
    const source = { schema: schema ?? this.options.defaultSchema, table };
    this.tables.set(`${source.schema}\u0000${source.table}`, source);
    const known = this.options.columnsOf(source);
    return {
      base: source,
      columns: known
        ? known.map(column => ({ name: column, sources: [{ ...source, column }] }))
        : null,
    };
  }

  /** A select (and its UNION chain) as a relation: its output columns and their sources. */
  select(ast: Node, outerCtes: Map<string, Relation>): Relation {
    const ctes = new Map(outerCtes);
    for (const cte of (ast.with as Node[] | null) ?? []) {
      const name = identifier(cte.name);
      const stmt = isNode(cte.stmt) ? ((cte.stmt.ast as Node | undefined) ?? cte.stmt) : null;
      if (!name || !stmt) continue;
      const relation = this.select(stmt, ctes);
      const declared = Array.isArray(cte.columns) ? cte.columns.map(identifier) : [];
      if (relation.columns && declared.length > 0) {
        relation.columns = relation.columns.map((c, i) => ({ ...c, name: declared[i] ?? c.name }));
      }
      ctes.set(name.toLowerCase(), relation);
    }

    const scope: { alias: string; relation: Relation }[] = [];
    for (const item of fromItems((ast.from as Node[] | null) ?? [])) {
      const alias = identifier(item.as);
      if (isNode(item.expr) && isNode(item.expr.ast)) {
        scope.push({ alias: alias ?? '', relation: this.select(item.expr.ast, ctes) });
        continue;
      }
      const table = identifier(item.table);
      if (!table) continue;
      // Three-part names (`db.schema.table`) come as db + schema; two-part ones as db only.
      const db = identifier(item.schema) ?? identifier(item.db);
      const cte = db ? undefined : ctes.get(table.toLowerCase());
      scope.push({ alias: alias ?? table, relation: cte ?? this.baseTable(db, table) });
      // Join conditions can hold subqueries; their tables are read too.
      if (item.on) this.columnsIn(item.on, scope, ctes);
    }
    for (const clause of ['where', 'groupby', 'having', 'orderby']) {
      if (ast[clause]) this.columnsIn(ast[clause], scope, ctes);
    }

    const columns: { name: string; sources: SourceColumn[] }[] = [];
    const selectList = Array.isArray(ast.columns) ? (ast.columns as Node[]) : [];
    for (const item of selectList) {
      const expr = isNode(item.expr) ? item.expr : null;
      if (!expr) continue;
      if (expr.type === 'column_ref' && identifier(expr.column) === '*') {
        const qualifier = identifier(expr.table);
        const expanded = qualifier ? scope.filter(s => sameName(s.alias, qualifier)) : scope;
        for (const { relation } of expanded) columns.push(...(relation.columns ?? []));
        continue;
      }
      const alias = identifier(item.as);
      const name =
        alias ?? (expr.type === 'column_ref' ? identifier(expr.column) : null) ?? `?column?`;
      columns.push({ name, sources: unique(this.columnsIn(expr, scope, ctes)) });
    }

    // UNION / INTERSECT / EXCEPT: the branches' columns merge by position.
    if (isNode(ast._next)) {
      const next = this.select(ast._next, outerCtes);
      (next.columns ?? []).forEach((c, i) => {
        if (columns[i])
          columns[i] = { ...columns[i], sources: unique([...columns[i].sources, ...c.sources]) };
      });
    }
    return { columns };
  }

  /** Source columns an expression reads; subqueries inside it are analysed with their own scope. */
  private columnsIn(
    value: unknown,
    scope: { alias: string; relation: Relation }[],
    ctes: Map<string, Relation>,
  ): SourceColumn[] {
    if (Array.isArray(value)) return value.flatMap(v => this.columnsIn(v, scope, ctes));
    if (!isNode(value)) return [];
    if (isNode(value.ast)) {
      const sub = this.select(value.ast, ctes);
      return (sub.columns ?? []).flatMap(c => c.sources);
    }
    if (value.type === 'select') {
      const sub = this.select(value, ctes);
      return (sub.columns ?? []).flatMap(c => c.sources);
    }
    if (value.type === 'column_ref') {
      const column = identifier(value.column);
      if (!column || column === '*') return [];
      return this.resolve(identifier(value.table), column, scope);
    }
    return Object.entries(value)
      .filter(([k]) => k !== 'loc')
      .flatMap(([, v]) => this.columnsIn(v, scope, ctes));
  }

  private resolve(
    qualifier: string | null,
    column: string,
    scope: { alias: string; relation: Relation }[],
  ): SourceColumn[] {
    const candidates = qualifier ? scope.filter(s => sameName(s.alias, qualifier)) : scope;
    for (const { relation } of candidates) {
      const match = relation.columns?.find(c => sameName(c.name, column));
      if (match) return match.sources;
    }
    // Columns the catalog does not know yet: attribute them to the only (or named) base table.
    const bases = candidates.filter(s => s.relation.base && !s.relation.columns);
    if (bases.length === 1 || (qualifier && bases.length > 0)) {
      return [{ ...bases[0].relation.base!, column }];
    }
    return [];
  }
}

/** Picks a dialect when the data source type is not known: backquotes mean MySQL. */
export function guessDialect(sql: string): SqlDialect {
  return sql.includes('`') ? 'mysql' : 'postgresql';
}

/**
 * Table- and column-level lineage of a view from its SQL definition, parsed with
 * node-sql-parser in the data source's dialect: joins, CTEs, subqueries, aliases, set
 * operations, and `SELECT *` expanded against the columns the catalog knows.
 */
export function viewLineage(sql: string, options: ViewLineageOptions): ViewLineage {
  const parser = new Parser();
  const text = sql.trim().replace(/;\s*$/, '');
  const database = options.dialect === 'postgresql' ? 'postgresql' : options.dialect;
  let parsed: Node | Node[];
  try {
    parsed = parser.astify(text, { database }) as unknown as Node | Node[];
  } catch (error) {
    // `CREATE VIEW … AS SELECT` definitions: keep the query.
    const query = /\bas\s+(\(?\s*(?:with|select)\b[\s\S]*)$/i.exec(text)?.[1];
    if (!query || query === text) throw error;
    parsed = parser.astify(query, { database }) as unknown as Node | Node[];
  }
  let ast = Array.isArray(parsed) ? parsed[0] : parsed;
  if (ast?.type === 'create' && isNode(ast.select)) ast = ast.select;
  if (!ast || ast.type !== 'select') throw new Error('The view definition is not a SELECT');
  const analyzer = new ViewAnalyzer(options);
  const result = analyzer.select(ast, new Map());
  const selected = result.columns ?? [];
  const viewColumns = options.viewColumns;
  const columns =
    viewColumns && viewColumns.length === selected.length
      ? selected.map((c, i) => ({ name: viewColumns[i], sources: c.sources }))
      : selected;
  return { tables: [...analyzer.tables.values()], columns };
}
