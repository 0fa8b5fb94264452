import { Chip, TextField, Typography } from '@material-ui/core';
import Autocomplete, { createFilterOptions } from '@material-ui/lab/Autocomplete';
import type { ReactNode } from 'react';

export interface ChipsFieldOption {
  value: string;
  label?: string;
  detail?: string;
}

export interface ChipsFieldProps {
  label: string;
  value: string[];
  onChange(value: string[]): void;
  /** Suggestions; free text is accepted unless `restrictToOptions`. */
  options?: ChipsFieldOption[];
  restrictToOptions?: boolean;
  placeholder?: string;
  helperText?: ReactNode;
  error?: string;
  disabled?: boolean;
  'data-testid'?: string;
}

/**
 * A list of strings edited as chips: type and press Enter (or leave the field) to add one,
 * paste several separated by commas or new lines, click a chip's cross to remove it.
 */
export function ChipsField(props: ChipsFieldProps) {
  const options = props.options ?? [];
  const byValue = new Map(options.map(o => [o.value, o]));
  // Suggestions match on the value and on its label and detail (a classifier's name).
  const filterOptions = createFilterOptions<string>({
    stringify: option =>
      [option, byValue.get(option)?.label, byValue.get(option)?.detail].filter(Boolean).join(' '),
  });
  const add = (entries: string[]) => {
    const next = [...props.value];
    for (const entry of entries.map(e => e.trim()).filter(Boolean)) {
      if (!next.includes(entry)) next.push(entry);
    }
    props.onChange(next);
  };
  return (
    <Autocomplete
      multiple
      freeSolo={!props.restrictToOptions}
      autoSelect={!props.restrictToOptions}
      disableCloseOnSelect={options.length > 0}
      options={options.map(o => o.value)}
      value={props.value}
      disabled={props.disabled}
      filterSelectedOptions
      filterOptions={filterOptions}
      onChange={(_event, value) => {
        const entries = (value as string[]).flatMap(v => v.split(/[,\n]/));
        props.onChange([]);
        add(entries);
      }}
      getOptionLabel={option => option}
      renderOption={option => {
        const described = byValue.get(option);
        return (
          <div>
            <Typography variant="body2">{described?.label ?? option}</Typography>
            {(described?.label || described?.detail) && (
              <Typography variant="caption" color="textSecondary">
                {[described.label ? option : undefined, described.detail]
                  .filter(Boolean)
                  .join(' · ')}
              </Typography>
            )}
          </div>
        );
      }}
      renderTags={(value, getTagProps) =>
        value.map((option, index) => (
          <Chip
            size="small"
            label={option}
            {...getTagProps({ index })}
            key={option}
            data-testid="chip"
          />
        ))
      }
      renderInput={params => (
        <TextField
          {...params}
          label={props.label}
          placeholder={props.value.length === 0 ? props.placeholder : undefined}
          variant="outlined"
          size="small"
          margin="dense"
          error={Boolean(props.error)}
          helperText={props.error ?? props.helperText}
          inputProps={{ ...params.inputProps, 'data-testid': props['data-testid'] }}
        />
      )}
    />
  );
}
