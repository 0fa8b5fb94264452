import {
  Box,
  FormControlLabel,
  makeStyles,
  MenuItem,
  MenuList,
  Paper,
  Popper,
  Switch,
  TextField,
  Typography,
} from '@material-ui/core';
import type { JsonSchema } from '@racine/kernel-common';
import { useRef, useState } from 'react';

const useStyles = makeStyles(theme => ({
  fields: { display: 'grid', gap: theme.spacing(1.5) },
  popper: { zIndex: 1500, maxHeight: 260, overflow: 'auto' },
  suggestion: { fontFamily: 'monospace', fontSize: 12 },
}));

type Schema = Record<string, unknown>;

function resolve(schema: Schema): Schema {
  // zod's JSON Schema puts the real shape of optional/default fields under anyOf/allOf.
  for (const key of ['anyOf', 'oneOf', 'allOf']) {
    const options = schema[key];
    if (Array.isArray(options)) {
      const concrete = (options as Schema[]).find(o => o.type !== 'null');
      if (concrete)
        return { ...concrete, ...schema, [key]: undefined, type: concrete.type ?? schema.type };
    }
  }
  return schema;
}

type Kind = 'enum' | 'boolean' | 'number' | 'string' | 'json';

function kindOf(raw: Schema): Kind {
  const schema = resolve(raw);
  if (Array.isArray(schema.enum)) return 'enum';
  const type = Array.isArray(schema.type)
    ? (schema.type as string[]).find(t => t !== 'null')
    : schema.type;
  if (type === 'boolean') return 'boolean';
  if (type === 'number' || type === 'integer') return 'number';
  if (type === 'string') return 'string';
  if (
    Array.isArray(raw.anyOf) &&
    (raw.anyOf as Schema[]).every(o => ['string', 'number', 'boolean'].includes(String(o.type)))
  )
    return 'string';
  return 'json';
}

/**
 * A text field that completes dynamic values: typing `{{` lists the references the task may
 * use (job fields, parameters, upstream tasks' values and results).
 */
export function TemplateField(props: {
  label: string;
  value: string;
  onChange: (value: string) => void;
  suggestions: string[];
  helperText?: string;
  error?: boolean;
  multiline?: boolean;
  testId?: string;
  required?: boolean;
}) {
  const classes = useStyles();
  const input = useRef<HTMLInputElement | HTMLTextAreaElement | null>(null);
  const [open, setOpen] = useState<{ start: number; fragment: string } | undefined>();

  const detect = (text: string, caret: number) => {
    const before = text.slice(0, caret);
    const match = /\{\{\s*([^{}]*)$/.exec(before);
    setOpen(match ? { start: match.index, fragment: match[1] } : undefined);
  };
  const matches = open
    ? props.suggestions
        .filter(s => s.slice(2, -2).toLowerCase().includes(open.fragment.trim().toLowerCase()))
        .slice(0, 30)
    : [];
  const pick = (suggestion: string) => {
    if (!open || !input.current) return;
    const caret = input.current.selectionStart ?? props.value.length;
    const after = props.value.slice(caret).replace(/^[^{}]*\}\}/, '');
    props.onChange(`${props.value.slice(0, open.start)}${suggestion}${after}`);
    setOpen(undefined);
  };
  return (
    <>
      <TextField
        label={props.label}
        value={props.value}
        required={props.required}
        multiline={props.multiline}
        variant="outlined"
        size="small"
        fullWidth
        error={props.error}
        helperText={props.helperText}
        inputRef={input}
        onChange={e => {
          props.onChange(e.target.value);
          detect(e.target.value, e.target.selectionStart ?? e.target.value.length);
        }}
        onKeyDown={e => {
          if (open && matches.length && (e.key === 'Enter' || e.key === 'Tab')) {
            e.preventDefault();
            pick(matches[0]);
          } else if (e.key === 'Escape') setOpen(undefined);
        }}
        onBlur={() => window.setTimeout(() => setOpen(undefined), 150)}
        inputProps={{ 'data-testid': props.testId, spellCheck: false }}
      />
      <Popper
        open={Boolean(open && matches.length)}
        anchorEl={input.current}
        placement="bottom-start"
        className={classes.popper}
      >
        <Paper elevation={4}>
          <MenuList dense data-testid="reference-suggestions">
            {matches.map(s => (
              <MenuItem
                key={s}
                className={classes.suggestion}
                onMouseDown={e => e.preventDefault()}
                onClick={() => pick(s)}
              >
                {s}
              </MenuItem>
            ))}
          </MenuList>
        </Paper>
      </Popper>
    </>
  );
}

