import { Route, Routes } from 'react-router-dom';
import { AssetPage } from './AssetPage';
import { CatalogHomePage } from './CatalogHomePage';
import { CatalogLayout } from './CatalogLayout';

/** Sub-routes of /catalog: the browser, and one page per asset (`asset/<encoded ref>`). */
export function CatalogRoutes() {
  return (
    <Routes>
      <Route element={<CatalogLayout />}>
        <Route index element={<CatalogHomePage />} />
        <Route path="asset/:ref" element={<AssetPage />} />
      </Route>
    </Routes>
  );
}
