import { createFrontendPlugin, PageBlueprint } from '@backstage/frontend-plugin-api';
import VerifiedUserIcon from '@material-ui/icons/VerifiedUser';

/*
 * One page at /compliance with tabs: frameworks overview (scores and trends, requirement
 * drill-down), findings inbox, rules with live test, waivers and reports. Its nav item comes
 * from the kernel navigation registry, shown to holders of compliance.view.
 */
const compliancePage = PageBlueprint.make({
  params: {
    path: '/compliance',
    title: 'Compliance',
    icon: <VerifiedUserIcon />,
    loader: () => import('./components/ComplianceRoutes').then(m => <m.ComplianceRoutes />),
  },
});

/** Frontend of the `compliance` group. */
export const compliancePlugin = createFrontendPlugin({
  pluginId: 'compliance',
  title: 'Compliance',
  extensions: [compliancePage],
});
