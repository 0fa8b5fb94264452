import type { AppTheme } from '@backstage/frontend-plugin-api';
import {
  createUnifiedTheme,
  palettes,
  UnifiedThemeOptions,
  UnifiedThemeProvider,
} from '@backstage/theme';
import { CssBaseline } from '@material-ui/core';
import DarkIcon from '@material-ui/icons/Brightness2';
import LightIcon from '@material-ui/icons/WbSunny';

const fontFamily =
  'Inter, system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif';

/** Flat, bordered tables instead of Backstage's zebra rows, to match the rest of the shell. */
const components: UnifiedThemeOptions['components'] = {
  MuiTableRow: {
    styleOverrides: {
      root: { '&:nth-of-type(odd)': { backgroundColor: 'inherit' } },
      hover: { '&:hover': { cursor: 'default' } },
    },
  },
  MuiTableCell: {
    styleOverrides: {
      root: ({ theme }) => ({
        padding: theme.spacing(1.5, 2),
        borderBottom: `1px solid ${theme.palette.divider}`,
        lineHeight: 1.43,
        verticalAlign: 'middle',
      }),
      sizeSmall: ({ theme }) => ({ padding: theme.spacing(1, 2) }),
      head: ({ theme }) => ({
        color: theme.palette.text.secondary,
        fontWeight: 600,
        fontSize: '0.75rem',
        textTransform: 'uppercase',
        letterSpacing: '0.04em',
        whiteSpace: 'nowrap',
      }),
    },
  },
  MuiButton: {
    styleOverrides: {
      root: { textTransform: 'none', fontWeight: 600, borderRadius: 8 },
      text: { padding: undefined },
    },
  },
  MuiPaper: {
    styleOverrides: { root: { backgroundImage: 'unset' }, rounded: { borderRadius: 10 } },
  },
  MuiChip: { styleOverrides: { root: { fontWeight: 500 } } },
  MuiOutlinedInput: { styleOverrides: { root: { borderRadius: 8 } } },
};

const lightTheme = createUnifiedTheme({
  palette: {
    ...palettes.light,
    primary: { main: '#3451D1' },
    secondary: { main: '#0E8A7E' },
    background: { default: '#F5F6F8', paper: '#FFFFFF' },
    link: '#3451D1',
  },
  fontFamily,
  defaultPageTheme: 'home',
  components,
});

const darkTheme = createUnifiedTheme({
  palette: {
    ...palettes.dark,
    primary: { main: '#8EA2FF' },
    secondary: { main: '#4FD1C5' },
    background: { default: '#0E1116', paper: '#161A22' },
    link: '#9DB0FF',
  },
  fontFamily,
  defaultPageTheme: 'home',
  components,
});

/*
 * Replace the app plugin's default light/dark themes (same ids, so the saved choice holds).
 * Backstage's new frontend system renders no CssBaseline, so the themes bring it: it sets
 * the body font and border-box sizing everywhere.
 */
export const racineLightTheme: AppTheme = {
  id: 'light',
  title: 'Light',
  variant: 'light',
  icon: <LightIcon />,
  Provider: ({ children }) => (
    <UnifiedThemeProvider theme={lightTheme}>
      <CssBaseline />
      {children}
    </UnifiedThemeProvider>
  ),
};

export const racineDarkTheme: AppTheme = {
  id: 'dark',
  title: 'Dark',
  variant: 'dark',
  icon: <DarkIcon />,
  Provider: ({ children }) => (
    <UnifiedThemeProvider theme={darkTheme}>
      <CssBaseline />
      {children}
    </UnifiedThemeProvider>
  ),
};
