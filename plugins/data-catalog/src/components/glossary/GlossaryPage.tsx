import {
  Box,
  Button,
  Chip,
  LinearProgress,
  Link,
  makeStyles,
  MenuItem,
  Paper,
  TextField,
  Typography,
} from '@material-ui/core';
import { errorMessage, useAsyncResource, useMe } from '@racine/kernel-react';
import type { GlossaryStatus, GlossaryTerm } from '@racine/plugin-data-catalog-common';
import { useMemo, useState } from 'react';
import { Link as RouterLink, useNavigate } from 'react-router-dom';
import { useDataCatalogClient } from '../../api/DataCatalogClient';
import { TermDialog } from './TermDialog';

const useStyles = makeStyles(theme => ({
  toolbar: {
    display: 'flex',
    gap: theme.spacing(2),
    alignItems: 'center',
    flexWrap: 'wrap',
    marginBottom: theme.spacing(2),
  },
  row: {
    display: 'flex',
    alignItems: 'center',
    gap: theme.spacing(1),
    padding: theme.spacing(0.75, 1),
    borderBottom: `1px solid ${theme.palette.divider}`,
  },
  name: { fontWeight: 600 },
  definition: { color: theme.palette.text.secondary, fontSize: 12.5, flex: 1, minWidth: 0 },
  count: { color: theme.palette.text.secondary, fontSize: 12 },
}));

export function StatusChip(props: { status: GlossaryStatus }) {
  return (
    <Chip
      size="small"
      variant={props.status === 'approved' ? 'default' : 'outlined'}
      color={props.status === 'approved' ? 'primary' : 'default'}
      label={props.status === 'approved' ? 'Approved' : 'Draft'}
      data-testid="term-status"
    />
  );
}

/** The business glossary as a tree of terms (children indented under their parent). */
export function GlossaryPage() {
  const classes = useStyles();
  const client = useDataCatalogClient();
  const navigate = useNavigate();
  const me = useMe();
  const canEdit = me.value?.permissions.includes('catalog.edit') ?? false;
  const [q, setQ] = useState('');
  const [status, setStatus] = useState<'' | GlossaryStatus>('');
  const [creating, setCreating] = useState(false);
  const terms = useAsyncResource(
    signal => client.glossary({ q: q.trim() || undefined, status: status || undefined }, signal),
    [client, q, status],
  );

  // Depth-first order; a term whose parent is filtered out shows at the top level.
  const ordered = useMemo(() => {
    const items = terms.value?.items ?? [];
    const ids = new Set(items.map(t => t.id));
    const children = new Map<string | null, GlossaryTerm[]>();
    for (const t of items) {
      const parent = t.parentId && ids.has(t.parentId) ? t.parentId : null;
      children.set(parent, [...(children.get(parent) ?? []), t]);
    }
    const out: { term: GlossaryTerm; depth: number }[] = [];
    const walk = (parent: string | null, depth: number) => {
      for (const t of children.get(parent) ?? []) {
        out.push({ term: t, depth });
        if (depth < 20) walk(t.id, depth + 1);
      }
    };
    walk(null, 0);
    return out;
  }, [terms.value]);

  return (
    <Box data-testid="glossary-page">
      <Typography variant="h5" component="h1" gutterBottom>
        Business glossary
      </Typography>
      <Box className={classes.toolbar}>
        <TextField
          size="small"
          variant="outlined"
          label="Find a term or synonym"
          value={q}
          onChange={e => setQ(e.target.value)}
        />
        <TextField
          select
          size="small"
          variant="outlined"
          label="Status"
          value={status}
          onChange={e => setStatus(e.target.value as '' | GlossaryStatus)}
          style={{ minWidth: 140 }}
        >
          <MenuItem value="">All</MenuItem>
          <MenuItem value="draft">Draft</MenuItem>
          <MenuItem value="approved">Approved</MenuItem>
        </TextField>
        <span style={{ flex: 1 }} />
        {canEdit && (
          <Button
            variant="contained"
            color="primary"
            onClick={() => setCreating(true)}
            data-testid="new-term"
          >
            Propose a term
          </Button>
        )}
      </Box>
      {terms.loading && <LinearProgress />}
      {terms.error && (
        <Typography color="error" role="alert">
          Could not load the glossary: {errorMessage(terms.error)}
        </Typography>
      )}
      <Paper variant="outlined" data-testid="glossary-terms">
        {ordered.length === 0 && terms.value && (
          <Box p={4} textAlign="center">
            <Typography color="textSecondary">No glossary terms yet.</Typography>
          </Box>
        )}
        {ordered.map(({ term, depth }) => (
          <Box
            key={term.id}
            className={classes.row}
            style={{ paddingLeft: 8 + depth * 24 }}
            data-testid="glossary-term"
          >
            <Link
              component={RouterLink}
              to={`/catalog/glossary/${encodeURIComponent(term.id)}`}
              className={classes.name}
            >
              {term.name}
            </Link>
            <StatusChip status={term.status} />
            <span className={classes.definition}>
              {term.definition
                .split('\n')[0]
                .replace(/[*_`#>]/g, '')
                .slice(0, 140)}
            </span>
            <span className={classes.count}>
              {term.assetCount} asset{term.assetCount === 1 ? '' : 's'}
            </span>
          </Box>
        ))}
      </Paper>
      {creating && (
        <TermDialog
          onClose={() => setCreating(false)}
          onSaved={term => navigate(`/catalog/glossary/${encodeURIComponent(term.id)}`)}
        />
      )}
    </Box>
  );
}
