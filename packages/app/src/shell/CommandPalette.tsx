import {
  Box,
  Dialog,
  IconButton,
  InputBase,
  LinearProgress,
  makeStyles,
  Typography,
} from '@material-ui/core';
import ArrowBackIcon from '@material-ui/icons/ArrowBack';
import FlashOnIcon from '@material-ui/icons/FlashOn';
import type { ActionDescriptor } from '@racine/kernel-common';
import { ActionRunner, useActions } from '@racine/kernel-react';
import { KeyboardEvent, useEffect, useMemo, useRef, useState } from 'react';
import { useShell } from './ShellContext';

const useStyles = makeStyles(theme => ({
  paper: { alignSelf: 'flex-start', marginTop: '12vh', borderRadius: 12, overflow: 'hidden' },
  searchRow: {
    display: 'flex',
    alignItems: 'center',
    gap: theme.spacing(1.5),
    padding: theme.spacing(1.5, 2),
    borderBottom: `1px solid ${theme.palette.divider}`,
  },
  input: { flex: 1, fontSize: 16 },
  list: { maxHeight: 400, overflowY: 'auto', padding: theme.spacing(1) },
  item: {
    display: 'flex',
    alignItems: 'flex-start',
    gap: theme.spacing(1.5),
    width: '100%',
    padding: theme.spacing(1, 1.5),
    borderRadius: 8,
    border: 0,
    background: 'transparent',
    color: theme.palette.text.primary,
    font: 'inherit',
    textAlign: 'left',
    cursor: 'pointer',
  },
  itemActive: { background: theme.palette.action.selected },
  itemIcon: { color: theme.palette.primary.main, marginTop: 2, fontSize: 18 },
  itemTitle: { fontWeight: 600, fontSize: 14 },
  itemDescription: { fontSize: 12.5, color: theme.palette.text.secondary },
  itemId: {
    marginLeft: 'auto',
    flexShrink: 0,
    fontSize: 11.5,
    color: theme.palette.text.secondary,
    fontFamily: '"JetBrains Mono", "SFMono-Regular", Menlo, Consolas, monospace',
    [theme.breakpoints.down('xs')]: { display: 'none' },
  },
  empty: { padding: theme.spacing(3, 2), textAlign: 'center', color: theme.palette.text.secondary },
  formHeader: {
    display: 'flex',
    alignItems: 'flex-start',
    gap: theme.spacing(1),
    padding: theme.spacing(1.5, 2),
    borderBottom: `1px solid ${theme.palette.divider}`,
  },
  formBody: { padding: theme.spacing(2.5, 3, 3), maxHeight: '64vh', overflowY: 'auto' },
  footer: {
    display: 'flex',
    gap: theme.spacing(2),
    padding: theme.spacing(1, 2),
    borderTop: `1px solid ${theme.palette.divider}`,
    fontSize: 12,
    color: theme.palette.text.secondary,
  },
}));

/** Every word of the query must appear in the action's title, id or description. */
export function filterActions(actions: ActionDescriptor[], query: string): ActionDescriptor[] {
  const words = query.toLowerCase().split(/\s+/).filter(Boolean);
  if (words.length === 0) return actions;
  return actions.filter(action => {
    const text = `${action.title} ${action.id} ${action.description}`.toLowerCase();
    return words.every(word => text.includes(word));
  });
}

/**
 * ⌘K / Ctrl-K: the actions the caller may run (from the kernel), filtered as they type;
 * picking one opens a form generated from its input schema.
 */
