import {
  Box,
  Button,
  Chip,
  Link,
  makeStyles,
  MenuItem,
  Paper,
  TextField,
  Typography,
} from '@material-ui/core';
import { MarkdownContent } from '@backstage/core-components';
import { errorMessage, useMe } from '@racine/kernel-react';
import {
  sensitivityLevels,
  type AssetDetailsResponse,
  type SensitivityLevel,
} from '@racine/plugin-data-catalog-common';
import { useState } from 'react';
import { Link as RouterLink } from 'react-router-dom';
import { useDataCatalogClient, type CurationInput } from '../../api/DataCatalogClient';
import { SensitivityChip } from '../search/SensitivityChip';
import { ChipsInput } from './ChipsInput';
import { propertiesToText, textToProperties } from './propertiesText';
import { useGlossaryTerms } from './useApprovedTerms';

const useStyles = makeStyles(theme => ({
  card: { padding: theme.spacing(2.5), marginBottom: theme.spacing(2) },
  header: { display: 'flex', alignItems: 'center', marginBottom: theme.spacing(1) },
  title: { fontWeight: 600, flex: 1 },
  grid: {
    display: 'grid',
    gridTemplateColumns: 'repeat(auto-fill, minmax(220px, 1fr))',
    gap: theme.spacing(2, 3),
    marginTop: theme.spacing(2),
  },
  key: { fontSize: 12, color: theme.palette.text.secondary, marginBottom: 4 },
  chips: { display: 'flex', flexWrap: 'wrap', gap: theme.spacing(0.5) },
  description: { fontSize: 14 },
  actions: { display: 'flex', gap: theme.spacing(1), marginTop: theme.spacing(2) },
}));

function Chips(props: { values: string[]; empty: string; labelOf?: (v: string) => string }) {
  const classes = useStyles();
  if (props.values.length === 0)
    return (
      <Typography variant="body2" color="textSecondary">
        {props.empty}
      </Typography>
    );
  return (
    <div className={classes.chips}>
      {props.values.map(v => (
        <Chip key={v} size="small" variant="outlined" label={props.labelOf?.(v) ?? v} />
      ))}
    </div>
  );
}