/** A JSON value edited as text, applied when it parses (remounted per task, so it owns its text). */
function JsonField(props: {
  label: string;
  value: unknown;
  onChange: (value: unknown) => void;
  testId?: string;
  helperText?: string;
}) {
  const show = (value: unknown) =>
    value === undefined
      ? ''
      : typeof value === 'string' && value.startsWith('{{')
        ? value
        : JSON.stringify(value, null, 2);
  const [text, setText] = useState(() => show(props.value));
  const [error, setError] = useState<string>();
  return (
    <TextField
      label={props.label}
      value={text}
      multiline
      minRows={2}
      variant="outlined"
      size="small"
      fullWidth
      error={Boolean(error)}
      helperText={error ?? props.helperText ?? 'JSON'}
      onChange={e => {
        setText(e.target.value);
        if (!e.target.value.trim()) {
          setError(undefined);
          props.onChange(undefined);
          return;
        }
        try {
          props.onChange(JSON.parse(e.target.value));
          setError(undefined);
        } catch (parseError) {
          if (e.target.value.trim().startsWith('{{')) {
            // A dynamic value that resolves to JSON when the task runs.
            props.onChange(e.target.value.trim());
            setError(undefined);
          } else {
            setError(`Not JSON yet: ${(parseError as Error).message}`);
          }
        }
      }}
      inputProps={{
        'data-testid': props.testId,
        spellCheck: false,
        style: { fontFamily: 'monospace', fontSize: 12 },
      }}
    />
  );
}

/** The input of a task, as a form generated from its step's input JSON Schema. */
export function InputEditor(props: {
  schema: JsonSchema;
  value: Record<string, unknown>;
  onChange: (value: Record<string, unknown>) => void;
  suggestions: string[];
  uiHints?: Record<string, { widget?: string; placeholder?: string; help?: string }>;
  issues?: string[];
}) {
  const classes = useStyles();
  const schema = props.schema as Schema;
  const fields = Object.entries((schema.properties ?? {}) as Record<string, Schema>);
  const required = new Set(Array.isArray(schema.required) ? (schema.required as string[]) : []);
  const set = (name: string, value: unknown) => {
    const next = { ...props.value };
    if (value === undefined || value === '') delete next[name];
    else next[name] = value;
    props.onChange(next);
  };
  if (fields.length === 0) {
    return (
      <Typography variant="body2" color="textSecondary">
        This step takes no input.
      </Typography>
    );
  }
  return (
    <Box className={classes.fields}>
      {fields.map(([name, raw]) => {
        const field = resolve(raw);
        const kind = kindOf(raw);
        const hint = props.uiHints?.[name];
        const issue = props.issues?.find(
          i => i.startsWith(`input.${name}:`) || i.startsWith(`input.${name}.`),
        );
        const help =
          issue ??
          hint?.help ??
          (typeof field.description === 'string' ? field.description : undefined);
        const current = props.value[name];
        const testId = `input-${name}`;
        if (kind === 'enum') {
          return (
            <TextField
              key={name}
              select
              fullWidth
              label={name}
              required={required.has(name)}
              value={typeof current === 'string' ? current : ''}
              onChange={e => set(name, e.target.value)}
              variant="outlined"
              size="small"
              helperText={help}
              error={Boolean(issue)}
              SelectProps={{ SelectDisplayProps: { 'data-testid': testId } as object }}
            >
              {(field.enum as string[]).map(option => (
                <MenuItem key={option} value={option}>
                  {option}
                </MenuItem>
              ))}
            </TextField>
          );
        }
        if (kind === 'boolean') {
          return (
            <FormControlLabel
              key={name}
              control={
                <Switch
                  checked={current === true || (current === undefined && field.default === true)}
                  onChange={e => set(name, e.target.checked)}
                  inputProps={{ 'data-testid': testId } as object}
                />
              }
              label={name}
            />
          );
        }
        if (kind === 'json') {
          return (
            <JsonField
              key={name}
              label={name}
              value={current}
              onChange={v => set(name, v)}
              testId={testId}
              helperText={help}
            />
          );
        }
        const text =
          current === undefined || current === null
            ? ''
            : typeof current === 'string'
              ? current
              : String(current);
        return (
          <TemplateField
            key={name}
            label={name}
            required={required.has(name)}
            value={text}
            suggestions={props.suggestions}
            helperText={help ?? (hint?.placeholder ? `e.g. ${hint.placeholder}` : undefined)}
            error={Boolean(issue)}
            testId={testId}
            onChange={value => {
              if (
                kind === 'number' &&
                value.trim() !== '' &&
                !value.includes('{{') &&
                !value.endsWith('.') &&
                Number.isFinite(Number(value))
              )
                set(name, Number(value));
              else set(name, value);
            }}
          />
        );
      })}
    </Box>
  );
}
