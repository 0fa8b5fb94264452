import { Box, makeStyles, Typography } from '@material-ui/core';
import ChevronRightIcon from '@material-ui/icons/ChevronRight';
import ExpandMoreIcon from '@material-ui/icons/ExpandMore';
import TreeItem from '@material-ui/lab/TreeItem';
import TreeView from '@material-ui/lab/TreeView';
import { errorMessage } from '@racine/kernel-react';
import { assetPagePath, type TreeNode } from '@racine/plugin-data-catalog-common';
import { useCallback, useEffect, useRef, useState, type ChangeEvent, type MouseEvent } from 'react';
import { useNavigate } from 'react-router-dom';
import { useDataCatalogClient } from '../api/DataCatalogClient';
import { AssetIcon } from './AssetIcon';

const useStyles = makeStyles(theme => ({
  label: {
    display: 'flex',
    alignItems: 'center',
    gap: theme.spacing(0.75),
    padding: theme.spacing(0.25, 0),
    minWidth: 0,
  },
  icon: { fontSize: 16, color: theme.palette.text.secondary, flexShrink: 0 },
  name: { overflow: 'hidden', textOverflow: 'ellipsis', whiteSpace: 'nowrap', fontSize: 14 },
  count: {
    marginLeft: 'auto',
    color: theme.palette.text.secondary,
    fontSize: 12,
    paddingLeft: theme.spacing(1),
  },
  note: { fontSize: 13, color: theme.palette.text.secondary, padding: theme.spacing(0.25, 0) },
  error: { fontSize: 13, color: theme.palette.error.main },
  more: { fontSize: 13, color: theme.palette.primary.main, cursor: 'pointer' },
}));

const ROOT = '';
const LEAF_TYPES = new Set(['table', 'view']);

interface Children {
  items: TreeNode[];
  nextCursor: string | null;
  loading: boolean;
  error?: string;
}

/**
 * The catalog as a tree: data sources → databases → schemas → tables and views. Children
 * load when a node opens; `reveal` opens the containers of the asset on screen.
 */
export function AssetTree(props: { selectedRef?: string; reveal: string[] }) {
  const classes = useStyles();
  const client = useDataCatalogClient();
  const navigate = useNavigate();
  const [children, setChildren] = useState<Record<string, Children>>({});
  const [expanded, setExpanded] = useState<string[]>([]);
  const requested = useRef(new Set<string>());

  const load = useCallback(
    async (parent: string, cursor?: string) => {
      setChildren(all => ({
        ...all,
        [parent]: {
          items: all[parent]?.items ?? [],
          nextCursor: all[parent]?.nextCursor ?? null,
          loading: true,
        },
      }));
      try {
        const page = await client.tree(parent === ROOT ? undefined : parent, cursor);
        setChildren(all => ({
          ...all,
          [parent]: {
            items: [...(cursor ? (all[parent]?.items ?? []) : []), ...page.items],
            nextCursor: page.nextCursor,
            loading: false,
          },
        }));
      } catch (error) {
        requested.current.delete(parent);
        setChildren(all => ({
          ...all,
          [parent]: {
            items: all[parent]?.items ?? [],
            nextCursor: all[parent]?.nextCursor ?? null,
            loading: false,
            error: errorMessage(error),
          },
        }));
      }
    },
    [client],
  );

  const ensureLoaded = useCallback(
    (parent: string) => {
      if (requested.current.has(parent)) return;
      requested.current.add(parent);
      void load(parent);
    },
    [load],
  );

  useEffect(() => ensureLoaded(ROOT), [ensureLoaded]);

  const revealKey = props.reveal.join('\n');
  useEffect(() => {
    const refs = revealKey ? revealKey.split('\n') : [];
    if (refs.length === 0) return;
    refs.forEach(ensureLoaded);
    setExpanded(current => [...new Set([...current, ...refs])]);
  }, [revealKey, ensureLoaded]);

  const onToggle = (_event: ChangeEvent<object>, ids: string[]) => {
    ids.forEach(ensureLoaded);
    setExpanded(ids);
  };

  const open = (event: MouseEvent, ref: string) => {
    // Selecting navigates; the expand icon alone toggles.
    event.preventDefault();
    navigate(assetPagePath(ref));
  };

  const renderChildren = (parent: string) => {
    const state = children[parent];
    if (!state || (state.loading && state.items.length === 0)) {
      return (
        <TreeItem
          nodeId={`${parent}#loading`}
          label={<span className={classes.note}>Loading…</span>}
        />
      );
    }
    return [
      ...state.items.map(node => renderNode(node)),
      ...(state.error
        ? [
            <TreeItem
              key="#error"
              nodeId={`${parent}#error`}
              label={<span className={classes.error}>{state.error}</span>}
            />,
          ]
        : []),
      ...(state.nextCursor
        ? [
            <TreeItem
              key="#more"
              nodeId={`${parent}#more`}
              label={
                <span className={classes.more}>{state.loading ? 'Loading…' : 'Show more'}</span>
              }
              onLabelClick={event => {
                event.preventDefault();
                if (!state.loading) void load(parent, state.nextCursor ?? undefined);
              }}
            />,
          ]
        : []),
    ];
  };

  const renderNode = (node: TreeNode) => {
    const leaf = LEAF_TYPES.has(node.type) || node.childCount === 0;
    return (
      <TreeItem
        key={node.ref}
        nodeId={node.ref}
        data-testid="tree-node"
        data-ref={node.ref}
        data-type={node.type}
        onLabelClick={event => open(event, node.ref)}
        label={
          <Box className={classes.label} title={node.qualifiedName}>
            <AssetIcon type={node.type} className={classes.icon} />
            <span className={classes.name}>{node.name}</span>
            {!LEAF_TYPES.has(node.type) && <span className={classes.count}>{node.childCount}</span>}
          </Box>
        }
      >
        {leaf ? undefined : renderChildren(node.ref)}
      </TreeItem>
    );
  };

  const root = children[ROOT];
  if (root?.error && root.items.length === 0) {
    return (
      <Typography className={classes.error}>Could not load the catalog: {root.error}</Typography>
    );
  }
  if (root && !root.loading && root.items.length === 0) {
    return (
      <Typography className={classes.note} data-testid="tree-empty">
        No data sources have been scanned yet.
      </Typography>
    );
  }
  return (
    <TreeView
      data-testid="asset-tree"
      expanded={expanded}
      selected={props.selectedRef ?? ''}
      onNodeToggle={onToggle}
      defaultCollapseIcon={<ExpandMoreIcon />}
      defaultExpandIcon={<ChevronRightIcon />}
    >
      {root ? (
        renderChildren(ROOT)
      ) : (
        <TreeItem nodeId="#loading" label={<span className={classes.note}>Loading…</span>} />
      )}
    </TreeView>
  );
}
