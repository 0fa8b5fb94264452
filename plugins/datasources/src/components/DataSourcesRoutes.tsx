import { Route, Routes } from 'react-router-dom';
import { DataSourceDetailPage } from './DataSourceDetailPage';
import { DataSourceFormPage } from './DataSourceFormPage';
import { DataSourceListPage } from './DataSourceListPage';

/** Sub-routes of /datasources. */
export function DataSourcesRoutes() {
  return (
    <Routes>
      <Route path="/" element={<DataSourceListPage />} />
      <Route path="/new" element={<DataSourceFormPage mode="create" />} />
      <Route path="/:id" element={<DataSourceDetailPage />} />
      <Route path="/:id/edit" element={<DataSourceFormPage mode="edit" />} />
    </Routes>
  );
}
