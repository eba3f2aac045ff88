// One order for names, ids and timestamps everywhere a list is sorted: code-unit order. It is
// deterministic whatever the locale, it is how the API server itself orders names, and it is
// far cheaper than localeCompare, which dominated sorting 10,000 pods by name (ICU collation
// per comparison).
export function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
