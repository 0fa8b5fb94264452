import { createFrontendPlugin, PageBlueprint } from '@backstage/frontend-plugin-api';
import FingerprintIcon from '@material-ui/icons/Fingerprint';

/*
 * One page at /classifications with its own tabs and sub-routes (review queue, classifier
 * library, custom rules, accuracy). Its nav item comes from the kernel navigation registry
 * (backend), shown to holders of classification.view.
 */
const classificationsPage = PageBlueprint.make({
  params: {
    path: '/classifications',
    title: 'Classifications',
    icon: <FingerprintIcon />,
    loader: () =>
      import('./components/ClassificationsRoutes').then(m => <m.ClassificationsRoutes />),
  },
});

/** Frontend of the `classifications` group. */
export const classificationsPlugin = createFrontendPlugin({
  pluginId: 'classifications',
  title: 'Classifications',
  extensions: [classificationsPage],
});
