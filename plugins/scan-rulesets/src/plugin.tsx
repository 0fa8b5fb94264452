import { createFrontendPlugin, PageBlueprint } from '@backstage/frontend-plugin-api';
import TuneIcon from '@material-ui/icons/Tune';

/*
 * One page at /scan-rulesets with its own sub-routes (list, rule set). Its nav item comes
 * from the kernel navigation registry (backend), shown to holders of rule_sets.view.
 */
const scanRulesetsPage = PageBlueprint.make({
  params: {
    path: '/scan-rulesets',
    title: 'Scan rule sets',
    icon: <TuneIcon />,
    loader: () => import('./components/ScanRulesetsRoutes').then(m => <m.ScanRulesetsRoutes />),
  },
});

/** Frontend of the `scan-rulesets` group: rule sets, their editor, live preview and history. */
export const scanRulesetsPlugin = createFrontendPlugin({
  pluginId: 'scan-rulesets',
  title: 'Scan rule sets',
  extensions: [scanRulesetsPage],
});
