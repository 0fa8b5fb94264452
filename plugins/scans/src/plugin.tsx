import { createFrontendPlugin, PageBlueprint } from '@backstage/frontend-plugin-api';
import TrackChangesIcon from '@material-ui/icons/TrackChanges';

/*
 * One page mounted at /scans with its sub-routes (runs and schedules, a run's live view). Its
 * nav item comes from the kernel navigation registry (backend), shown to holders of
 * scan_logic.view.
 */
const scansPage = PageBlueprint.make({
  params: {
    path: '/scans',
    title: 'Scans',
    icon: <TrackChangesIcon />,
    loader: () => import('./components/ScansRoutes').then(m => <m.ScansRoutes />),
  },
});

/** Frontend of the `scans` group (Advanced Scan Logic). */
export const scansPlugin = createFrontendPlugin({
  pluginId: 'scans',
  title: 'Scans',
  extensions: [scansPage],
});
