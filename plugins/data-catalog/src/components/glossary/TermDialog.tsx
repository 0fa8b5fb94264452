import {
  Button,
  Dialog,
  DialogActions,
  DialogContent,
  DialogTitle,
  MenuItem,
  TextField,
  Typography,
} from '@material-ui/core';
import { errorMessage, useAsyncResource } from '@racine/kernel-react';
import type { GlossaryTerm } from '@racine/plugin-data-catalog-common';
import { useState } from 'react';
import { useDataCatalogClient, type GlossaryTermInput } from '../../api/DataCatalogClient';
import { ChipsInput } from '../curation/ChipsInput';

/** Proposes a new term (draft) or edits one; rewording an approved term needs re-approval. */
export function TermDialog(props: {
  term?: GlossaryTerm;
  parentId?: string | null;
  onClose(): void;
  onSaved(term: GlossaryTerm): void;
}) {
  const client = useDataCatalogClient();
  const all = useAsyncResource(signal => client.glossary({}, signal), [client]);
  const [name, setName] = useState(props.term?.name ?? '');
  const [definition, setDefinition] = useState(props.term?.definition ?? '');
  const [synonyms, setSynonyms] = useState<string[]>(props.term?.synonyms ?? []);
  const [related, setRelated] = useState<string[]>(props.term?.related ?? []);
  const [parentId, setParentId] = useState<string>(props.term?.parentId ?? props.parentId ?? '');
  const [saving, setSaving] = useState(false);
  const [error, setError] = useState<string>();
  const others = (all.value?.items ?? []).filter(t => t.id !== props.term?.id);

  const save = async () => {
    setSaving(true);
    setError(undefined);
    const input: GlossaryTermInput = {
      name: name.trim(),
      definition,
      synonyms,
      related,
      parentId: parentId || null,
    };
    try {
      const saved = props.term
        ? await client.updateTerm(props.term.id, input)
        : await client.createTerm(input);
      props.onSaved(saved);
    } catch (e) {
      setError(errorMessage(e));
    } finally {
      setSaving(false);
    }
  };

  return (
    <Dialog open onClose={props.onClose} fullWidth maxWidth="sm" data-testid="term-dialog">
      <DialogTitle>
        {props.term ? `Edit ${props.term.name}` : 'Propose a glossary term'}
      </DialogTitle>
      <DialogContent>
        <TextField
          label="Name"
          value={name}
          onChange={e => setName(e.target.value)}
          fullWidth
          variant="outlined"
          margin="dense"
          required
          inputProps={{ 'data-testid': 'term-name' }}
        />
        <TextField
          label="Definition (markdown)"
          value={definition}
          onChange={e => setDefinition(e.target.value)}
          fullWidth
          multiline
          minRows={4}
          variant="outlined"
          margin="dense"
          inputProps={{ 'data-testid': 'term-definition' }}
        />
        <ChipsInput label="Synonyms" value={synonyms} onChange={setSynonyms} />
        <TextField
          select
          label="Parent term"
          value={parentId}
          onChange={e => setParentId(e.target.value)}
          fullWidth
          variant="outlined"
          margin="dense"
        >
          <MenuItem value="">None (top level)</MenuItem>
          {others.map(t => (
            <MenuItem key={t.id} value={t.id}>
              {t.name}
            </MenuItem>
          ))}
        </TextField>
        <ChipsInput
          label="Related terms"
          value={related}
          onChange={setRelated}
          options={others.map(t => ({ value: t.id, label: t.name }))}
          restrictToOptions
        />
        {props.term?.status === 'approved' && (
          <Typography variant="caption" color="textSecondary">
            Changing the name, definition or synonyms sends the term back to draft for approval.
          </Typography>
        )}
        {error && (
          <Typography color="error" variant="body2" role="alert">
            {error}
          </Typography>
        )}
      </DialogContent>
      <DialogActions>
        <Button onClick={props.onClose}>Cancel</Button>
        <Button
          color="primary"
          variant="contained"
          onClick={save}
          disabled={saving || !name.trim()}
          data-testid="term-save"
        >
          {saving ? 'Saving…' : 'Save'}
        </Button>
      </DialogActions>
    </Dialog>
  );
}
