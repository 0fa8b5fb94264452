import { createFrontendPlugin, PageBlueprint } from '@backstage/frontend-plugin-api';
import LibraryBooksIcon from '@material-ui/icons/LibraryBooks';

/*
 * One page mounted at /catalog with its own sub-routes (the browser and asset pages). Its
 * nav item comes from the kernel navigation registry (backend), shown to holders of
 * catalog.view.
 */
const catalogPage = PageBlueprint.make({
  params: {
    path: '/catalog',
    title: 'Data catalog',
    icon: <LibraryBooksIcon />,
    loader: () => import('./components/CatalogRoutes').then(m => <m.CatalogRoutes />),
  },
});

/** Frontend of the `data-catalog` group. */
export const dataCatalogPlugin = createFrontendPlugin({
  pluginId: 'data-catalog',
  title: 'Data catalog',
  extensions: [catalogPage],
});
