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

/** The containers (data source, database, schema) above an asset, derived from its ref. */
function containersOf(ref: string | undefined): string[] {
  if (!ref) return [];
  try {
    const { type, segments } = parseAssetRef(ref);
    const depth = Math.min(3, type === 'datasource' ? 1 : type === 'database' ? 2 : 3);
    return (['datasource', 'database', 'schema'] as const)
      .slice(0, depth)
      .map((t, i) => assetRef(t, segments.slice(0, i + 1)));
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
