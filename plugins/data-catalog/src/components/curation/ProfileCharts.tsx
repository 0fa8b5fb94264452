import { Typography, useTheme } from '@material-ui/core';
import type { AssetDetailsResponse, ColumnProfile } from '@racine/plugin-data-catalog-common';
import {
  Bar,
  BarChart,
  CartesianGrid,
  Cell,
  Legend,
  Pie,
  PieChart,
  ResponsiveContainer,
  Tooltip,
  XAxis,
  YAxis,
} from 'recharts';

function ratio(part: number | null | undefined, whole: number | null | undefined): number | null {
  if (part === null || part === undefined || !whole) return null;
  return Math.round((part / whole) * 1000) / 10;
}

/** Completeness and uniqueness of each profiled column of a table, as percentages. */
export function TableProfileChart(props: { asset: AssetDetailsResponse }) {
  const theme = useTheme();
  const rows = (props.asset.columns ?? [])
    .filter(c => c.profile && c.profile.rowCount)
    .map(c => {
      const p = c.profile as ColumnProfile;
      return {
        column: c.name,
        'null %': ratio(p.nullCount, p.rowCount) ?? 0,
        'distinct %': ratio(p.distinctCount, p.rowCount) ?? 0,
      };
    });
  if (rows.length === 0)
    return (
      <Typography variant="body2" color="textSecondary">
        No column was profiled by the last scan.
      </Typography>
    );
  return (
    <div style={{ width: '100%', height: Math.max(220, rows.length * 28 + 80) }}>
      <ResponsiveContainer>
        <BarChart data={rows} layout="vertical" margin={{ left: 24, right: 16 }}>
          <CartesianGrid strokeDasharray="3 3" />
          <XAxis type="number" domain={[0, 100]} unit="%" />
          <YAxis type="category" dataKey="column" width={140} />
          <Tooltip />
          <Legend />
          <Bar dataKey="null %" fill={theme.palette.error.light} />
          <Bar dataKey="distinct %" fill={theme.palette.primary.main} />
        </BarChart>
      </ResponsiveContainer>
    </div>
  );
}

/** Filled vs null values of one column. */
export function ColumnProfileChart(props: { profile: ColumnProfile }) {
  const theme = useTheme();
  const { rowCount, nullCount } = props.profile;
  if (!rowCount || nullCount === null || nullCount === undefined) return null;
  const data = [
    { name: 'Filled', value: rowCount - nullCount },
    { name: 'Null', value: nullCount },
  ];
  const colours = [theme.palette.primary.main, theme.palette.error.light];
  return (
    <div style={{ width: 260, height: 200 }} data-testid="column-profile-chart">
      <ResponsiveContainer>
        <PieChart>
          <Pie data={data} dataKey="value" nameKey="name" innerRadius={45} outerRadius={75}>
            {data.map((entry, i) => (
              <Cell key={entry.name} fill={colours[i]} />
            ))}
          </Pie>
          <Tooltip />
          <Legend />
        </PieChart>
      </ResponsiveContainer>
    </div>
  );
}
