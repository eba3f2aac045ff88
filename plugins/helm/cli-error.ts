// helm and kubectl errors the user hands over (`kcockpit diagnose --from-error`, or what
// `kcockpit run -- helm ...` captured), explained. Missing kinds are left to
// crds/missing-api-group, which can say which project provides them; everything else
// recognised by src/diagnose/error-text.ts becomes a finding here, tied to the cluster
// objects it is about where the snapshot has them.
import type { HelmRelease } from '../../src/model/k8s.js';
import type { Snapshot } from '../../src/store/snapshot.js';
import type { FixPlan, ObjectRef } from '../../src/diagnose/types.js';
import { defineRule, type Case, type CaseGroup, type Explained } from '../../src/diagnose/define-rule.js';
import { parseErrorText, type ParsedError } from '../../src/diagnose/error-text.js';
import { releaseRef } from './release-status.js';
import { manualPlan } from '../../src/diagnose/plans.js';
import { RULE_IDS } from '../../src/diagnose/rule-ids.js';

const RULE_ID = RULE_IDS.helmCliError;
const SUBJECT: ObjectRef = { kind: 'Error', name: 'from-error' };

/** Chart repositories people use most, so `repo X not found` gets the exact `helm repo add`. */
const KNOWN_REPOS: Record<string, string> = {
  jaegertracing: 'https://jaegertracing.github.io/helm-charts',
  jetstack: 'https://charts.jetstack.io',
  elastic: 'https://helm.elastic.co',
  'prometheus-community': 'https://prometheus-community.github.io/helm-charts',
  grafana: 'https://grafana.github.io/helm-charts',
  'ingress-nginx': 'https://kubernetes.github.io/ingress-nginx',
  bitnami: 'https://charts.bitnami.com/bitnami',
  argo: 'https://argoproj.github.io/argo-helm',
  traefik: 'https://traefik.github.io/charts',
  istio: 'https://istio-release.storage.googleapis.com/charts',
  kedacore: 'https://kedacore.github.io/charts',
  'open-telemetry': 'https://open-telemetry.github.io/opentelemetry-helm-charts',
};

/** One recognised error; the same error handed over twice is one finding. */
interface ErrorCase extends Case {
  error: ParsedError;
}

/** What is said about one error. */
interface Said {
  title: string;
  explanation: string;
  fixes: FixPlan[];
  dependsOn?: ObjectRef[];
}

/** Tells errors apart: the finding id's detail. Undefined for errors another rule explains. */
function detailOf(e: ParsedError): string | undefined {
  switch (e.kind) {
    case 'no-matches':
      return undefined;
    case 'forbidden':
      return `forbidden:${e.verb}:${e.resource}${e.namespace ? `:${e.namespace}` : ''}`;
    case 'unknown-resource-type':
      return `${e.kind}:${e.resource}`;
    case 'no-deployed-releases':
      return `${e.kind}:${e.release}`;
    case 'timeout':
      return `${e.kind}${e.hook ? `:${e.hook}` : ''}`;
    case 'webhook-failed':
      return `${e.kind}:${e.webhook}`;
    case 'ownership-conflict':
      return `${e.kind}:${e.resourceKind}/${e.name}`;
    case 'repo-not-found':
      return `${e.kind}:${e.repo}`;
    default:
      return e.kind;
  }
}

function releasesNamed(snapshot: Snapshot, name: string | undefined): HelmRelease[] {
  return name ? snapshot.latestReleases().filter((r) => r.name === name) : [];
}

function nsOf(releases: readonly HelmRelease[]): string {
  return releases.length === 1 ? ` -n ${releases[0]!.namespace}` : ' -n <namespace>';
}

/** Role names kubectl accepts: lowercase, digits and dashes. */
function roleName(verb: string, resource: string): string {
  return `${verb}-${resource}`
    .toLowerCase()
    .replace(/[^a-z0-9-]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 60);
}

