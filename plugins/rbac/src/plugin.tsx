import { createFrontendPlugin, PageBlueprint } from '@backstage/frontend-plugin-api';
import AccountCircleIcon from '@material-ui/icons/AccountCircle';
import AssignmentIndIcon from '@material-ui/icons/AssignmentInd';
import GroupIcon from '@material-ui/icons/Group';
import HelpOutlineIcon from '@material-ui/icons/HelpOutline';
import PeopleIcon from '@material-ui/icons/People';
import SecurityIcon from '@material-ui/icons/Security';
import VpnKeyIcon from '@material-ui/icons/VpnKey';

/*
 * Pages only: their nav items come from the kernel navigation registry (the rbac backend
 * registers them with rbac.admin, workspace.manage or none), so the sidebar shows exactly what
 * the caller may use; the server checks every route anyway.
 */
const page = (
  name: string,
  path: string,
  title: string,
  icon: JSX.Element,
  loader: () => Promise<JSX.Element>,
) => PageBlueprint.make({ name, params: { path, title, icon, loader } });

const admin = () => import('./components/AdminPages');

/** Frontend of the `rbac` group: administration and each user's own access. */
export const rbacPlugin = createFrontendPlugin({
  pluginId: 'rbac',
  title: 'Access control',
  extensions: [
    page('users', '/admin/users', 'Users', <PeopleIcon />, () =>
      admin().then(m => <m.UsersPage />),
    ),
    page('groups', '/admin/groups', 'Groups', <GroupIcon />, () =>
      admin().then(m => <m.GroupsPage />),
    ),
    page('roles', '/admin/roles', 'Roles', <SecurityIcon />, () =>
      admin().then(m => <m.RolesPage />),
    ),
    page('grants', '/admin/grants', 'Grants', <VpnKeyIcon />, () =>
      admin().then(m => <m.GrantsPage />),
    ),
    page(
      'access-requests',
      '/admin/access-requests',
      'Access requests',
      <AssignmentIndIcon />,
      () => admin().then(m => <m.AccessRequestsPage />),
    ),
    page('explain', '/admin/explain', 'Explain', <HelpOutlineIcon />, () =>
      admin().then(m => <m.ExplainPage />),
    ),
    page('my-access', '/settings/access', 'My access', <AccountCircleIcon />, () =>
      import('./components/MyAccessPage').then(m => <m.MyAccessPage />),
    ),
  ],
});
