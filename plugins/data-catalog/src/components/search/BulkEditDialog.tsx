import {
  Button,
  Dialog,
  DialogActions,
  DialogContent,
  DialogTitle,
  Typography,
} from '@material-ui/core';
import { errorMessage } from '@racine/kernel-react';
import { useState } from 'react';
import { useDataCatalogClient } from '../../api/DataCatalogClient';
import { ChipsInput } from '../curation/ChipsInput';
import { useGlossaryTerms } from '../curation/useApprovedTerms';

/** Adds or removes tags, owners, stewards and glossary terms on many assets in one call. */
export function BulkEditDialog(props: { refs: string[]; onClose(): void; onDone(): void }) {
  const client = useDataCatalogClient();
  const terms = useGlossaryTerms();
  const [addTags, setAddTags] = useState<string[]>([]);
  const [removeTags, setRemoveTags] = useState<string[]>([]);
  const [addOwners, setAddOwners] = useState<string[]>([]);
  const [addStewards, setAddStewards] = useState<string[]>([]);
  const [addTerms, setAddTerms] = useState<string[]>([]);
  const [saving, setSaving] = useState(false);
  const [error, setError] = useState<string>();

  const save = async () => {
    setSaving(true);
    setError(undefined);
    try {
      await client.bulkCurate({
        refs: props.refs,
        addTags,
        removeTags,
        addOwners,
        addStewards,
        addTerms,
      });
      props.onDone();
    } catch (e) {
      setError(errorMessage(e));
    } finally {
      setSaving(false);
    }
  };
  const nothing =
    addTags.length + removeTags.length + addOwners.length + addStewards.length + addTerms.length ===
    0;

  return (
    <Dialog open onClose={props.onClose} fullWidth maxWidth="sm" data-testid="bulk-edit-dialog">
      <DialogTitle>Edit {props.refs.length} asset(s)</DialogTitle>
      <DialogContent>
        <ChipsInput label="Add tags" value={addTags} onChange={setAddTags} testId="bulk-add-tags" />
        <ChipsInput label="Remove tags" value={removeTags} onChange={setRemoveTags} />
        <ChipsInput
          label="Add owners"
          value={addOwners}
          onChange={setAddOwners}
          placeholder="user:default/ada or group:default/finance"
        />
        <ChipsInput
          label="Add stewards"
          value={addStewards}
          onChange={setAddStewards}
          placeholder="user:default/ada"
        />
        <ChipsInput
          label="Add glossary terms"
          value={addTerms}
          onChange={setAddTerms}
          options={terms.options}
          restrictToOptions
        />
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
          disabled={saving || nothing}
          onClick={save}
          data-testid="bulk-save"
        >
          {saving ? 'Saving…' : 'Apply'}
        </Button>
      </DialogActions>
    </Dialog>
  );
}
