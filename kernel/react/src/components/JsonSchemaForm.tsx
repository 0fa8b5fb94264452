import {
  Box,
  Checkbox,
  Chip,
  FormControl,
  FormControlLabel,
  FormGroup,
  FormHelperText,
  FormLabel,
  makeStyles,
  Switch,
  TextField,
  Typography,
} from '@material-ui/core';
import type { JsonSchema } from '@racine/kernel-common';
import { InputHTMLAttributes, KeyboardEvent, useState } from 'react';
import {
  DraftObject,
  DraftValue,
  enumOptions,
  fieldKind,
  humanize,
  isObject,
  properties,
  requiredFields,
  resolveSchema,
} from './jsonSchema';

const useStyles = makeStyles(theme => ({
  fields: { display: 'grid', gap: theme.spacing(2) },
  fieldset: {
    border: `1px solid ${theme.palette.divider}`,
    borderRadius: theme.shape.borderRadius,
    padding: theme.spacing(2),
    display: 'grid',
    gap: theme.spacing(2),
  },
  chips: {
    display: 'flex',
    flexWrap: 'wrap',
    gap: theme.spacing(0.5),
    marginTop: theme.spacing(1),
  },
}));

export interface JsonSchemaFormProps {
  /** An object schema; each property becomes a field. */
  schema: JsonSchema;
  value: DraftObject;
  onChange: (value: DraftObject) => void;
  /** Field path → message, as returned by `buildInput`. */
  errors?: Record<string, string>;
  disabled?: boolean;
  /** Prefix of the fields' `data-testid` (`<prefix>-<path>`). */
  testIdPrefix?: string;
  autoFocus?: boolean;
}

/** Renders a form for a JSON Schema object; edit a draft, then turn it into input with `buildInput`. */
export function JsonSchemaForm(props: JsonSchemaFormProps) {
  const classes = useStyles();
  const {
    schema,
    value,
    onChange,
    errors = {},
    disabled,
    testIdPrefix = 'field',
    autoFocus,
  } = props;
  const fields = properties(schema);
  if (fields.length === 0) {
    return (
      <Typography variant="body2" color="textSecondary">
        This action takes no input.
      </Typography>
    );
  }
  return (
    <Box className={classes.fields}>
      <ObjectFields
        schema={schema}
        value={value}
        onChange={onChange}
        errors={errors}
        disabled={disabled}
        pathPrefix=""
        testIdPrefix={testIdPrefix}
        autoFocus={autoFocus}
      />
    </Box>
  );
}

interface ObjectFieldsProps {
  schema: JsonSchema;
  value: DraftObject;
  onChange: (value: DraftObject) => void;
  errors: Record<string, string>;
  disabled?: boolean;
  pathPrefix: string;
  testIdPrefix: string;
  autoFocus?: boolean;
}

function ObjectFields(props: ObjectFieldsProps) {
  const required = requiredFields(props.schema);
  return (
    <>
      {properties(props.schema).map(([key, propSchema], index) => (
        <Field
          key={key}
          name={key}
          path={props.pathPrefix ? `${props.pathPrefix}.${key}` : key}
          schema={propSchema}
          required={required.has(key)}
          value={props.value[key]}
          onChange={next => props.onChange({ ...props.value, [key]: next })}
          errors={props.errors}
          disabled={props.disabled}
          testIdPrefix={props.testIdPrefix}
          autoFocus={props.autoFocus && index === 0}
        />
      ))}
    </>
  );
}

interface FieldProps {
  name: string;
  path: string;
  schema: JsonSchema;
  required: boolean;
  value: DraftValue | undefined;
  onChange: (value: DraftValue) => void;
  errors: Record<string, string>;
  disabled?: boolean;
  testIdPrefix: string;
  autoFocus?: boolean;
}