function explainForbidden(e: Extract<ParsedError, { kind: 'forbidden' }>): Said {
  const where = e.namespace ? `in namespace ${e.namespace}` : 'across the cluster';
  const group = e.apiGroup ? `.${e.apiGroup}` : '';
  const sa = /^system:serviceaccount:([^:]+):(.+)$/.exec(e.user);
  const subject = sa ? `--serviceaccount=${sa[1]}:${sa[2]}` : `--user=${e.user}`;
  const name = roleName(e.verb, e.resource);
  const grant = e.namespace
    ? [
        `kubectl create role ${name} --verb=${e.verb} --resource=${e.resource}${group} -n ${e.namespace}`,
        `kubectl create rolebinding ${name} --role=${name} ${subject} -n ${e.namespace}`,
      ]
    : [
        `kubectl create clusterrole ${name} --verb=${e.verb} --resource=${e.resource}${group}`,
        `kubectl create clusterrolebinding ${name} --clusterrole=${name} ${subject}`,
      ];
  const check = `kubectl auth can-i ${e.verb} ${e.resource}${group}${e.namespace ? ` -n ${e.namespace}` : ''}`;
  return {
    title: `${e.user} may not ${e.verb} ${e.resource} ${where}`,
    explanation:
      `The API server refused: ${sa ? `service account ${sa[2]} of namespace ${sa[1]}` : `user ${e.user}`} has no RBAC permission to ${e.verb} ${e.resource}${e.apiGroup ? ` (API group ${e.apiGroup})` : ''} ${where}. ` +
      `Kubernetes grants nothing by default: a Role (in one namespace) or ClusterRole, bound to the user, lists what it may do. Check with \`${check}\`; if the permission is really needed, someone allowed to change RBAC must grant it.`,
    fixes: [
      manualPlan({
        id: 'grant-permission',
        title: `Grant ${e.verb} on ${e.resource}`,
        explanation: `An administrator can grant exactly this permission ${where}; run these with their credentials, not yours.`,
        commands: [check, ...grant],
      }),
    ],
  };
}

