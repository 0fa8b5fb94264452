import { Tab, Tabs, makeStyles } from '@material-ui/core';
import { Link, Navigate, Route, Routes, useLocation } from 'react-router-dom';
import { AccuracyPage } from './AccuracyPage';
import { AssetLabelsPage } from './AssetLabelsPage';
import { ClassifierDetailPage } from './ClassifierDetailPage';
import { LibraryPage } from './LibraryPage';
import { ReviewQueuePage } from './ReviewQueuePage';
import { RuleEditorPage } from './RuleEditorPage';
import { RulesPage } from './RulesPage';

const useStyles = makeStyles(theme => ({
  tabs: {
    borderBottom: `1px solid ${theme.palette.divider}`,
    marginTop: theme.spacing(-1.5),
    marginBottom: theme.spacing(3),
  },
}));

const TABS = [
  { id: 'review', label: 'Review queue' },
  { id: 'library', label: 'Classifier library' },
  { id: 'rules', label: 'Custom rules' },
  { id: 'accuracy', label: 'Accuracy' },
];

/** Tabs and sub-routes of /classifications. */
export function ClassificationsRoutes() {
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
            to={`/classifications/${tab.id}`}
            data-testid={`tab-${tab.id}`}
          />
        ))}
      </Tabs>
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
