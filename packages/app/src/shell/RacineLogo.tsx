import { useTheme } from '@material-ui/core';

/** The Racine mark: a root system (racine is French for root) in a rounded square. */
export function RacineLogo(props: { size?: number }) {
  const theme = useTheme();
  const size = props.size ?? 28;
  return (
    <svg width={size} height={size} viewBox="0 0 32 32" aria-hidden="true" focusable="false">
      <rect width="32" height="32" rx="8" fill={theme.palette.primary.main} />
      <g
        stroke={theme.palette.primary.contrastText}
        strokeWidth="2.2"
        strokeLinecap="round"
        fill="none"
      >
        <path d="M16 6v9" />
        <path d="M16 15c0 4-5 4-7 9" />
        <path d="M16 15c0 4 5 4 7 9" />
        <path d="M16 15v11" />
      </g>
    </svg>
  );
}
