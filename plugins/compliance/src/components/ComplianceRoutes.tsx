import { SectionTabs } from '@racine/kernel-react';
import { Navigate, Route, Routes } from 'react-router-dom';
import { FindingsPage } from './FindingsPage';
import { FrameworkPage } from './FrameworkPage';
import { OverviewPage } from './OverviewPage';
import { ReportsPage } from './ReportsPage';
import { RulesPage } from './RulesPage';
import { WaiversPage } from './WaiversPage';

const TABS = [
  { id: 'frameworks', label: 'Frameworks' },
  { id: 'findings', label: 'Findings' },
  { id: 'rules', label: 'Rules' },
  { id: 'waivers', label: 'Waivers' },
  { id: 'reports', label: 'Reports' },
];

/** Tabs and sub-routes of /compliance. */
export function ComplianceRoutes() {
  return (
    <>
      <SectionTabs basePath="/compliance" tabs={TABS} />
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
