import { Chip, TextField } from '@material-ui/core';
import Autocomplete from '@material-ui/lab/Autocomplete';

export interface ChipsInputOption {
  value: string;
  label: string;
}

/**
 * A list of values edited as chips. Free text (Enter, comma or leaving the field adds it)
 * unless `options` restricts the choice, e.g. to approved glossary terms.
 */
export function ChipsInput(props: {
  label: string;
  value: string[];
  onChange(value: string[]): void;
  options?: ChipsInputOption[];
  restrictToOptions?: boolean;
  placeholder?: string;
  helperText?: string;
  testId?: string;
}) {
  const options = props.options ?? [];
  const labelOf = (value: string) => options.find(o => o.value === value)?.label ?? value;
  return (
    <Autocomplete
      multiple
      freeSolo={!props.restrictToOptions}
      autoSelect={!props.restrictToOptions}
      options={options.map(o => o.value)}
      value={props.value}
      filterSelectedOptions
      getOptionLabel={labelOf}
      onChange={(_event, value) => {
        const next: string[] = [];
        for (const entry of (value as string[]).flatMap(v => v.split(','))) {
          const trimmed = entry.trim();
          if (trimmed && !next.includes(trimmed)) next.push(trimmed);
        }
        props.onChange(next);
      }}
      renderTags={(value, getTagProps) =>
        value.map((option, index) => (
          <Chip size="small" label={labelOf(option)} {...getTagProps({ index })} key={option} />
        ))
      }
      renderInput={params => (
        <TextField
          {...params}
          label={props.label}
          placeholder={props.value.length === 0 ? props.placeholder : undefined}
          helperText={props.helperText}
          variant="outlined"
          size="small"
          margin="dense"
          inputProps={{ ...params.inputProps, 'data-testid': props.testId }}
        />
      )}
    />
  );
}
