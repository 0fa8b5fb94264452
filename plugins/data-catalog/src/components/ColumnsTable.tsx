import {
  Box,
  Chip,
  Link,
  makeStyles,
  Table,
  TableBody,
  TableCell,
  TableContainer,
  TableHead,
  TableRow,
  Tooltip,
  Typography,
} from '@material-ui/core';
import VpnKeyIcon from '@material-ui/icons/VpnKey';
import {
  assetPagePath,
  type AssetDetails,
  type ColumnProfile,
  type ColumnTechnicalMetadata,
} from '@racine/plugin-data-catalog-common';
import { Link as RouterLink } from 'react-router-dom';
import { formatCount, formatDecimal, formatPercent, orDash } from './format';
import { LabelChips } from './LabelChip';

const useStyles = makeStyles(theme => ({
  mono: {
    fontFamily: '"JetBrains Mono", "SFMono-Regular", Menlo, Consolas, monospace',
    fontSize: 12.5,
  },
  name: { fontWeight: 600 },
  deleted: { opacity: 0.55, '& $name': { textDecoration: 'line-through' } },
  keys: { display: 'flex', flexWrap: 'wrap', gap: theme.spacing(0.5) },
  keyIcon: { fontSize: 14 },
  muted: { color: theme.palette.text.secondary },
  profile: { fontSize: 12.5, color: theme.palette.text.secondary, minWidth: 160, maxWidth: 260 },
  range: { overflow: 'hidden', textOverflow: 'ellipsis', whiteSpace: 'nowrap' },
}));

export function technicalOfColumn(column: AssetDetails): ColumnTechnicalMetadata {
  return column.technical as ColumnTechnicalMetadata;
}

export function nullRatio(profile: ColumnProfile | null): number | null {
  if (!profile || profile.rowCount === null || profile.rowCount === undefined || !profile.rowCount)
    return null;
  if (profile.nullCount === null || profile.nullCount === undefined) return null;
  return profile.nullCount / profile.rowCount;
}

/** Primary and foreign key markers of a column; a foreign key links to the table it references. */
export function KeyChips(props: { technical: ColumnTechnicalMetadata }) {
  const classes = useStyles();
  const { isPrimaryKey, foreignKey } = props.technical;
  if (!isPrimaryKey && !foreignKey) return <span className={classes.muted}>—</span>;
  return (
    <Box className={classes.keys}>
      {isPrimaryKey && (
        <Chip
          size="small"
          color="primary"
          icon={<VpnKeyIcon className={classes.keyIcon} />}
          label="PK"
          data-testid="pk-chip"
        />
      )}
      {foreignKey && (
        <Tooltip title={foreignKey.name ? `Foreign key ${foreignKey.name}` : 'Foreign key'}>
          <Chip
            size="small"
            variant="outlined"
            clickable
            component={RouterLink}
            to={assetPagePath(foreignKey.referencedTableRef)}
            label={`FK → ${foreignKey.referencedSchema}.${foreignKey.referencedTable}.${foreignKey.referencedColumn}`}
            data-testid="fk-chip"
          />
        </Tooltip>
      )}
    </Box>
  );
}

/** A column's profile in a few words: nulls, distinct values, range and lengths. */
function ProfileSummary(props: { profile: ColumnProfile | null }) {
  const classes = useStyles();
  const { profile } = props;
  if (!profile) return <>—</>;
  const parts: string[] = [];
  if (profile.nullCount != null) parts.push(`${formatPercent(nullRatio(profile), 1)} null`);
  if (profile.distinctCount != null) parts.push(`${formatCount(profile.distinctCount)} distinct`);
  if (profile.avgLength != null || profile.maxLength != null)
    parts.push(
      `length ${formatDecimal(profile.avgLength)} avg, ${formatCount(profile.maxLength)} max`,
    );
  const range =
    profile.min != null || profile.max != null
      ? `${orDash(profile.min)} … ${orDash(profile.max)}`
      : null;
  return (
    <div data-testid="column-profile">
      {parts.length > 0 ? <div>{parts.join(' · ')}</div> : null}
      {range && (
        <div className={`${classes.mono} ${classes.range}`} title={range}>
          {range}
        </div>
      )}
      {parts.length === 0 && !range && '—'}
    </div>
  );
}

/** The columns of a table or view: types, keys, labels (with evidence) and profile figures. */
export function ColumnsTable(props: { columns: AssetDetails[] }) {
  const classes = useStyles();
  if (props.columns.length === 0) {
    return (
      <Typography variant="body2" color="textSecondary">
        No columns.
      </Typography>
    );
  }
  return (
    <TableContainer>
      <Table size="small" data-testid="columns-table">
        <TableHead>
          <TableRow>
            <TableCell>#</TableCell>
            <TableCell>Column</TableCell>
            <TableCell>Type</TableCell>
            <TableCell>Keys</TableCell>
            <TableCell>Labels</TableCell>
            <TableCell>Profile</TableCell>
          </TableRow>
        </TableHead>
        <TableBody>
          {props.columns.map(column => {
            const technical = technicalOfColumn(column);
            const profile = column.profile;
            return (
              <TableRow
                key={column.ref}
                className={column.status === 'deleted' ? classes.deleted : undefined}
                data-testid="column-row"
                data-name={column.name}
                data-status={column.status}
              >
                <TableCell className={classes.muted}>{technical.ordinal}</TableCell>
                <TableCell>
                  <Link
                    component={RouterLink}
                    to={assetPagePath(column.ref)}
                    className={classes.name}
                  >
                    {column.name}
                  </Link>
                  {column.description && (
                    <Typography variant="caption" display="block" color="textSecondary">
                      {column.description}
                    </Typography>
                  )}
                </TableCell>
                <TableCell>
                  <span className={classes.mono}>{technical.dataType}</span>
                  {(!technical.nullable || technical.default !== null) && (
                    <Typography variant="caption" display="block" color="textSecondary">
                      {[
                        !technical.nullable ? 'not null' : null,
                        technical.default !== null ? `default ${technical.default}` : null,
                      ]
                        .filter(Boolean)
                        .join(', ')}
                    </Typography>
                  )}
                </TableCell>
                <TableCell>
                  <KeyChips technical={technical} />
                </TableCell>
                <TableCell>
                  <LabelChips labels={column.labels} />
                </TableCell>
                <TableCell className={classes.profile}>
                  <ProfileSummary profile={profile} />
                </TableCell>
              </TableRow>
            );
          })}
        </TableBody>
      </Table>
    </TableContainer>
  );
}