function explain(snapshot: Snapshot, e: ParsedError): Said | undefined {
  switch (e.kind) {
    case 'no-matches':
      return undefined;
    case 'crds-missing':
      return {
        title: 'The objects need CRDs that are not installed',
        explanation:
          'kubectl or helm met a kind the API server does not serve ("ensure CRDs are installed first"). Custom kinds only exist once their CustomResourceDefinitions are installed, usually by the operator or chart that uses them. Install that first, then retry.',
        fixes: [
          manualPlan({
            id: 'list-crds',
            title: 'See which CRDs are installed',
            explanation: 'Compare the kinds in your manifests with what the cluster serves.',
            commands: ['kubectl get crd', 'kubectl api-resources'],
          }),
        ],
      };
    case 'unknown-resource-type':
      return {
        title: `The cluster has no resource type "${e.resource}"`,
        explanation: `kubectl does not know "${e.resource}": either the name is misspelled, or it is a custom resource whose CRD is not installed in this cluster. \`kubectl api-resources\` lists every type the cluster serves.`,
        fixes: [
          manualPlan({
            id: 'list-resources',
            title: 'List the resource types the cluster serves',
            explanation: `Look for ${e.resource} (or its short name) in the list.`,
            commands: [`kubectl api-resources | grep -i ${e.resource.split('.')[0]}`],
          }),
        ],
      };
    case 'name-in-use': {
      const holders = snapshot.latestReleases().filter((r) => r.status !== 'deployed');
      const known =
        holders.length > 0
          ? ` Releases kcockpit sees that are not deployed: ${holders
              .slice(0, 5)
              .map((r) => `${r.name} (${r.namespace}, ${r.status})`)
              .join(', ')}.`
          : '';
      return {
        title: 'helm install: a release with that name already exists',
        explanation: `\`helm install\` refuses a release name that is already taken in the namespace, even by a failed release or one uninstalled with --keep-history.${known} Use \`helm upgrade --install\` to update the existing release, choose another name, or uninstall the old one first.`,
        fixes: [
          manualPlan({
            id: 'inspect-releases',
            title: 'See which release holds the name',
            explanation: '`helm list --all` shows failed and pending releases too.',
            commands: ['helm list --all -n <namespace>', 'helm uninstall <name> -n <namespace>'],
          }),
        ],
      };
    }
    case 'operation-in-progress': {
      const locked = snapshot.latestReleases().filter((r) => r.status.startsWith('pending-'));
      const named =
        locked.length > 0
          ? ` kcockpit sees ${locked.map((r) => `${r.name} (${r.namespace}) in ${r.status}`).join(', ')}.`
          : '';
      const found: Said = {
        title: 'Helm refuses: another operation on the release is in progress',
        explanation: `Helm marks a release pending-install, pending-upgrade or pending-rollback while it works on it, and refuses any other operation until that status changes.${named} If no helm command is still running, one died mid-operation and left the release locked: roll back to the last deployed revision (or uninstall a release that never finished installing).`,
        fixes: [
          manualPlan({
            id: 'unlock-release',
            title: 'Unlock the release',
            explanation: 'Find the last deployed revision, then roll back to it.',
            commands: ['helm history <release> -n <namespace>', 'helm rollback <release> <revision> -n <namespace>'],
          }),
        ],
      };
      if (locked.length > 0) found.dependsOn = locked.map(releaseRef);
      return found;
    }
    case 'no-deployed-releases': {
      const releases = releasesNamed(snapshot, e.release);
      const found: Said = {
        title: `helm upgrade: release ${e.release} has no deployed revision`,
        explanation: `Every revision of ${e.release} failed, so there is nothing for \`helm upgrade\` to upgrade from. Fix what made the install fail, uninstall the failed release, and install it again.`,
        fixes: [
          manualPlan({
            id: 'reinstall-release',
            title: `Reinstall ${e.release}`,
            explanation: 'Removes the failed release record and the objects it created, so a clean install can start.',
            commands: [`helm uninstall ${e.release}${nsOf(releases)}`],
          }),
        ],
      };
      if (releases.length > 0) found.dependsOn = releases.map(releaseRef);
      return found;
    }
    case 'timeout': {
      const hook = e.hook
        ? ` the ${e.hook} hook (a Job the chart runs) did not finish in time`
        : ' the resources did not become ready in time';
      return {
        title: e.hook
          ? `helm: the ${e.hook} hook timed out`
          : 'helm: timed out waiting for the release to become ready',
        explanation:
          `Helm waited (--wait, --atomic or a hook) and gave up:${hook}. The timeout is the symptom; the cause is why the pods are not ready (image pull, crash, Pending). ` +
          `Look at the release's pods (kcockpit shows what is wrong with them), fix that, then retry${e.hook ? '' : ', with a longer --timeout if they are just slow'}.`,
        fixes: [
          manualPlan({
            id: 'inspect-release-pods',
            title: 'Look at what helm was waiting for',
            explanation: e.hook
              ? "The hook Job's pod logs say why it did not finish."
              : 'Pods that are not Ready and their events say why.',
            commands: e.hook
              ? ['kubectl get jobs -n <namespace>', 'kubectl logs job/<hook-job> -n <namespace>']
              : ['kubectl get pods -n <namespace>', 'kcockpit diagnose -n <namespace>'],
          }),
        ],
      };
    }
    case 'cluster-unreachable': {
      let why: string;
      if (e.noKubeconfig) {
        why =
          "No kubeconfig was found, so the tool fell back to localhost:8080, where no API server listens. Point KUBECONFIG at your cluster's config (or create ~/.kube/config: `minikube start` and cloud CLIs write it).";
      } else if (e.cause === 'connection refused') {
        why = `Nothing accepts connections at ${e.server ?? 'the server address'}: the cluster is stopped (a stopped minikube or kind cluster), or the kubeconfig has an old address or port (minikube picks a new port on restart: \`minikube update-context\`).`;
      } else if (e.cause === 'no such host') {
        why = `The server name in the kubeconfig does not resolve: check the address, or a VPN that provides the name.`;
      } else {
        why = `The API server at ${e.server ?? 'the configured address'} did not answer (${e.cause ?? 'no answer'}): the cluster may be down, or a network, VPN or firewall is in the way.`;
      }
      return {
        title: `Cannot reach the Kubernetes API server${e.server ? ` at ${e.server}` : ''}`,
        explanation: `kubectl or helm could not connect to the cluster. ${why}`,
        fixes: [
          manualPlan({
            id: 'check-kubeconfig',
            title: 'Check which cluster you are pointing at',
            explanation: 'See the current context and whether its server answers.',
            commands: ['kubectl config current-context', 'kubectl cluster-info', 'minikube status'],
          }),
        ],
      };
    }
    case 'unauthorized':
      return {
        title: 'The API server does not accept your credentials',
        explanation:
          'The cluster answered, but rejected who you are (401 Unauthorized): the token or client certificate in the kubeconfig has expired or was revoked. Fetch fresh credentials the way you got them (for example `aws eks update-kubeconfig`, `gcloud container clusters get-credentials`, `az aks get-credentials`, or `minikube update-context`).',
        fixes: [
          manualPlan({
            id: 'refresh-credentials',
            title: 'Refresh the kubeconfig credentials',
            explanation: 'Re-run the command that wrote your kubeconfig entry for this cluster.',
            commands: ['kubectl config current-context', 'kubectl config view --minify'],
          }),
        ],
      };
    case 'x509-unknown-authority':
      return {
        title: "The API server's certificate is not signed by the CA in your kubeconfig",
        explanation:
          "The TLS check failed: the cluster presents a certificate your kubeconfig's certificate-authority does not vouch for. Usually the cluster was recreated under the same name (minikube delete + start) and the kubeconfig still has the old CA, or a proxy intercepts TLS. Refresh the kubeconfig entry; do not switch TLS checks off except to diagnose.",
        fixes: [
          manualPlan({
            id: 'refresh-kubeconfig',
            title: 'Refresh the cluster entry of the kubeconfig',
            explanation: 'Re-run the command that wrote it, so it holds the current CA.',
            commands: ['minikube update-context', 'kubectl config view --minify --raw'],
          }),
        ],
      };
    case 'x509-expired':
      return {
        title: 'A certificate has expired (or the clock is wrong)',
        explanation:
          "The TLS check failed on dates: the API server's certificate or the client certificate in your kubeconfig has expired, or this machine's clock is far off. kubeadm clusters' certificates last a year unless renewed (`kubeadm certs check-expiration`, `kubeadm certs renew all` on a control-plane node).",
        fixes: [
          manualPlan({
            id: 'check-certificates',
            title: 'Check certificate dates and the clock',
            explanation: 'Renew what expired, or fix the clock.',
            commands: ['date -u', 'kubeadm certs check-expiration'],
          }),
        ],
      };
    case 'x509-hostname':
      return {
        title: 'The API server certificate is for other addresses',
        explanation: `The kubeconfig connects to an address the server's certificate does not name (it is valid for ${e.validFor ?? 'other names'}). Use one of those addresses in the kubeconfig, or add the address to the certificate (kubeadm and minikube take \`--apiserver-cert-extra-sans\`).`,
        fixes: [
          manualPlan({
            id: 'check-server-address',
            title: 'Check the server address',
            explanation: 'Compare the kubeconfig server with the names in the certificate.',
            commands: ['kubectl config view --minify -o jsonpath={.clusters[0].cluster.server}'],
          }),
        ],
      };
    case 'forbidden':
      return explainForbidden(e);
    case 'webhook-failed': {
      const svc = e.service ? `service ${e.service.name} in ${e.service.namespace}` : 'its service';
      const x509 = /x509/.test(e.cause);
      const found: Said = {
        title: `Admission webhook ${e.webhook} could not be called`,
        explanation:
          `Before storing the object, the API server must ask webhook ${e.webhook} (served by ${svc}), and that call failed: ${e.cause}. ` +
          (x509
            ? "The webhook's CA bundle does not match its serving certificate: for webhooks whose CA cert-manager injects, the CA injector has not done it yet (or cert-manager is missing)."
            : 'The pods behind the webhook are not running or not ready yet (right after installing an operator this takes a minute), or they are gone while the webhook configuration stayed behind.') +
          ' Wait for the webhook pods to be ready and retry; if their operator was uninstalled, delete the stale webhook configuration.',
        fixes: [
          manualPlan({
            id: 'check-webhook-backend',
            title: `Check the pods behind ${e.webhook}`,
            explanation: 'The webhook works once its service has ready endpoints.',
            commands: e.service
              ? [
                  `kubectl get pods -n ${e.service.namespace}`,
                  `kubectl get endpoints ${e.service.name} -n ${e.service.namespace}`,
                ]
              : ['kubectl get mutatingwebhookconfigurations,validatingwebhookconfigurations'],
          }),
        ],
      };
      if (e.service) found.dependsOn = [{ kind: 'Service', namespace: e.service.namespace, name: e.service.name }];
      return found;
    }
    case 'ownership-conflict': {
      const ns = e.namespace ? ` -n ${e.namespace}` : '';
      const target = `${e.resourceKind.toLowerCase()} ${e.name}${ns}`;
      const release = e.wantedRelease ?? '<release>';
      const releaseNs = e.wantedNamespace ?? e.namespace ?? '<namespace>';
      const owner = e.currentRelease
        ? `release ${e.currentRelease}`
        : 'something other than Helm (kubectl apply, another tool, an earlier install)';
      return {
        title: `${e.resourceKind} ${e.name} already exists and belongs to ${e.currentRelease ? `release ${e.currentRelease}` : 'something else'}`,
        explanation: `The chart creates ${e.resourceKind} ${e.name}${e.namespace ? ` in ${e.namespace}` : ''}, but that object already exists and was created by ${owner}. Helm will not take over an object it does not own. Delete it if it is a leftover, or, if it should now belong to release ${release}, adopt it by giving it Helm's ownership label and annotations, then retry.`,
        fixes: [
          manualPlan({
            id: 'adopt-object',
            title: `Let release ${release} adopt ${e.resourceKind} ${e.name}`,
            explanation: 'Helm adopts an existing object that carries its ownership label and annotations.',
            commands: [
              `kubectl label ${target} app.kubernetes.io/managed-by=Helm --overwrite`,
              `kubectl annotate ${target} meta.helm.sh/release-name=${release} meta.helm.sh/release-namespace=${releaseNs} --overwrite`,
            ],
          }),
          manualPlan({
            id: 'delete-leftover',
            title: `Delete the leftover ${e.resourceKind} ${e.name}`,
            explanation: 'Only if nothing else uses it: the chart creates it again.',
            commands: [`kubectl delete ${target}`],
          }),
        ],
      };
    }
    case 'repo-not-found': {
      const url = KNOWN_REPOS[e.repo];
      return {
        title: `helm has no chart repository named ${e.repo}`,
        explanation: `\`${e.repo}/...\` refers to a repository alias that this machine's helm does not have: aliases are local names given with \`helm repo add\`. ${url ? `${e.repo} is usually ${url}.` : "Find the chart's repository URL in its documentation (or `helm search hub`)."} Add it, then retry.`,
        fixes: [
          manualPlan({
            id: 'add-repo',
            title: `Add the ${e.repo} repository`,
            explanation: 'Registers the alias and downloads its index.',
            commands: url
              ? [`helm repo add ${e.repo} ${url}`, 'helm repo update']
              : ['helm repo list', `helm search hub ${e.repo}`],
          }),
        ],
      };
    }
  }
}

function said(group: CaseGroup<ErrorCase>, snapshot: Snapshot): Said {
  // classify keeps only errors with a detail, and every such error has words.
  return explain(snapshot, group.lead.error)!;
}

export const rule = defineRule<ErrorCase>({
  id: RULE_ID,
  title: 'helm and kubectl errors explained',
  *classify({ errorText }) {
    for (const error of parseErrorText(errorText)) {
      const detail = detailOf(error);
      if (detail !== undefined) yield { subject: SUBJECT, detail, error };
    }
  },
  explain(group, { snapshot }): Explained {
    const x = said(group, snapshot);
    return {
      severity: 'critical',
      title: x.title,
      explanation: x.explanation,
      evidence: [{ source: 'error', text: group.lead.error.text }],
      ...(x.dependsOn ? { dependsOn: x.dependsOn } : {}),
    };
  },
  plans: (group, { snapshot }) => said(group, snapshot).fixes,
});
