import { Tab, Tabs, makeStyles } from '@material-ui/core';
import { Link, useLocation } from 'react-router-dom';

const useStyles = makeStyles(theme => ({
  tabs: {
    borderBottom: `1px solid ${theme.palette.divider}`,
    marginTop: theme.spacing(-1.5),
    marginBottom: theme.spacing(3),
  },
}));

export interface SectionTabsProps {
  /** The section's path, e.g. `/compliance`; each tab links to `<basePath>/<id>`. */
  basePath: string;
  tabs: readonly { id: string; label: string }[];
}

/** The tab bar of a plugin's section; the active tab is the one named in the current path. */
export function SectionTabs({ basePath, tabs }: SectionTabsProps) {
  const classes = useStyles();
  const { pathname } = useLocation();
  const active = tabs.find(t => pathname.split('/').includes(t.id))?.id ?? false;
  return (
    <Tabs
      value={active}
      indicatorColor="primary"
      textColor="primary"
      className={classes.tabs}
      variant="scrollable"
    >
      {tabs.map(tab => (
        <Tab
          key={tab.id}
          value={tab.id}
          label={tab.label}
          component={Link}
          to={`${basePath}/${tab.id}`}
          data-testid={`tab-${tab.id}`}
        />
      ))}
    </Tabs>
  );
}
