import { createFrontendPlugin, PageBlueprint } from '@backstage/frontend-plugin-api';
import AccountTreeIcon from '@material-ui/icons/AccountTree';
import ViewQuiltIcon from '@material-ui/icons/ViewQuilt';

/*
 * The Job Workflow Space: /jobs (job list, DAG builder, versions, live runs) and /pipelines
 * (the templates gallery). Their nav items come from the kernel navigation registry (backend),
 * shown to holders of pipelines.view.
 */
const jobsPage = PageBlueprint.make({
  name: 'jobs',
  params: {
    path: '/jobs',
    title: 'Jobs',
    icon: <AccountTreeIcon />,
    loader: () => import('./components/JobsRoutes').then(m => <m.JobsRoutes />),
  },
});

const templatesPage = PageBlueprint.make({
  name: 'templates',
  params: {
    path: '/pipelines',
    title: 'Pipelines',
    icon: <ViewQuiltIcon />,
    loader: () => import('./components/TemplatesPage').then(m => <m.TemplatesPage />),
  },
});

/** Frontend of the `pipelines` group. */
export const pipelinesPlugin = createFrontendPlugin({
  pluginId: 'pipelines',
  title: 'Jobs and pipelines',
  extensions: [jobsPage, templatesPage],
});
