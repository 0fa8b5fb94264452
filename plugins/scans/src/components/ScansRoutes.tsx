import { Route, Routes } from 'react-router-dom';
import { RunPage } from './RunPage';
import { ScansPage } from './ScansPage';

/** Sub-routes of /scans. */
export function ScansRoutes() {
  return (
    <Routes>
      <Route path="/" element={<ScansPage />} />
      <Route path="/runs/:id" element={<RunPage />} />
    </Routes>
  );
}
