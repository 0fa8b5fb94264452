import { Route, Routes } from 'react-router-dom';
import { JobListPage } from './JobListPage';
import { JobPage, NewJobPage } from './JobPage';
import { RunPage } from './RunPage';

/** Sub-routes of /jobs: the job list, the builder for a new job, a job, and a live run. */
export function JobsRoutes() {
  return (
    <Routes>
      <Route path="/" element={<JobListPage />} />
      <Route path="/new" element={<NewJobPage />} />
      <Route path="/:jobId" element={<JobPage />} />
      <Route path="/:jobId/runs/:runId" element={<RunPage />} />
    </Routes>
  );
}
