import { Route, Routes } from 'react-router-dom';
import { AssetPage } from './AssetPage';
import { CatalogHomePage } from './CatalogHomePage';
import { CatalogLayout } from './CatalogLayout';
import { GlossaryPage } from './glossary/GlossaryPage';
import { GlossaryTermPage } from './glossary/GlossaryTermPage';
import { CatalogSearchPage } from './search/CatalogSearchPage';

/**
 * Sub-routes of /catalog: the browser and one page per asset (`asset/<encoded ref>`) beside
 * the tree; full-width search (with facets) and the business glossary.
 */
export function CatalogRoutes() {
  return (
    <Routes>
      <Route path="search" element={<CatalogSearchPage />} />
      <Route path="glossary" element={<GlossaryPage />} />
      <Route path="glossary/:id" element={<GlossaryTermPage />} />
      <Route element={<CatalogLayout />}>
        <Route index element={<CatalogHomePage />} />
        <Route path="asset/:ref" element={<AssetPage />} />
      </Route>
    </Routes>
  );
}
