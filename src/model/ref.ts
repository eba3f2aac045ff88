// How one object names another: findings, fix plans, port-forward targets and views all
// point at objects this way, so it lives with the wire types rather than with any of them.

export interface ObjectRef {
  kind: string;
  name: string;
  namespace?: string;
  apiVersion?: string;
}
