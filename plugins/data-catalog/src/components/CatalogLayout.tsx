import { Grid, makeStyles, Paper } from '@material-ui/core';
import { assetRef, parseAssetRef } from '@racine/plugin-data-catalog-common';
import { useMemo } from 'react';
import { Outlet, useLocation } from 'react-router-dom';
import { AssetTree } from './AssetTree';
import { refFromPathname } from './format';

const useStyles = makeStyles(theme => ({
  tree: {
    padding: theme.spacing(1.5, 1),
    position: 'sticky',
    top: theme.spacing(2),
    maxHeight: 'calc(100vh - 120px)',
    overflow: 'auto',
  },
}));

/**
 * The containers (data source, database, schema) above an asset, derived from its ref, for
 * the tree to open. A ref's path is the dot-joined chain of the asset's ancestors, but not
 * every asset sits under data source → database → schema: a scanned table has four segments
 * (`source.database.schema.table`, containers source, database, schema), while an
 * OpenLineage dataset has two (`namespace.name`, its only container the data source asset
 * of its namespace). So the containers are the leading segments of the table path only, and
 * a column's own table is not a container (tables are leaves of the tree). Containers that do
 * not exist are never named, so the tree asks for no children of them.
 */
export function containersOf(ref: string | undefined): string[] {
  if (!ref) return [];
  try {
    const { type, segments } = parseAssetRef(ref);
    const kinds = ['datasource', 'database', 'schema'] as const;
    // How many leading segments name containers: a container reveals itself (its children
    // are the next level of the tree); a table or view reveals the segments before its name;
    // a column those before its table's name.
    const count =
      type === 'column'
        ? segments.length - 2
        : type === 'table' || type === 'view'
          ? segments.length - 1
          : kinds.indexOf(type) + 1;
    if (count < 1 || count > kinds.length || count > segments.length) return [];
    return kinds.slice(0, count).map((kind, i) => assetRef(kind, segments.slice(0, i + 1)));
  } catch {
    return [];
  }
}

/** The tree on the left, the selected asset (or the catalog overview) on the right. */
export function CatalogLayout() {
  const classes = useStyles();
  const { pathname } = useLocation();
  const selectedRef = refFromPathname(pathname);
  const reveal = useMemo(() => containersOf(selectedRef), [selectedRef]);
  return (
    <Grid container spacing={3}>
      <Grid item xs={12} md={4} lg={3}>
        <Paper variant="outlined" className={classes.tree}>
          <AssetTree selectedRef={selectedRef} reveal={reveal} />
        </Paper>
      </Grid>
      <Grid item xs={12} md={8} lg={9}>
        <Outlet />
      </Grid>
    </Grid>
  );
}