/** What people say about an asset: description, ownership, tags, terms and properties. */
export function CurationCard(props: { asset: AssetDetailsResponse; onSaved(): void }) {
  const classes = useStyles();
  const { asset } = props;
  const client = useDataCatalogClient();
  const me = useMe();
  const terms = useGlossaryTerms();
  const canEdit = me.value?.permissions.includes('catalog.edit') ?? false;
  const [editing, setEditing] = useState(false);
  const [description, setDescription] = useState('');
  const [owners, setOwners] = useState<string[]>([]);
  const [stewards, setStewards] = useState<string[]>([]);
  const [tags, setTags] = useState<string[]>([]);
  const [termIds, setTermIds] = useState<string[]>([]);
  const [properties, setProperties] = useState('');
  const [sensitivity, setSensitivity] = useState<string>('');
  const [saving, setSaving] = useState(false);
  const [error, setError] = useState<string>();

  const startEditing = () => {
    setDescription(asset.description ?? '');
    setOwners(asset.owners);
    setStewards(asset.stewards);
    setTags(asset.tags);
    setTermIds(asset.terms);
    setProperties(propertiesToText(asset.properties));
    // The steward's override only: empty when the labels decide.
    setSensitivity(asset.sensitivityOverride ?? '');
    setError(undefined);
    setEditing(true);
  };

  const save = async () => {
    const input: CurationInput = { expectedVersion: asset.version };
    const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);
    if (description !== (asset.description ?? '')) input.description = description || null;
    if (!same(owners, asset.owners)) input.owners = owners;
    if (!same(stewards, asset.stewards)) input.stewards = stewards;
    if (!same(tags, asset.tags)) input.tags = tags;
    if (!same(termIds, asset.terms)) input.terms = termIds;
    const parsed = textToProperties(properties);
    if (!same(parsed, asset.properties)) input.properties = parsed;
    if (sensitivity !== (asset.sensitivityOverride ?? ''))
      input.sensitivity = (sensitivity || null) as SensitivityLevel | null;
    if (Object.keys(input).length === 1) {
      setEditing(false);
      return;
    }
    setSaving(true);
    setError(undefined);
    try {
      await client.curate(asset.ref, input);
      setEditing(false);
      props.onSaved();
    } catch (e) {
      setError(errorMessage(e));
    } finally {
      setSaving(false);
    }
  };

  return (
    <Paper variant="outlined" className={classes.card} data-testid="asset-curation">
      <Box className={classes.header}>
        <Typography variant="subtitle1" component="h2" className={classes.title}>
          About
        </Typography>
        {canEdit && !editing && (
          <Button size="small" color="primary" onClick={startEditing} data-testid="edit-curation">
            Edit
          </Button>
        )}
      </Box>
      {!editing && (
        <>
          <div className={classes.description} data-testid="asset-description">
            {asset.description ? (
              <MarkdownContent content={asset.description} />
            ) : (
              <Typography variant="body2" color="textSecondary">
                No description yet.
              </Typography>
            )}
          </div>
          <div className={classes.grid}>
            <div>
              <div className={classes.key}>Owners</div>
              <Chips values={asset.owners} empty="No owner" />
            </div>
            <div>
              <div className={classes.key}>Stewards</div>
              <Chips values={asset.stewards} empty="No steward" />
            </div>
            <div>
              <div className={classes.key}>Tags</div>
              <Chips values={asset.tags} empty="No tags" />
            </div>
            <div>
              <div className={classes.key}>Glossary terms</div>
              {asset.terms.length === 0 ? (
                <Typography variant="body2" color="textSecondary">
                  None
                </Typography>
              ) : (
                <div className={classes.chips}>
                  {asset.terms.map(id => (
                    <Chip
                      key={id}
                      size="small"
                      clickable
                      component={RouterLink}
                      to={`/catalog/glossary/${encodeURIComponent(id)}`}
                      label={terms.names.get(id) ?? id}
                    />
                  ))}
                </div>
              )}
            </div>
            <div>
              <div className={classes.key}>Sensitivity</div>
              <Box display="flex" alignItems="center" flexWrap="wrap" style={{ gap: 6 }}>
                <SensitivityChip level={asset.sensitivity} />
                {asset.sensitivity && (
                  <Typography
                    variant="caption"
                    color="textSecondary"
                    data-testid="sensitivity-source"
                  >
                    {asset.sensitivityOverride ? '(set by a steward)' : '(from the labels)'}
                  </Typography>
                )}
              </Box>
            </div>
            {Object.keys(asset.properties).length > 0 && (
              <div>
                <div className={classes.key}>Properties</div>
                {Object.entries(asset.properties).map(([k, v]) => (
                  <Typography key={k} variant="body2">
                    <b>{k}</b>: {typeof v === 'string' ? v : JSON.stringify(v)}
                  </Typography>
                ))}
              </div>
            )}
          </div>
        </>
      )}
      {editing && (
        <Box data-testid="curation-form">
          <TextField
            label="Description (markdown)"
            value={description}
            onChange={e => setDescription(e.target.value)}
            multiline
            minRows={3}
            fullWidth
            variant="outlined"
            margin="dense"
            inputProps={{ 'data-testid': 'description-input' }}
          />
          <ChipsInput
            label="Owners"
            value={owners}
            onChange={setOwners}
            placeholder="user:default/ada or group:default/finance"
          />
          <ChipsInput
            label="Stewards"
            value={stewards}
            onChange={setStewards}
            placeholder="user:default/ada"
          />
          <ChipsInput label="Tags" value={tags} onChange={setTags} testId="tags-input" />
          <ChipsInput
            label="Glossary terms"
            value={termIds}
            onChange={setTermIds}
            options={[
              ...terms.options,
              ...termIds
                .filter(id => !terms.options.some(o => o.value === id))
                .map(id => ({ value: id, label: terms.names.get(id) ?? id })),
            ]}
            restrictToOptions
            helperText="Approved terms only"
          />
          <TextField
            label="Custom properties (one key=value a line)"
            value={properties}
            onChange={e => setProperties(e.target.value)}
            multiline
            minRows={2}
            fullWidth
            variant="outlined"
            margin="dense"
            helperText='Plain numbers and true/false are saved as such; "quote" text that looks like one'
            inputProps={{ 'data-testid': 'properties-input' }}
          />
          <TextField
            select
            label="Sensitivity override"
            value={sensitivity}
            onChange={e => setSensitivity(e.target.value)}
            variant="outlined"
            margin="dense"
            style={{ minWidth: 240 }}
            helperText="Empty: the labels decide"
          >
            <MenuItem value="">From the labels</MenuItem>
            {sensitivityLevels.map(level => (
              <MenuItem key={level} value={level}>
                {level}
              </MenuItem>
            ))}
          </TextField>
          {error && (
            <Typography color="error" variant="body2" role="alert">
              {error}
            </Typography>
          )}
          <Box className={classes.actions}>
            <Button
              color="primary"
              variant="contained"
              onClick={save}
              disabled={saving}
              data-testid="save-curation"
            >
              {saving ? 'Saving…' : 'Save'}
            </Button>
            <Button onClick={() => setEditing(false)} disabled={saving}>
              Cancel
            </Button>
            <Link component={RouterLink} to="/catalog/glossary" variant="body2">
              Glossary
            </Link>
          </Box>
        </Box>
      )}
    </Paper>
  );
}
