import { SectionTabs } from '@racine/kernel-react';
import { Navigate, Route, Routes } from 'react-router-dom';
import { AccuracyPage } from './AccuracyPage';
import { AssetLabelsPage } from './AssetLabelsPage';
import { ClassifierDetailPage } from './ClassifierDetailPage';
import { LibraryPage } from './LibraryPage';
import { ReviewQueuePage } from './ReviewQueuePage';
import { RuleEditorPage } from './RuleEditorPage';
import { RulesPage } from './RulesPage';

const TABS = [
  { id: 'review', label: 'Review queue' },
  { id: 'library', label: 'Classifier library' },
  { id: 'rules', label: 'Custom rules' },
  { id: 'accuracy', label: 'Accuracy' },
];

/** Tabs and sub-routes of /classifications. */
export function ClassificationsRoutes() {
  return (
    <>
      <SectionTabs basePath="/classifications" tabs={TABS} />
      <Routes>
        <Route path="/" element={<Navigate to="review" replace />} />
        <Route path="/review" element={<ReviewQueuePage />} />
        <Route path="/library" element={<LibraryPage />} />
        <Route path="/library/:id" element={<ClassifierDetailPage />} />
        <Route path="/rules" element={<RulesPage />} />
        <Route path="/rules/new" element={<RuleEditorPage mode="create" />} />
        <Route path="/rules/:id" element={<RuleEditorPage mode="edit" />} />
        <Route path="/accuracy" element={<AccuracyPage />} />
        <Route path="/asset/:ref" element={<AssetLabelsPage />} />
      </Routes>
    </>
  );
}
