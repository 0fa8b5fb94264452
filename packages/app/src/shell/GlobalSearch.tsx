import {
  Box,
  ClickAwayListener,
  InputBase,
  LinearProgress,
  makeStyles,
  Paper,
  Popper,
  Typography,
} from '@material-ui/core';
import SearchIcon from '@material-ui/icons/Search';
import type { SearchHit } from '@racine/kernel-common';
import { useSearch } from '@racine/kernel-react';
import { KeyboardEvent, useEffect, useRef, useState } from 'react';
import { useNavigate } from 'react-router-dom';

const useStyles = makeStyles(theme => ({
  field: {
    display: 'flex',
    alignItems: 'center',
    gap: theme.spacing(1),
    height: 38,
    padding: theme.spacing(0, 1.5),
    borderRadius: 8,
    background: theme.palette.type === 'dark' ? 'rgba(255,255,255,0.06)' : 'rgba(15,23,42,0.05)',
    border: '1px solid transparent',
    transition: theme.transitions.create(['border-color', 'background']),
    '&:focus-within': {
      borderColor: theme.palette.primary.main,
      background: theme.palette.background.paper,
    },
  },
  icon: { color: theme.palette.text.secondary, fontSize: 20 },
  input: { flex: 1, fontSize: 14 },
  popper: { zIndex: theme.zIndex.modal },
  results: {
    marginTop: theme.spacing(0.5),
    maxHeight: 440,
    overflowY: 'auto',
    padding: theme.spacing(0.5),
  },
  hit: {
    display: 'block',
    width: '100%',
    textAlign: 'left',
    padding: theme.spacing(1, 1.5),
    borderRadius: 6,
    cursor: 'pointer',
    border: 0,
    background: 'transparent',
    color: theme.palette.text.primary,
    font: 'inherit',
  },
  hitActive: { background: theme.palette.action.selected },
  hitTitleRow: { display: 'flex', alignItems: 'center', gap: theme.spacing(1) },
  hitTitle: {
    fontWeight: 600,
    fontSize: 14,
    overflow: 'hidden',
    textOverflow: 'ellipsis',
    whiteSpace: 'nowrap',
  },
  hitType: {
    flexShrink: 0,
    fontSize: 11,
    padding: theme.spacing(0, 0.75),
    borderRadius: 4,
    background: theme.palette.action.hover,
    color: theme.palette.text.secondary,
  },
  hitSnippet: {
    fontSize: 12.5,
    color: theme.palette.text.secondary,
    overflow: 'hidden',
    textOverflow: 'ellipsis',
    whiteSpace: 'nowrap',
  },
  empty: { padding: theme.spacing(2), color: theme.palette.text.secondary },
}));

/**
 * Federated search over every group's provider (`/api/kernel/search`): hits as you type,
 * ↑/↓ to move, Enter to open, Esc to close. `/` focuses the field from anywhere.
 */
export function GlobalSearch() {
  const classes = useStyles();
  const navigate = useNavigate();
  const anchorRef = useRef<HTMLDivElement>(null);
  const inputRef = useRef<HTMLInputElement>(null);
  const [query, setQuery] = useState('');
  const [open, setOpen] = useState(false);
  const [activeIndex, setActiveIndex] = useState(0);
  const { hits, loading, error, query: answeredQuery } = useSearch(query, { limit: 10 });

  useEffect(() => {
    setActiveIndex(0);
  }, [hits]);

  useEffect(() => {
    const onKeyDown = (event: globalThis.KeyboardEvent) => {
      const target = event.target as HTMLElement | null;
      const typing =
        target &&
        (target.isContentEditable || ['INPUT', 'TEXTAREA', 'SELECT'].includes(target.tagName));
      if (event.key === '/' && !typing && !event.metaKey && !event.ctrlKey) {
        event.preventDefault();
        inputRef.current?.focus();
      }
    };
    window.addEventListener('keydown', onKeyDown);
    return () => window.removeEventListener('keydown', onKeyDown);
  }, []);

  const openHit = (hit: SearchHit) => {
    setOpen(false);
    setQuery('');
    inputRef.current?.blur();
    if (/^https?:\/\//.test(hit.url)) window.location.assign(hit.url);
    else navigate(hit.url);
  };

  const onKeyDown = (event: KeyboardEvent<HTMLInputElement>) => {
    if (event.key === 'ArrowDown') {
      event.preventDefault();
      setOpen(true);
      setActiveIndex(i => (hits.length ? (i + 1) % hits.length : 0));
    } else if (event.key === 'ArrowUp') {
      event.preventDefault();
      setActiveIndex(i => (hits.length ? (i - 1 + hits.length) % hits.length : 0));
    } else if (event.key === 'Enter') {
      const hit = hits[activeIndex];
      if (hit) {
        event.preventDefault();
        openHit(hit);
      }
    } else if (event.key === 'Escape') {
      setOpen(false);
      inputRef.current?.blur();
    }
  };

  const showResults = open && query.trim().length > 0;
  return (
    <ClickAwayListener onClickAway={() => setOpen(false)}>
      <div>
        <div ref={anchorRef} className={classes.field}>
          <SearchIcon className={classes.icon} />
          <InputBase
            inputRef={inputRef}
            className={classes.input}
            placeholder="Search Racine…"
            value={query}
            onChange={e => {
              setQuery(e.target.value);
              setOpen(true);
            }}
            onFocus={() => setOpen(true)}
            onKeyDown={onKeyDown}
            inputProps={{
              'data-testid': 'global-search-input',
              'aria-label': 'Search',
              role: 'combobox',
              'aria-expanded': showResults,
              'aria-controls': 'global-search-results',
              'aria-autocomplete': 'list',
            }}
          />
        </div>
        <Popper
          open={showResults}
          anchorEl={anchorRef.current}
          placement="bottom-start"
          className={classes.popper}
          style={{ width: anchorRef.current?.offsetWidth }}
        >
          <Paper
            elevation={8}
            className={classes.results}
            id="global-search-results"
            role="listbox"
            data-testid="search-results"
          >
            {loading && <LinearProgress />}
            {error && (
              <Typography variant="body2" className={classes.empty} role="alert">
                Search failed: {error.message}
              </Typography>
            )}
            {!loading && !error && answeredQuery && hits.length === 0 && (
              <Typography variant="body2" className={classes.empty} data-testid="search-empty">
                No results for “{answeredQuery}”
              </Typography>
            )}
            {hits.map((hit, index) => (
              <button
                type="button"
                key={hit.ref}
                role="option"
                aria-selected={index === activeIndex}
                className={`${classes.hit} ${index === activeIndex ? classes.hitActive : ''}`}
                onMouseEnter={() => setActiveIndex(index)}
                onClick={() => openHit(hit)}
                data-testid="search-hit"
                data-ref={hit.ref}
                data-url={hit.url}
              >
                <Box className={classes.hitTitleRow}>
                  <span className={classes.hitTitle}>{hit.title}</span>
                  <span className={classes.hitType}>{hit.type}</span>
                </Box>
                {hit.snippet && <div className={classes.hitSnippet}>{hit.snippet}</div>}
              </button>
            ))}
          </Paper>
        </Popper>
      </div>
    </ClickAwayListener>
  );
}
