import { createFrontendPlugin, PageBlueprint } from '@backstage/frontend-plugin-api';
import SettingsIcon from '@material-ui/icons/Settings';
import WorkIcon from '@material-ui/icons/Work';

/*
 * Pages only: their nav items come from the kernel navigation registry (backend), so the
 * sidebar shows them exactly when the caller's permissions and the enabled groups allow.
 */
const systemPage = PageBlueprint.make({
  name: 'system',
  params: {
    path: '/system',
    title: 'System',
    icon: <SettingsIcon />,
    loader: () => import('./components/SystemPage').then(m => <m.SystemPage />),
  },
});

const workspacesPage = PageBlueprint.make({
  name: 'workspaces',
  params: {
    path: '/workspaces',
    title: 'Workspaces',
    icon: <WorkIcon />,
    loader: () => import('./components/WorkspacesPage').then(m => <m.WorkspacesPage />),
  },
});

/** Frontend of the built-in `platform` group: system health and workspaces. */
export const platformPlugin = createFrontendPlugin({
  pluginId: 'platform',
  title: 'Platform',
  extensions: [systemPage, workspacesPage],
});
