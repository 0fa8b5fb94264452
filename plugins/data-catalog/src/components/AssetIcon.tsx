import type { SvgIconProps } from '@material-ui/core';
import DnsIcon from '@material-ui/icons/Dns';
import FolderIcon from '@material-ui/icons/Folder';
import StorageIcon from '@material-ui/icons/Storage';
import TableChartIcon from '@material-ui/icons/TableChart';
import ViewColumnIcon from '@material-ui/icons/ViewColumn';
import VisibilityIcon from '@material-ui/icons/Visibility';
import type { AssetType } from '@racine/plugin-data-catalog-common';

const icons: Record<AssetType, typeof StorageIcon> = {
  datasource: StorageIcon,
  database: DnsIcon,
  schema: FolderIcon,
  table: TableChartIcon,
  view: VisibilityIcon,
  column: ViewColumnIcon,
};

/** The icon of an asset type, the same in the tree, lists and page headers. */
export function AssetIcon(props: { type: AssetType } & SvgIconProps) {
  const { type, ...rest } = props;
  const Icon = icons[type];
  return <Icon {...rest} />;
}
