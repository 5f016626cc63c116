/** The Fourfold mark: four tiles for the four networks, one of them in the accent red. */
export function BrandMark({ size = 28 }: { size?: number }) {
  return (
    <svg width={size} height={size} viewBox="0 0 64 64" aria-hidden="true" focusable="false">
      <rect width="64" height="64" rx="12" fill="#ffffff" fillOpacity="0.12" />
      <rect x="12" y="12" width="18" height="18" rx="3" fill="#ffffff" />
      <rect x="34" y="12" width="18" height="18" rx="3" fill="#ffffff" fillOpacity="0.85" />
      <rect x="12" y="34" width="18" height="18" rx="3" fill="#ffffff" fillOpacity="0.85" />
      <rect x="34" y="34" width="18" height="18" rx="3" fill="#c8102e" />
    </svg>
  );
}
