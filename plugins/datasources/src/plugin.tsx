import { createFrontendPlugin, PageBlueprint } from '@backstage/frontend-plugin-api';
import StorageIcon from '@material-ui/icons/Storage';

/*
 * One page mounted at /datasources with its own sub-routes (list, new, detail, edit). Its
 * nav item comes from the kernel navigation registry (backend), shown to holders of
 * datasource.view.
 */
const datasourcesPage = PageBlueprint.make({
  params: {
    path: '/datasources',
    title: 'Data sources',
    icon: <StorageIcon />,
    loader: () => import('./components/DataSourcesRoutes').then(m => <m.DataSourcesRoutes />),
  },
});

/** Frontend of the `datasources` group. */
export const datasourcesPlugin = createFrontendPlugin({
  pluginId: 'datasources',
  title: 'Data sources',
  extensions: [datasourcesPage],
});
