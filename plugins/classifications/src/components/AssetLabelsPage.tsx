import { Box, Button, Link, Typography } from '@material-ui/core';
import ArrowBackIcon from '@material-ui/icons/ArrowBack';
import { useAsyncResource } from '@racine/kernel-react';
import { assetPagePath, parseAssetRef } from '@racine/plugin-data-catalog-common';
import { Link as RouterLink, useParams } from 'react-router-dom';
import { useClassificationsClient } from '../api/ClassificationsClient';
import { LabelEvidencePanel } from './LabelEvidencePanel';
import { ErrorPanel, useSharedStyles } from './shared';

/** One column's labels, evidence, decisions and history (the panel the catalog's column page shows). */
export function AssetLabelsPage() {
  const classes = useSharedStyles();
  const client = useClassificationsClient();
  const sources = useAsyncResource(signal => client.dataSources(signal), [client]);
  const { ref = '' } = useParams();
  let path: string[];
  try {
    path = parseAssetRef(ref).segments;
  } catch {
    return <ErrorPanel>Not a data catalog asset: {ref}</ErrorPanel>;
  }
  return (
    <Box maxWidth={900}>
      <Button
        component={RouterLink}
        to="/classifications/review"
        startIcon={<ArrowBackIcon />}
        size="small"
      >
        Review queue
      </Button>
      <Box my={2}>
        <Typography variant="h5" data-testid="asset-labels-title">
          {path.slice(2).join('.')}
        </Typography>
        <Typography variant="body2" className={classes.muted}>
          Data source {sources.value?.find(s => s.id === path[0])?.name ?? path[0]} · database{' '}
          {path[1]} ·{' '}
          <Link component={RouterLink} to={assetPagePath(ref)}>
            open in the data catalog
          </Link>
        </Typography>
      </Box>
      <LabelEvidencePanel assetRef={ref} />
    </Box>
  );
}
