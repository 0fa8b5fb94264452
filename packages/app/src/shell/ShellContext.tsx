import { useMediaQuery, useTheme } from '@material-ui/core';
import {
  createContext,
  ReactNode,
  useCallback,
  useContext,
  useEffect,
  useMemo,
  useState,
} from 'react';
import { readUserPreference, useUserEntityRef, writeUserPreference } from './useUserEntityRef';

export const SIDEBAR_WIDTH = 248;
export const SIDEBAR_COLLAPSED_WIDTH = 64;
export const TOP_BAR_HEIGHT = 56;

export interface ShellState {
  /** Desktop: the sidebar shows icons only. */
  collapsed: boolean;
  toggleCollapsed: () => void;
  /** Small screens: the sidebar is a drawer, open or closed. */
  isDesktop: boolean;
  drawerOpen: boolean;
  setDrawerOpen: (open: boolean) => void;
  paletteOpen: boolean;
  setPaletteOpen: (open: boolean) => void;
  userEntityRef: string | undefined;
}

const ShellContext = createContext<ShellState | undefined>(undefined);

export function useShell(): ShellState {
  const state = useContext(ShellContext);
  if (!state) throw new Error('useShell must be used inside the Racine shell layout');
  return state;
}

export function ShellProvider(props: { children: ReactNode }) {
  const theme = useTheme();
  const isDesktop = useMediaQuery(theme.breakpoints.up('md'), { noSsr: true });
  const userEntityRef = useUserEntityRef();
  const [collapsed, setCollapsed] = useState(false);
  const [drawerOpen, setDrawerOpen] = useState(false);
  const [paletteOpen, setPaletteOpen] = useState(false);

  // The collapsed state is remembered per user, so it is read once the user is known.
  useEffect(() => {
    if (userEntityRef)
      setCollapsed(readUserPreference(userEntityRef, 'sidebar-collapsed') ?? false);
  }, [userEntityRef]);

  const toggleCollapsed = useCallback(() => {
    setCollapsed(previous => {
      if (userEntityRef) writeUserPreference(userEntityRef, 'sidebar-collapsed', !previous);
      return !previous;
    });
  }, [userEntityRef]);

  // ⌘K / Ctrl-K opens the quick-action palette from anywhere.
  useEffect(() => {
    const onKeyDown = (event: KeyboardEvent) => {
      if ((event.metaKey || event.ctrlKey) && !event.altKey && event.key.toLowerCase() === 'k') {
        event.preventDefault();
        setPaletteOpen(open => !open);
      }
    };
    window.addEventListener('keydown', onKeyDown);
    return () => window.removeEventListener('keydown', onKeyDown);
  }, []);

  const value = useMemo<ShellState>(
    () => ({
      collapsed: isDesktop && collapsed,
      toggleCollapsed,
      isDesktop,
      drawerOpen,
      setDrawerOpen,
      paletteOpen,
      setPaletteOpen,
      userEntityRef,
    }),
    [collapsed, toggleCollapsed, isDesktop, drawerOpen, paletteOpen, userEntityRef],
  );
  return <ShellContext.Provider value={value}>{props.children}</ShellContext.Provider>;
}
