import {
  coreExtensionData,
  createFrontendModule,
  NotFoundErrorPage,
  PageBlueprint,
  PageLayout,
} from '@backstage/frontend-plugin-api';
import {
  IconBundleBlueprint,
  NavContentBlueprint,
  SignInPageBlueprint,
  SwappableComponentBlueprint,
  ThemeBlueprint,
} from '@backstage/plugin-app-react';
import appPlugin from '@backstage/plugin-app';
import HistoryIcon from '@material-ui/icons/History';
import { racineIcons } from './shell/icons';
import { NotFoundPage } from './shell/NotFoundPage';
import { RacinePageLayout } from './shell/RacinePageLayout';
import { ShellLayout } from './shell/ShellLayout';
import { KernelSidebar } from './shell/Sidebar';
import { RacineSignInPage } from './shell/SignIn';
import { racineDarkTheme, racineLightTheme } from './shell/themes';

/** The shell's frame: sidebar + top bar + routed content, replacing `app/layout`. */
const layout = appPlugin.getExtension('app/layout').override({
  *factory(_originalFactory, { inputs }) {
    yield coreExtensionData.reactElement(
      <ShellLayout
        nav={inputs.nav.get(coreExtensionData.reactElement)}
        content={inputs.content.get(coreExtensionData.reactElement)}
      />,
    );
  },
});

const sidebar = NavContentBlueprint.make({ params: { component: KernelSidebar } });

const signInPage = SignInPageBlueprint.make({
  params: { loader: async () => RacineSignInPage },
});

// Same names as the app plugin's theme extensions, so these replace Backstage's defaults.
const lightTheme = ThemeBlueprint.make({ name: 'light', params: { theme: racineLightTheme } });
const darkTheme = ThemeBlueprint.make({ name: 'dark', params: { theme: racineDarkTheme } });

const icons = IconBundleBlueprint.make({ name: 'racine', params: { icons: racineIcons } });

const pageLayout = SwappableComponentBlueprint.make({
  name: 'core-page-layout',
  params: define => define({ component: PageLayout, loader: () => RacinePageLayout }),
});

const notFoundPage = SwappableComponentBlueprint.make({
  name: 'core-not-found-error-page',
  params: define => define({ component: NotFoundErrorPage, loader: () => NotFoundPage }),
});

const homePage = PageBlueprint.make({
  name: 'home',
  params: {
    path: '/',
    title: 'Home',
    noHeader: true,
    loader: () => import('./pages/HomePage').then(m => <m.HomePage />),
  },
});

const activityPage = PageBlueprint.make({
  name: 'activity',
  params: {
    path: '/activity',
    title: 'Activity',
    icon: <HistoryIcon />,
    loader: () => import('./pages/ActivityPage').then(m => <m.ActivityPage />),
  },
});

/** Racine's customizations of Backstage's `app` plugin: the "main manager" shell. */
export const appModuleRacineShell = createFrontendModule({
  pluginId: 'app',
  extensions: [
    layout,
    sidebar,
    signInPage,
    lightTheme,
    darkTheme,
    icons,
    pageLayout,
    notFoundPage,
    homePage,
    activityPage,
  ],
});
