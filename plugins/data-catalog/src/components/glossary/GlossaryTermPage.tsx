import {
  Box,
  Breadcrumbs,
  Button,
  Chip,
  LinearProgress,
  Link,
  makeStyles,
  Paper,
  Typography,
} from '@material-ui/core';
import { MarkdownContent } from '@backstage/core-components';
import { errorMessage, useAsyncResource, useMe } from '@racine/kernel-react';
import { useState } from 'react';
import { Link as RouterLink, useNavigate, useParams } from 'react-router-dom';
import { useDataCatalogClient } from '../../api/DataCatalogClient';
import { formatTime } from '../format';
import { isSoleAuthor } from './fourEyes';
import { StatusChip } from './GlossaryPage';
import { TermDialog } from './TermDialog';

const useStyles = makeStyles(theme => ({
  header: {
    display: 'flex',
    alignItems: 'center',
    gap: theme.spacing(1.5),
    margin: theme.spacing(1.5, 0),
  },
  card: { padding: theme.spacing(2.5), marginBottom: theme.spacing(2) },
  key: { fontSize: 12, color: theme.palette.text.secondary, margin: theme.spacing(1.5, 0, 0.5) },
  chips: { display: 'flex', flexWrap: 'wrap', gap: theme.spacing(0.5) },
  actions: { display: 'flex', gap: theme.spacing(1), flexWrap: 'wrap', alignItems: 'flex-start' },
  approve: {
    display: 'flex',
    flexDirection: 'column',
    alignItems: 'flex-end',
    maxWidth: 280,
    textAlign: 'right',
  },
}));

/** One glossary term: definition, place in the hierarchy, related terms, workflow actions. */
export function GlossaryTermPage() {
  const classes = useStyles();
  const { id = '' } = useParams();
  const client = useDataCatalogClient();
  const navigate = useNavigate();
  const me = useMe();
  const permissions = me.value?.permissions ?? [];
  const [editing, setEditing] = useState(false);
  const [adding, setAdding] = useState(false);
  const [error, setError] = useState<string>();
  const term = useAsyncResource(signal => client.glossaryTerm(id, signal), [client, id]);
  const t = term.value?.id === id ? term.value : undefined;
  // Four eyes: the backend refuses the approval of the only author of this wording.
  const ownWording = t !== undefined && isSoleAuthor(t, me.value?.userEntityRef);

  const act = async (work: () => Promise<unknown>) => {
    setError(undefined);
    try {
      await work();
      term.reload();
    } catch (e) {
      setError(errorMessage(e));
    }
  };

  return (
    <Box data-testid="glossary-term-page">
      <Breadcrumbs>
        <Link component={RouterLink} to="/catalog/glossary">
          Glossary
        </Link>
        {t?.ancestors.map(a => (
          <Link
            key={a.id}
            component={RouterLink}
            to={`/catalog/glossary/${encodeURIComponent(a.id)}`}
          >
            {a.name}
          </Link>
        ))}
        {t && <Typography color="textPrimary">{t.name}</Typography>}
      </Breadcrumbs>
      {term.loading && !t && <LinearProgress />}
      {term.error && !t && (
        <Typography color="error" role="alert">
          {errorMessage(term.error)}
        </Typography>
      )}
      {t && (
        <>
          <Box className={classes.header}>
            <Typography variant="h5" component="h1" data-testid="term-title">
              {t.name}
            </Typography>
            <StatusChip status={t.status} />
            <span style={{ flex: 1 }} />
            <Box className={classes.actions}>
              {permissions.includes('catalog.glossary.approve') && t.status === 'draft' && (
                <Box className={classes.approve}>
                  <Button
                    variant="contained"
                    color="primary"
                    onClick={() => act(() => client.approveTerm(t.id))}
                    disabled={ownWording}
                    aria-describedby={ownWording ? 'approve-term-blocked' : undefined}
                    data-testid="approve-term"
                  >
                    Approve
                  </Button>
                  {ownWording && (
                    <Typography
                      id="approve-term-blocked"
                      variant="caption"
                      color="textSecondary"
                      data-testid="approve-term-blocked"
                    >
                      Another steward must approve: you wrote this version
                    </Typography>
                  )}
                </Box>
              )}
              {permissions.includes('catalog.edit') && (
                <>
                  <Button onClick={() => setEditing(true)} data-testid="edit-term">
                    Edit
                  </Button>
                  <Button onClick={() => setAdding(true)}>Add child term</Button>
                  <Button
                    onClick={() =>
                      act(async () => {
                        await client.deleteTerm(t.id);
                        navigate('/catalog/glossary');
                      })
                    }
                    disabled={t.childCount > 0}
                  >
                    Delete
                  </Button>
                </>
              )}
            </Box>
          </Box>
          {error && (
            <Typography color="error" role="alert" gutterBottom>
              {error}
            </Typography>
          )}
          <Paper variant="outlined" className={classes.card}>
            {t.definition ? (
              <MarkdownContent content={t.definition} />
            ) : (
              <Typography color="textSecondary">No definition yet.</Typography>
            )}
            {t.synonyms.length > 0 && (
              <>
                <div className={classes.key}>Synonyms</div>
                <div className={classes.chips}>
                  {t.synonyms.map(s => (
                    <Chip key={s} size="small" label={s} />
                  ))}
                </div>
              </>
            )}
            {t.relatedTerms.length > 0 && (
              <>
                <div className={classes.key}>Related terms</div>
                <div className={classes.chips}>
                  {t.relatedTerms.map(r => (
                    <Chip
                      key={r.id}
                      size="small"
                      variant="outlined"
                      clickable
                      component={RouterLink}
                      to={`/catalog/glossary/${encodeURIComponent(r.id)}`}
                      label={r.name}
                    />
                  ))}
                </div>
              </>
            )}
            {t.children.length > 0 && (
              <>
                <div className={classes.key}>Narrower terms</div>
                <div className={classes.chips}>
                  {t.children.map(c => (
                    <Chip
                      key={c.id}
                      size="small"
                      variant="outlined"
                      clickable
                      component={RouterLink}
                      to={`/catalog/glossary/${encodeURIComponent(c.id)}`}
                      label={c.name}
                    />
                  ))}
                </div>
              </>
            )}
            <div className={classes.key}>Assets</div>
            <Link
              component={RouterLink}
              to={`/catalog/search?term=${encodeURIComponent(t.id)}`}
              data-testid="term-assets"
            >
              {t.assetCount} asset{t.assetCount === 1 ? '' : 's'} carry this term
            </Link>
            <Typography
              variant="caption"
              component="div"
              color="textSecondary"
              style={{ marginTop: 16 }}
            >
              Proposed by {t.createdBy} on {formatTime(t.createdAt)} · last edited by {t.updatedBy}
              {t.approvedBy ? ` · approved by ${t.approvedBy} on ${formatTime(t.approvedAt)}` : ''}
              {' · version '}
              {t.version}
            </Typography>
          </Paper>
        </>
      )}
      {editing && t && (
        <TermDialog
          term={t}
          onClose={() => setEditing(false)}
          onSaved={() => {
            setEditing(false);
            term.reload();
          }}
        />
      )}
      {adding && t && (
        <TermDialog
          parentId={t.id}
          onClose={() => setAdding(false)}
          onSaved={child => {
            setAdding(false);
            navigate(`/catalog/glossary/${encodeURIComponent(child.id)}`);
          }}
        />
      )}
    </Box>
  );
}