function Field(props: FieldProps) {
  const classes = useStyles();
  const schema = resolveSchema(props.schema);
  const kind = fieldKind(schema);
  const label = typeof schema.title === 'string' ? schema.title : humanize(props.name);
  const description = typeof schema.description === 'string' ? schema.description : undefined;
  const error = props.errors[props.path];
  const testId = `${props.testIdPrefix}-${props.path}`;
  const text = typeof props.value === 'string' ? props.value : '';

  switch (kind) {
    case 'boolean':
      return (
        <FormControl error={Boolean(error)}>
          <FormControlLabel
            control={
              <Switch
                color="primary"
                checked={props.value === true}
                onChange={e => props.onChange(e.target.checked)}
                disabled={props.disabled}
                inputProps={{ 'data-testid': testId } as InputHTMLAttributes<HTMLInputElement>}
              />
            }
            label={label}
          />
          {(error ?? description) && <FormHelperText>{error ?? description}</FormHelperText>}
        </FormControl>
      );
    case 'enum':
      return (
        <TextField
          select
          fullWidth
          variant="outlined"
          size="small"
          label={label}
          required={props.required}
          value={text}
          onChange={e => props.onChange(e.target.value)}
          disabled={props.disabled}
          error={Boolean(error)}
          helperText={error ?? description}
          autoFocus={props.autoFocus}
          SelectProps={{ native: true }}
          InputLabelProps={{ shrink: true }}
          inputProps={{ 'data-testid': testId }}
        >
          <option value="">{props.required ? 'Choose…' : '(none)'}</option>
          {enumOptions(schema).map(option => (
            <option key={option} value={option}>
              {option}
            </option>
          ))}
        </TextField>
      );
    case 'enum-array': {
      const selected = Array.isArray(props.value) ? props.value : [];
      return (
        <FormControl
          component="fieldset"
          error={Boolean(error)}
          required={props.required}
          data-testid={testId}
        >
          <FormLabel component="legend">{label}</FormLabel>
          <FormGroup row>
            {enumOptions(schema).map(option => (
              <FormControlLabel
                key={option}
                label={option}
                control={
                  <Checkbox
                    color="primary"
                    size="small"
                    checked={selected.includes(option)}
                    disabled={props.disabled}
                    onChange={e =>
                      props.onChange(
                        e.target.checked
                          ? [...selected, option]
                          : selected.filter(s => s !== option),
                      )
                    }
                  />
                }
              />
            ))}
          </FormGroup>
          {(error ?? description) && <FormHelperText>{error ?? description}</FormHelperText>}
        </FormControl>
      );
    }
    case 'string-array':
      return (
        <TagField
          label={label}
          required={props.required}
          value={Array.isArray(props.value) ? props.value : []}
          onChange={props.onChange}
          helperText={error ?? description ?? 'Press Enter or comma to add'}
          error={Boolean(error)}
          disabled={props.disabled}
          testId={testId}
          autoFocus={props.autoFocus}
          chipsClassName={classes.chips}
        />
      );
    case 'object':
      return (
        <Box component="fieldset" className={classes.fieldset}>
          <Typography component="legend" variant="subtitle2">
            {label}
          </Typography>
          {description && (
            <Typography variant="body2" color="textSecondary">
              {description}
            </Typography>
          )}
          <ObjectFields
            schema={schema}
            value={isObject(props.value) ? (props.value as DraftObject) : {}}
            onChange={props.onChange}
            errors={props.errors}
            disabled={props.disabled}
            pathPrefix={props.path}
            testIdPrefix={props.testIdPrefix}
          />
        </Box>
      );
    default: {
      const isJson = kind === 'json';
      const multiline =
        isJson ||
        props.name === 'description' ||
        (typeof schema.maxLength === 'number' && schema.maxLength > 256);
      const inputType =
        kind === 'number' || kind === 'integer'
          ? 'number'
          : schema.format === 'date-time'
            ? 'datetime-local'
            : schema.format === 'date'
              ? 'date'
              : schema.format === 'email'
                ? 'email'
                : 'text';
      return (
        <TextField
          fullWidth
          variant="outlined"
          size="small"
          label={isJson ? `${label} (JSON)` : label}
          required={props.required}
          value={text}
          type={inputType}
          multiline={multiline}
          minRows={multiline ? 3 : undefined}
          onChange={e => props.onChange(e.target.value)}
          disabled={props.disabled}
          error={Boolean(error)}
          helperText={error ?? description}
          autoFocus={props.autoFocus}
          InputLabelProps={
            inputType === 'datetime-local' || inputType === 'date' ? { shrink: true } : undefined
          }
          inputProps={{ 'data-testid': testId, spellCheck: isJson ? false : undefined }}
        />
      );
    }
  }
}

function TagField(props: {
  label: string;
  required: boolean;
  value: string[];
  onChange: (value: string[]) => void;
  helperText?: string;
  error: boolean;
  disabled?: boolean;
  testId: string;
  autoFocus?: boolean;
  chipsClassName: string;
}) {
  const [pending, setPending] = useState('');
  const commit = () => {
    const additions = pending
      .split(',')
      .map(s => s.trim())
      .filter(s => s && !props.value.includes(s));
    if (additions.length > 0) props.onChange([...props.value, ...additions]);
    setPending('');
  };
  const onKeyDown = (event: KeyboardEvent<HTMLInputElement>) => {
    if (event.key === 'Enter' || event.key === ',') {
      event.preventDefault();
      commit();
    } else if (event.key === 'Backspace' && pending === '' && props.value.length > 0) {
      props.onChange(props.value.slice(0, -1));
    }
  };
  return (
    <Box>
      <TextField
        fullWidth
        variant="outlined"
        size="small"
        label={props.label}
        required={props.required && props.value.length === 0}
        value={pending}
        onChange={e => setPending(e.target.value)}
        onKeyDown={onKeyDown}
        onBlur={commit}
        disabled={props.disabled}
        error={props.error}
        helperText={props.helperText}
        autoFocus={props.autoFocus}
        inputProps={{ 'data-testid': props.testId }}
      />
      {props.value.length > 0 && (
        <Box className={props.chipsClassName}>
          {props.value.map(item => (
            <Chip
              key={item}
              size="small"
              label={item}
              onDelete={
                props.disabled
                  ? undefined
                  : () => props.onChange(props.value.filter(v => v !== item))
              }
            />
          ))}
        </Box>
      )}
    </Box>
  );
}