export function CommandPalette() {
  const classes = useStyles();
  const shell = useShell();
  const open = shell.paletteOpen;
  const { value: actions, loading, error, reload } = useActions();
  const [query, setQuery] = useState('');
  const [activeIndex, setActiveIndex] = useState(0);
  const [selected, setSelected] = useState<ActionDescriptor>();
  const listRef = useRef<HTMLDivElement>(null);

  const sorted = useMemo(
    () => [...(actions ?? [])].sort((a, b) => a.title.localeCompare(b.title)),
    [actions],
  );
  const filtered = useMemo(() => filterActions(sorted, query), [sorted, query]);

  useEffect(() => {
    if (open) {
      // Permissions may have changed since the last time: ask again on every opening.
      reload();
    } else {
      setQuery('');
      setSelected(undefined);
    }
  }, [open, reload]);
  useEffect(() => {
    setActiveIndex(0);
  }, [query]);
  useEffect(() => {
    listRef.current?.querySelector('[aria-selected="true"]')?.scrollIntoView({ block: 'nearest' });
  }, [activeIndex]);

  const close = () => shell.setPaletteOpen(false);

  const onKeyDown = (event: KeyboardEvent<HTMLInputElement>) => {
    if (event.key === 'ArrowDown') {
      event.preventDefault();
      setActiveIndex(i => (filtered.length ? (i + 1) % filtered.length : 0));
    } else if (event.key === 'ArrowUp') {
      event.preventDefault();
      setActiveIndex(i => (filtered.length ? (i - 1 + filtered.length) % filtered.length : 0));
    } else if (event.key === 'Enter') {
      event.preventDefault();
      const action = filtered[activeIndex];
      if (action) setSelected(action);
    }
  };

  return (
    <Dialog
      open={open}
      onClose={close}
      fullWidth
      maxWidth="sm"
      PaperProps={{ className: classes.paper, 'data-testid': 'command-palette' } as object}
      aria-label="Quick actions"
    >
      {selected ? (
        <>
          <Box className={classes.formHeader}>
            <IconButton
              size="small"
              onClick={() => setSelected(undefined)}
              aria-label="Back to actions"
              data-testid="action-back"
            >
              <ArrowBackIcon fontSize="small" />
            </IconButton>
            <Box minWidth={0}>
              <Typography
                variant="subtitle1"
                style={{ fontWeight: 600 }}
                data-testid="action-title"
              >
                {selected.title}
              </Typography>
              {selected.description && (
                <Typography variant="body2" color="textSecondary">
                  {selected.description}
                </Typography>
              )}
            </Box>
          </Box>
          <Box className={classes.formBody}>
            <ActionRunner action={selected} autoFocus />
          </Box>
        </>
      ) : (
        <>
          <Box className={classes.searchRow}>
            <FlashOnIcon color="primary" />
            <InputBase
              autoFocus
              className={classes.input}
              placeholder="Run an action…"
              value={query}
              onChange={e => setQuery(e.target.value)}
              onKeyDown={onKeyDown}
              inputProps={{
                'data-testid': 'command-palette-input',
                'aria-label': 'Filter actions',
              }}
            />
          </Box>
          {loading && !actions && <LinearProgress />}
          <div className={classes.list} ref={listRef} role="listbox">
            {error && (
              <Typography variant="body2" className={classes.empty} role="alert">
                Could not load actions: {error.message}
              </Typography>
            )}
            {actions && filtered.length === 0 && (
              <Typography variant="body2" className={classes.empty}>
                {actions.length === 0 ? 'You cannot run any action.' : 'No matching action.'}
              </Typography>
            )}
            {filtered.map((action, index) => (
              <button
                type="button"
                key={action.id}
                role="option"
                aria-selected={index === activeIndex}
                className={`${classes.item} ${index === activeIndex ? classes.itemActive : ''}`}
                onMouseEnter={() => setActiveIndex(index)}
                onClick={() => setSelected(action)}
                data-testid={`action-item-${action.id}`}
              >
                <FlashOnIcon className={classes.itemIcon} />
                <Box minWidth={0}>
                  <div className={classes.itemTitle}>{action.title}</div>
                  {action.description && (
                    <div className={classes.itemDescription}>{action.description}</div>
                  )}
                </Box>
                <span className={classes.itemId}>{action.id}</span>
              </button>
            ))}
          </div>
          <Box className={classes.footer}>
            <span>↑↓ to move</span>
            <span>Enter to open</span>
            <span>Esc to close</span>
          </Box>
        </>
      )}
    </Dialog>
  );
}
