import { Route, Routes } from 'react-router-dom';
import { RuleSetDetailPage } from './RuleSetDetailPage';
import { RuleSetListPage } from './RuleSetListPage';

/** Sub-routes of `/scan-rulesets`: the list, and one rule set (`/scan-rulesets/:id`). */
export function ScanRulesetsRoutes() {
  return (
    <Routes>
      <Route path="/" element={<RuleSetListPage />} />
      <Route path="/:id" element={<RuleSetDetailPage />} />
    </Routes>
  );
}
