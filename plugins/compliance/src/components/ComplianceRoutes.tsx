import { Tab, Tabs, makeStyles } from '@material-ui/core';
import { Link, Navigate, Route, Routes, useLocation } from 'react-router-dom';
import { FindingsPage } from './FindingsPage';
import { FrameworkPage } from './FrameworkPage';
import { OverviewPage } from './OverviewPage';
import { ReportsPage } from './ReportsPage';
import { RulesPage } from './RulesPage';
import { WaiversPage } from './WaiversPage';

const useStyles = makeStyles(theme => ({
  tabs: {
    borderBottom: `1px solid ${theme.palette.divider}`,
    marginTop: theme.spacing(-1.5),
    marginBottom: theme.spacing(3),
  },
}));

const TABS = [
  { id: 'frameworks', label: 'Frameworks' },
  { id: 'findings', label: 'Findings' },
  { id: 'rules', label: 'Rules' },
  { id: 'waivers', label: 'Waivers' },
  { id: 'reports', label: 'Reports' },
];

/** Tabs and sub-routes of /compliance. */
export function ComplianceRoutes() {
  const classes = useStyles();
  const { pathname } = useLocation();
  const active = TABS.find(t => pathname.split('/').includes(t.id))?.id ?? false;
  return (
    <>
      <Tabs
        value={active}
        indicatorColor="primary"
        textColor="primary"
        className={classes.tabs}
        variant="scrollable"
      >
        {TABS.map(tab => (
          <Tab
            key={tab.id}
            value={tab.id}
            label={tab.label}
            component={Link}
            to={`/compliance/${tab.id}`}
            data-testid={`tab-${tab.id}`}
          />
        ))}
      </Tabs>
      <Routes>
        <Route path="/" element={<Navigate to="frameworks" replace />} />
        <Route path="/frameworks" element={<OverviewPage />} />
        <Route path="/frameworks/:id" element={<FrameworkPage />} />
        <Route path="/findings" element={<FindingsPage />} />
        <Route path="/rules" element={<RulesPage />} />
        <Route path="/waivers" element={<WaiversPage />} />
        <Route path="/reports" element={<ReportsPage />} />
      </Routes>
    </>
  );
}
