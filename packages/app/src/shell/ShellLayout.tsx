import { makeStyles } from '@material-ui/core';
import type { ReactNode } from 'react';
import { CommandPalette } from './CommandPalette';
import { ShellProvider } from './ShellContext';
import { TopBar } from './TopBar';

const useStyles = makeStyles(theme => ({
  root: {
    display: 'flex',
    height: '100vh',
    overflow: 'hidden',
    background: theme.palette.background.default,
  },
  main: { flex: 1, minWidth: 0, display: 'flex', flexDirection: 'column' },
  content: { flex: 1, overflow: 'auto', position: 'relative' },
}));

/**
 * Replaces the app plugin's layout: sidebar (the `app/nav` element, whose content is our
 * NavContentBlueprint), top bar, routed content, and the ⌘K palette.
 */
export function ShellLayout(props: { nav: ReactNode; content: ReactNode }) {
  const classes = useStyles();
  return (
    <ShellProvider>
      <div className={classes.root}>
        {props.nav}
        <div className={classes.main}>
          <TopBar />
          <main className={classes.content} id="racine-main">
            {props.content}
          </main>
        </div>
        <CommandPalette />
      </div>
    </ShellProvider>
  );
}
